use std::io::read_to_string;

fn main() {
    let input = read_to_string(std::io::stdin()).unwrap();
    let values = input.split_whitespace().skip(1).map(|x| x.parse::<i64>().unwrap());
    let (mut best, mut current) = (i64::MIN, 0i64);
    for x in values {
        current = if current > 0 { current + x } else { x };
        best = best.max(current);
    }
    println!("{best}");
}
