# Reads standard input, which is empty in this task: EOFError.
n, q = map(int, input().split())
