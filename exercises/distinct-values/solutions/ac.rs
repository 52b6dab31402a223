use std::collections::HashSet;
use std::io::read_to_string;

fn main() {
    let input = read_to_string(std::io::stdin()).unwrap();
    let values: HashSet<u32> = input.split_whitespace().skip(1).map(|x| x.parse().unwrap()).collect();
    println!("{}", values.len());
}
