print("Hello, World!", end="")
