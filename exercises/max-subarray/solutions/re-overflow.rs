use std::io::read_to_string;

fn main() {
    let input = read_to_string(std::io::stdin()).unwrap();
    let values = input.split_whitespace().skip(1).map(|x| x.parse::<i32>().unwrap());
    let (mut best, mut current) = (i32::MIN, 0i32);
    for x in values {
        // overflow check: this build panics instead of wrapping
        current = if current > 0 { current.checked_add(x).expect("overflow") } else { x };
        best = best.max(current);
    }
    println!("{best}");
}
