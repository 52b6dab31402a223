use std::io::{read_to_string, Write};

fn main() {
    let input = read_to_string(std::io::stdin()).unwrap();
    let mut numbers: Vec<i64> = input.split_whitespace().skip(1).map(|x| x.parse().unwrap()).collect();
    numbers.sort_unstable();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for x in numbers {
        writeln!(out, "{x}").unwrap();
    }
}
