# Reads with sys.stdin.readline and never flushes: its guess stays in its
# buffer, and both sides wait for each other until the wall time is up.
import sys

low, high = 1, int(sys.stdin.readline())
while True:
    guess = (low + high) // 2
    print(guess)
    answer = sys.stdin.readline().strip()
    if answer == "correct":
        break
    if answer == "higher":
        low = guess + 1
    else:
        high = guess - 1
