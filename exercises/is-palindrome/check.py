"""Check is_palindrome() through judge_check: the student's code never runs in this process."""

import judge_check as jc

CASES = [
    ("A man, a plan, a canal: Panama", True),
    ("kayak", True),
    ("", True),
    ("Hello", False),
    ("ab", False),
    ("No 'x' in Nixon", True),
]

for text, expected in CASES:
    try:
        got = jc.call("is_palindrome", text)
    except jc.StudentError as error:
        jc.fail(str(error))
    jc.expect(got, expected, f"`is_palindrome({text!r})` returned")
jc.passed("Well done: every case is right.")
