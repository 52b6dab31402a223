"""Run the student's program (in any language) with a few names."""

import judge_check as jc

for name in ("Alice", "Bob", "Zoë", "Jean-Édouard"):
    result = jc.run(stdin=name + "\n")
    if result.timed_out:
        jc.fail(f"With the input `{name}`, your program did not finish in time.")
    if result.exit_code != 0:
        jc.fail(f"With the input `{name}`, your program exited with code {result.exit_code}:",
                jc.code(result.stderr))
    jc.expect(result.stdout.strip(), f"Hello, {name}!", f"With the input `{name}`, you printed")
jc.passed("Every greeting is right.")
