import sys

values = list(map(int, sys.stdin.read().split()[1:]))
best, current = values[0], 0
for x in values:
    current = current + x if current > 0 else x
    best = max(best, current)
print(best)
