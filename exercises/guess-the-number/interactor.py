"""Guess the number: answers the program's guesses, with partial credit for slow searches.

INPUT holds `n secret`; EXPECTED the number of guesses that earns all the
points (what a binary search needs at most: the bit length of n).
"""

import sys

MAX_GUESSES = 100

n, secret = map(int, open(sys.argv[1]).read().split())
best = int(open(sys.argv[2]).read())
print(n, flush=True)
for asked in range(1, MAX_GUESSES + 1):
    line = sys.stdin.readline()
    if not line:
        sys.exit("Your program stopped before finding the number.")
    try:
        guess = int(line)
    except ValueError:
        sys.exit(f"Expected a number, got {line[:30]!r}.")
    if not 1 <= guess <= n:
        sys.exit(f"Guess {guess} is not between 1 and {n}.")
    if guess == secret:
        print("correct", flush=True)
        if asked <= best:
            sys.exit(0)
        sys.stderr.write(f"{best}/{asked}\n")  # the share of the points: the fraction line
        sys.stderr.write(f"Found in {asked} guesses; {best} earn all the points.\n")
        sys.exit(7)
    print("higher" if guess < secret else "lower", flush=True)
sys.exit(f"{MAX_GUESSES} guesses and the number is still not found.")
