with open("input.txt") as file:
    n, q, *rest = map(int, file.read().split())
values, queries = rest[:n], rest[n:]
with open("output.txt", "w") as file:
    for l, r in zip(queries[::2], queries[1::2]):
        file.write(f"{sum(values[l - 1 : r])}\n")
