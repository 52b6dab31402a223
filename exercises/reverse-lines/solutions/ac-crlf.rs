use std::io::read_to_string;

fn main() {
    let input = read_to_string(std::io::stdin()).unwrap();
    let lines: Vec<&str> = input.lines().collect();
    for line in lines.iter().rev() {
        print!("{line}  \r\n"); // trailing spaces and CRLF ends are fine
    }
}
