"""Accept any proper divisor of n."""

import sys

given, _expected, actual = (open(name, encoding="utf-8").read() for name in sys.argv[1:4])
n = int(given)
tokens = actual.split()
if len(tokens) != 1 or not tokens[0].isdigit():
    print("Print exactly one whole number.")
    sys.exit(2)
d = int(tokens[0])
if not 1 < d < n:
    print(f"{d} is not strictly between 1 and n.")
    sys.exit(1)
if n % d:
    print(f"{d} does not divide n.")
    sys.exit(1)
print("A proper divisor.")
