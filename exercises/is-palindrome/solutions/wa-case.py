def is_palindrome(text):
    letters = [c for c in text if c.isalnum()]
    return letters == letters[::-1]
