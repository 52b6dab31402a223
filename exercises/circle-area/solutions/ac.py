import math
import sys

for line in sys.stdin:
    if line.strip():
        print(math.pi * float(line) ** 2)
