from pathlib import Path

Path("solution").rename("solution.c")
