from pathlib import Path

# This is so we can implement checks (always in Python) for other
# languages easily:
Path("solution").rename("solution.py")
