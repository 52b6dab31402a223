print(f"Hello, {input()}!")
