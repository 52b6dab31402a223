fn main() {
    println!("Hello, {}!", name);
}
