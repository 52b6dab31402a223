def is_palindrome(text):
    while True:
        pass
