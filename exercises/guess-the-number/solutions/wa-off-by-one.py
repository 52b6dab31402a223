# Never guesses n itself: asks 999 again and again when the number is 1000.
low, high = 1, int(input()) - 1
while True:
    guess = (low + high) // 2
    print(guess, flush=True)
    answer = input()
    if answer == "correct":
        break
    if answer == "higher":
        low = guess + 1
    else:
        high = guess - 1
