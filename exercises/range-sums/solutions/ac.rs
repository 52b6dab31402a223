use std::fmt::Write;

fn main() {
    let input = std::fs::read_to_string("input.txt").unwrap();
    let mut numbers = input.split_ascii_whitespace().map(|t| t.parse::<i64>().unwrap());
    let (n, q) = (numbers.next().unwrap() as usize, numbers.next().unwrap());
    let mut prefix = vec![0i64; n + 1];
    for i in 1..=n {
        prefix[i] = prefix[i - 1] + numbers.next().unwrap();
    }
    let mut output = String::new();
    for _ in 0..q {
        let (l, r) = (numbers.next().unwrap() as usize, numbers.next().unwrap() as usize);
        writeln!(output, "{}", prefix[r] - prefix[l - 1]).unwrap();
    }
    std::fs::write("output.txt", output).unwrap();
}
