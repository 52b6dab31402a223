"""Partial credit: the fraction of right lines (testlib-style exit 7)."""

import sys

_given, expected, actual = (open(name, encoding="utf-8").read().split("\n") for name in sys.argv[1:4])
want = [line.strip() for line in expected if line.strip()]
got = [line.strip() for line in actual if line.strip()]
right = sum(1 for w, g in zip(want, got) if w == g)
if right == len(want) and len(got) == len(want):
    print("All lines are right.")
    sys.exit(0)
print(f"{right}/{len(want)}")
print(f"{right} of {len(want)} lines are right.")
sys.exit(7)
