"""Language plugins: the interface and the built-in Python, C and Rust."""
