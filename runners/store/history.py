"""What users submitted: pages of submissions, newest first, and per-user progress.

Pages are keyset-paginated on the id (ids grow with time): a page is "the
`limit` newest submissions below `before` under these filters", served by
one of the (column, id) indexes of `SubmissionRow`, so the millionth page
costs what the first does.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import defer

from runners.store.database import Database
from runners.store.models import SubmissionRow, UserRow


@dataclass(frozen=True)
class Filters:
    """Each field, when set, narrows the page."""

    owner_id: int | None = None
    exercise: str | None = None
    contest_id: int | None = None
    verdict: str | None = None


@dataclass(frozen=True)
class Page:
    rows: list[SubmissionRow]  # without `source` and `tests` (deferred: not loaded)
    before: int | None  # the id to pass for the next page; None on the last page


def page(db: Database, filters: Filters, limit: int, before: int | None = None) -> Page:
    """The `limit` newest submissions matching `filters` with an id below `before`."""
    query = select(SubmissionRow).options(defer(SubmissionRow.source), defer(SubmissionRow.tests))
    if filters.owner_id is not None:
        query = query.where(SubmissionRow.owner_id == filters.owner_id)
    if filters.exercise is not None:
        query = query.where(SubmissionRow.exercise == filters.exercise)
    if filters.contest_id is not None:
        query = query.where(SubmissionRow.contest_id == filters.contest_id)
    if filters.verdict is not None:
        query = query.where(SubmissionRow.verdict == filters.verdict)
    if before is not None:
        query = query.where(SubmissionRow.id < before)
    query = query.order_by(SubmissionRow.id.desc()).limit(limit + 1)
    with db.session() as session:
        rows = list(session.scalars(query))
    more = len(rows) > limit
    return Page(rows[:limit], rows[limit - 1].id if more else None)


@dataclass(frozen=True)
class Attempted:
    """One user on one exercise: submissions made, and whether one was AC."""

    exercise: str
    attempts: int
    solved: bool


@dataclass(frozen=True)
class Progress:
    """One user: exercises solved and attempted, submissions made."""

    user: str
    role: str
    solved: int
    attempted: int
    submissions: int


def exercises_of(db: Database, user_id: int) -> list[Attempted]:
    """Every exercise the user submitted to, by slug."""
    ac = func.max(case((SubmissionRow.verdict == "AC", 1), else_=0))
    query = (
        select(SubmissionRow.exercise, func.count(), ac)
        .where(SubmissionRow.owner_id == user_id)
        .group_by(SubmissionRow.exercise)
        .order_by(SubmissionRow.exercise)
    )
    with db.session() as session:
        rows = session.execute(query).all()
    return [Attempted(slug, count, bool(solved)) for slug, count, solved in rows]


def progress(db: Database, user_id: int | None = None) -> list[Progress]:
    """Every user's progress (or one user's), the most exercises solved first."""
    solved_exercise = case((SubmissionRow.verdict == "AC", SubmissionRow.exercise))
    solved = func.count(distinct(solved_exercise))
    query = (
        select(
            UserRow.name, UserRow.role, solved, func.count(distinct(SubmissionRow.exercise)),
            func.count(SubmissionRow.id),
        )
        .outerjoin(SubmissionRow, SubmissionRow.owner_id == UserRow.id)
        .group_by(UserRow.id, UserRow.name, UserRow.role)
        .order_by(solved.desc(), UserRow.name)
    )  # fmt: skip
    if user_id is not None:
        query = query.where(UserRow.id == user_id)
    with db.session() as session:
        return [Progress(*row) for row in session.execute(query)]
