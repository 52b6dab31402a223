"""`script`: the exercise's check.py judges the whole submission, as HackInScience's worker did.

`python3 -u ./check.py` runs in /box, in the sandbox, beside the submitted
file `solution.<ext>` (also as plain `solution` when the exercise has a
`pre_check.py`, HackInScience's name), the built program (compiled languages),
the helper module `judge_check.py` and the files of `testenv/`. A submission
that does not compile is checked all the same (`needs_build` is False): the
check explains the error, as on HackInScience.

checkhelper/boot/sitecustomize.py starts in the check's process and does what
HackInScience's worker did around it: pre_check.py first (a failure is logged,
and the check runs anyway), stderr joined to stdout. The verdict:

- exit 0: AC; the message is the check's output, or a congratulation when it
  printed nothing;
- an uncaught exception before the check touched the submission: the check
  itself is broken (a missing package, a bug): JudgeFailure, so IE, logged,
  judged again;
- any other exit: WA, the output (stdout and stderr as written) as the message;
- a limit: TLE, MLE or OLE, with HackInScience's words.

The output is cut as HackInScience cuts it (`explanation`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from fractions import Fraction
from pathlib import Path
from typing import Any

from languages import Program, get_language
from runners.judging.checkers.base import Checker, Context
from runners.judging.checkers.judgement import Judgement
from runners.judging.checkers.sandboxed import python, python_request
from runners.judging.exercise import Exercise, Test
from runners.judging.failure import JudgeFailure
from runners.judging.verdict import Verdict
from sandbox import Bind, RunResult, Status

log = logging.getLogger(__name__)

HELPERS = Path(__file__).resolve().parent.parent / "checkhelper"
HELPER = HELPERS / "judge_check.py"
BOOT = Bind(HELPERS / "boot", "/opt/judge/check-boot")  # read-only: the student cannot touch it
KEPT_CHARACTERS = 65_536  # of the check's output: HackInScience's `stdout[:65_536]`
KEPT_BYTES = 4 * KEPT_CHARACTERS  # enough bytes for that many characters of UTF-8
DEFAULT_READER = "en"
COMPILE_OUTPUT_SHOWN = 16_000  # characters of the compiler's output given to the check

# A passing check that printed nothing shows one of these (HackInScience shows
# a congratulation too), chosen by the submission so that a rejudge says the same.
CONGRATULATIONS = {
    "en": ("Well done! Your answer is right.", "Congrats! Correct answer.", "Nice job! It works."),
    "fr": ("Bravo ! C'est juste.", "Bien joué ! Bonne réponse.", "Super ! Ça fonctionne."),
}
# What HackInScience's worker said when a check hit a limit; its output is not shown then.
LIMIT_MESSAGES = {
    Status.TLE: "Checker timed out, look for infinite loops maybe?",
    Status.MLE: "Not enough memory to run your code.",
    Status.OLE: "Your code printed too much: the check's output went over its limit.",
}
NO_EXPLANATION = "The check failed (it printed no explanation)."


def files(exercise: Exercise, program: Program, source: bytes) -> dict[str, bytes]:
    """What /box holds for the check, besides the program's own files."""
    found = {"judge_check.py": HELPER.read_bytes(), "check.py": exercise.check_path.read_bytes()}
    if exercise.testenv.is_dir():
        for path in sorted(exercise.testenv.rglob("*")):
            if path.is_file():
                found[path.relative_to(exercise.testenv).as_posix()] = path.read_bytes()
    found[program.language.source_name] = source
    if exercise.pre_check_path.is_file():
        found["pre_check.py"] = exercise.pre_check_path.read_bytes()
        found["solution"] = source
    return found


