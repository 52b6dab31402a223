"""Contest scoring as pure functions: ICPC and IOI cells, shared ranks, the freeze."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from runners.contests import Cell, Entry, Format, Phase, Row, Rules, ranked, scoreboard
from runners.judging.verdict import Verdict

START = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
END = START + timedelta(hours=5)
ICPC = Rules(Format.ICPC, START, END, ("a", "b"), freeze=60, penalty=20)
IOI = Rules(Format.IOI, START, END, ("a", "b"))


def entry(number: int, user: str, exercise: str, minute: float, verdict: Verdict | None,
          score: float = 0.0, max_score: float = 100.0) -> Entry:  # fmt: skip
    made = START + timedelta(minutes=minute)
    return Entry(number, user, exercise, made, verdict, score, max_score)


def board(rules: Rules, users: list[str], entries: list[Entry], admin: bool = True,
          at: datetime = END) -> dict[str, Row]:  # fmt: skip
    result = scoreboard("c", rules, users, entries, admin=admin, now=at)
    return {row.user: row for row in result.rows}


def test_icpc_penalty_counts_rejected_attempts_before_the_first_ac_only() -> None:
    rows = board(ICPC, ["ann"], [
        entry(1, "ann", "a", 10, Verdict.WA),
        entry(2, "ann", "a", 12, Verdict.CE),  # not counted
        entry(3, "ann", "a", 15.9, Verdict.TLE),
        entry(4, "ann", "a", 20.5, Verdict.AC),  # minute 20
        entry(5, "ann", "a", 30, Verdict.WA),  # after the AC: not counted
        entry(6, "ann", "b", 40, Verdict.IE),  # not counted
    ])  # fmt: skip
    ann = rows["ann"]
    assert (ann.score, ann.penalty) == (1, 20 + 2 * 20)
    assert ann.problems["a"] == Cell(1, 3, True, 20, 0)
    assert ann.problems["b"] == Cell(0, 0, False, None, 0)


def test_ioi_takes_the_best_score_of_each_problem_out_of_100() -> None:
    rows = board(IOI, ["ann"], [
        entry(1, "ann", "a", 1, Verdict.WA, 30, 50),
        entry(2, "ann", "a", 2, Verdict.WA, 20, 50),
        entry(3, "ann", "b", 3, Verdict.AC, 10, 10),
        entry(4, "ann", "b", 4, Verdict.CE, 0, 10),
    ])  # fmt: skip
    ann = rows["ann"]
    assert (ann.score, ann.penalty) == (160.0, 0)
    assert ann.problems["a"] == Cell(60.0, 2, False, None, 0)
    assert ann.problems["b"] == Cell(100.0, 1, True, 3, 0)


def test_equal_rows_share_a_rank_and_the_next_skips() -> None:
    rows = [Row(0, name, score, penalty, {}) for name, score, penalty in [
        ("dan", 1, 10), ("ann", 2, 50), ("cid", 2, 50), ("bob", 2, 70), ("eve", 0, 0),
    ]]  # fmt: skip
    result = ranked(rows)
    assert [(row.rank, row.user) for row in result] == [
        (1, "ann"), (1, "cid"), (3, "bob"), (4, "dan"), (5, "eve"),
    ]  # fmt: skip


def test_every_registered_user_has_a_row_even_without_submissions() -> None:
    rows = board(ICPC, ["ann", "bob"], [entry(1, "ann", "a", 5, Verdict.AC)])
    assert rows["bob"] == Row(2, "bob", 0, 0, {
        "a": Cell(0, 0, False, None, 0), "b": Cell(0, 0, False, None, 0),
    })  # fmt: skip


def test_pending_submissions_count_as_attempts_without_a_result() -> None:
    entries = [entry(1, "ann", "a", 5, None), entry(2, "ann", "a", 6, Verdict.WA)]
    rows = board(ICPC, ["ann"], entries)
    assert rows["ann"].problems["a"] == Cell(0, 2, False, None, 1)
    assert rows["ann"].penalty == 0


def test_the_freeze_hides_later_results_from_everyone_but_admins() -> None:
    freeze = END - timedelta(minutes=60)  # ICPC's freeze: the last hour
    entries = [
        entry(1, "ann", "a", 100, Verdict.WA),
        entry(2, "ann", "a", 250, Verdict.AC),  # made during the freeze
        entry(3, "bob", "b", 239, Verdict.AC),  # made just before it
    ]
    public = scoreboard("c", ICPC, ["ann", "bob"], entries, admin=False, now=freeze)
    assert public.frozen
    shown = {row.user: row for row in public.rows}
    assert shown["ann"].problems["a"] == Cell(0, 2, False, None, 1)
    assert (shown["ann"].score, shown["bob"].score) == (0, 1)
    admins = board(ICPC, ["ann", "bob"], entries, admin=True, at=freeze)
    assert admins["ann"].problems["a"] == Cell(1, 2, True, 250, 0)
    assert admins["ann"].penalty == 250 + 20
    before = scoreboard("c", ICPC, ["ann"], entries, admin=False, now=freeze - timedelta(seconds=1))
    assert not before.frozen


def test_a_contest_without_freeze_hides_nothing_and_submissions_outside_do_not_count() -> None:
    rules = Rules(Format.ICPC, START, END, ("a",))
    entries = [entry(1, "ann", "a", -1, Verdict.AC), entry(2, "ann", "a", 300, Verdict.AC)]
    result = scoreboard("c", rules, ["ann"], entries, admin=False, now=END)
    assert not result.frozen
    assert result.rows[0].problems["a"] == Cell(0, 0, False, None, 0)
    assert rules.phase(START - timedelta(seconds=1)) is Phase.UPCOMING
    assert rules.phase(START) is Phase.RUNNING
    assert rules.phase(END) is Phase.ENDED
