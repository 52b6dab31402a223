# Reads the answer as a number: crashes (ValueError) on "higher".
low, high = 1, int(input())
while True:
    guess = (low + high) // 2
    print(guess, flush=True)
    answer = int(input())