def environment(context: Context) -> dict[str, str]:
    """What the check finds in its environment (exercises/README.md lists it)."""
    exercise, program = context.exercise, context.program
    packages = get_language("python").run_env().get("PYTHONPATH", "")
    return {
        "JUDGE_PROGRAM": json.dumps(list(program.argv)),
        "JUDGE_LANGUAGE": program.language.id,
        "JUDGE_SOLUTION": program.language.source_name,
        "JUDGE_BUILD": "ok" if context.compile_error is None else "failed",
        "JUDGE_COMPILE_OUTPUT": (context.compile_error or "")[-COMPILE_OUTPUT_SHOWN:],
        "JUDGE_TIME_LIMIT": str(exercise.limits.time),
        "JUDGE_MEMORY_LIMIT": str(exercise.limits.memory),
        "LANGUAGE": reader(context.reader_language),
        "PYTHONPATH": ":".join(filter(None, (BOOT.path, packages))),
        "JUDGE_CHECK_BOOT": "1",
    }


class Script(Checker):
    needs_build = False

    def judge(self, context: Context, test: Test) -> tuple[Judgement, RunResult]:
        """Run the check (the exercise's single test) on the whole submission."""
        exercise, program = context.exercise, context.program
        request = python_request(
            exercise,
            [python(), "-u", "./check.py"],
            files(exercise, program, context.source),
            program,
            environment(context),
            binds=[BOOT],
            output_kept=KEPT_BYTES,
        )
        result = context.runner.run(request)
        reports = read_reports(result.stderr, exercise.slug)
        if "crashed" in reports or "started" not in reports:
            raise JudgeFailure(crash(exercise.slug, reports, result))
        return interpret(result, context), result


def read_reports(channel: bytes, slug: str) -> dict[str, Any]:
    """What the boot module told the judge (one JSON object a line); pre_check failures logged."""
    reports: dict[str, Any] = {}
    for line in channel.decode(errors="replace").splitlines():
        try:
            report = json.loads(line)
        except ValueError:
            report = None
        if not isinstance(report, dict):
            log.warning("check of %s: unexpected line on the judge's channel: %.200s", slug, line)
            continue
        reports.update(report)
    if "pre_check" in reports:  # HackInScience logs it and runs the check all the same
        log.warning("pre_check.py of %s failed: %s", slug, json.dumps(reports["pre_check"]))
    return reports


def crash(slug: str, reports: dict[str, Any], result: RunResult) -> str:
    """Why the check, not the student, failed: for the logs."""
    output = explanation(result.stdout)[-2000:]
    if "started" not in reports:
        why = f"its Python did not start ({result.status.value}, {result.message})"
    else:
        why = f"it crashed before touching the submission: {reports['crashed']}"
    return f"check.py of {slug}: {why}" + (f"\nits output:\n{output}" if output else "")


def interpret(result: RunResult, context: Context) -> Judgement:
    text = explanation(result.stdout)
    if result.status is Status.OK:
        return Judgement.accepted(text or congratulation(context))
    if result.status is Status.RE:
        return Judgement.wrong(text or NO_EXPLANATION)
    if result.status in LIMIT_MESSAGES:
        return Judgement(Verdict.of_run(result.status), Fraction(0), LIMIT_MESSAGES[result.status])
    raise JudgeFailure(f"check.py of {context.exercise.slug}: {result.status.value}")


def explanation(output: bytes) -> str:
    """The check's output as HackInScience showed it, then trimmed of blank edges.

    Decoded with backslash escapes for invalid bytes, NUL written `\\x00`, the
    working folder taken out of traceback paths, cut at 65,536 characters.
    """
    text = output.decode("utf-8", "backslashreplace").replace("\0", r"\x00")
    text = text.replace('File "/box/', 'File "')[:KEPT_CHARACTERS]
    return text.rstrip().lstrip("\n")


def reader(language: str) -> str:
    """The primary subtag of a language tag, lowercased (`fr-FR` -> `fr`); `en` when empty."""
    return language.split("-")[0].split("_")[0].strip().lower() or DEFAULT_READER


def congratulation(context: Context) -> str:
    choices = CONGRATULATIONS.get(reader(context.reader_language), CONGRATULATIONS["en"])
    digest = hashlib.sha256(context.source).digest()
    return choices[digest[0] % len(choices)]
