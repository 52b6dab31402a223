use std::io::read_to_string;

fn main() {
    let input = read_to_string(std::io::stdin()).unwrap();
    let v: Vec<i64> = input.split_whitespace().skip(1).map(|x| x.parse().unwrap()).collect();
    let mut best = i64::MIN;
    for i in 0..v.len() {
        for j in i..v.len() {
            let sum: i64 = v[i..=j].iter().sum();
            best = best.max(sum);
        }
    }
    println!("{best}");
}
