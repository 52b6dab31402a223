fn main() {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).unwrap();
    let r: i64 = line.trim().parse().expect("an integer radius"); // 2.5 is not
    println!("{}", 3.141592653589793 * (r * r) as f64);
    let mut second = String::new();
    std::io::stdin().read_line(&mut second).unwrap();
    let r: i64 = second.trim().parse().expect("an integer radius");
    println!("{}", 3.141592653589793 * (r * r) as f64);
}
