a, b = map(int, input().split(","))  # wrong separator: ValueError
print(a + b)
