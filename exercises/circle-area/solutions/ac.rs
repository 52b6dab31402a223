use std::io::read_to_string;

fn main() {
    let input = read_to_string(std::io::stdin()).unwrap();
    for r in input.split_whitespace().map(|x| x.parse::<f64>().unwrap()) {
        println!("{:e}", std::f64::consts::PI * r * r);
    }
}
