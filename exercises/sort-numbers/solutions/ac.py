import sys

numbers = sys.stdin.read().split()[1:]
print(" ".join(map(str, sorted(map(int, numbers)))))
