import sys

for line in sys.stdin:
    if line.strip():
        print(3.14 * float(line) ** 2)
