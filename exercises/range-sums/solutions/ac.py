with open("input.txt") as file:
    n, q, *rest = map(int, file.read().split())
prefix = [0]
for value in rest[:n]:
    prefix.append(prefix[-1] + value)
queries = rest[n:]
with open("output.txt", "w") as file:
    file.write("".join(f"{prefix[r] - prefix[l - 1]}\n" for l, r in zip(queries[::2], queries[1::2])))
