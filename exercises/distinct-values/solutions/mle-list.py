import sys

values = sys.stdin.read().split()[1:]
seen = [False] * (10**9 + 1)  # 8 GB of pointers
for value in values:
    seen[int(value)] = True
print(sum(seen))
