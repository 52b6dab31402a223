"""Contests in the database: the contests, who entered them, and what their scoreboards read.

A contest row is replaced whole (`replace`); its submissions point at it
(`submissions.contest_id`) and are scored by `runners.contests` under the
rules as they are when the board is computed. Entering is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from runners.contests import Entry, Format, Rules
from runners.judging.verdict import Verdict
from runners.store.database import Database, aware, now
from runners.store.models import ContestRow, EntrantRow, SubmissionRow, UserRow


@dataclass(frozen=True)
class Terms:
    """What a contest is made of, beyond its slug (the body of a create or replace)."""

    title: str
    exercises: list[str]
    start: datetime
    end: datetime
    format: Format
    freeze: int
    penalty: int


class SlugTaken(Exception):
    """A contest with this slug exists."""


def _apply(row: ContestRow, terms: Terms) -> None:
    row.title, row.format, row.exercises = terms.title, terms.format.value, list(terms.exercises)
    row.start_at, row.end_at = terms.start, terms.end
    row.freeze_minutes, row.penalty_minutes = terms.freeze, terms.penalty
    row.updated_at = now()


def create(db: Database, slug: str, terms: Terms, owner_id: int) -> ContestRow:
    """A new contest; SlugTaken if the slug is."""
    row = ContestRow(slug=slug, owner_id=owner_id)
    _apply(row, terms)
    try:
        with db.session() as session:
            session.add(row)
    except IntegrityError:
        raise SlugTaken(slug) from None
    return row


def replace(db: Database, contest_id: int, terms: Terms) -> ContestRow:
    with db.session() as session:
        row = session.get_one(ContestRow, contest_id)
        _apply(row, terms)
        return row


def find(db: Database, slug: str) -> ContestRow | None:
    with db.session() as session:
        return session.scalar(select(ContestRow).where(ContestRow.slug == slug))


def everything(db: Database) -> list[ContestRow]:
    """Every contest, the latest to start first."""
    with db.session() as session:
        return list(session.scalars(select(ContestRow).order_by(ContestRow.start_at.desc())))


def rules(row: ContestRow) -> Rules:
    return Rules(
        Format(row.format), aware(row.start_at), aware(row.end_at), tuple(row.exercises),
        row.freeze_minutes, row.penalty_minutes,
    )  # fmt: skip


def enter(db: Database, contest_id: int, user_id: int) -> bool:
    """Register a user; False if they were already."""
    if is_entrant(db, contest_id, user_id):
        return False
    try:
        with db.session() as session:
            session.add(EntrantRow(contest_id=contest_id, user_id=user_id, joined_at=now()))
    except IntegrityError:  # a concurrent join of the same user
        return False
    return True


def is_entrant(db: Database, contest_id: int, user_id: int) -> bool:
    with db.session() as session:
        return bool(
            session.scalar(
                select(
                    exists().where(
                        EntrantRow.contest_id == contest_id, EntrantRow.user_id == user_id
                    )
                )
            )
        )


def standing(db: Database, contest_id: int) -> tuple[list[str], list[Entry]]:
    """The names of the entrants and every submission of the contest (two queries)."""
    with db.session() as session:
        users = session.scalars(
            select(UserRow.name)
            .join(EntrantRow, EntrantRow.user_id == UserRow.id)
            .where(EntrantRow.contest_id == contest_id)
        ).all()
        rows = session.execute(
            select(
                SubmissionRow.id, UserRow.name, SubmissionRow.exercise, SubmissionRow.created_at,
                SubmissionRow.verdict, SubmissionRow.score, SubmissionRow.max_score,
            )
            .join(UserRow, SubmissionRow.owner_id == UserRow.id)
            .where(SubmissionRow.contest_id == contest_id)
        ).all()  # fmt: skip
    entries = [
        Entry(
            row.id,
            row.name,
            row.exercise,
            aware(row.created_at),
            Verdict(row.verdict) if row.verdict else None,
            row.score,
            row.max_score,
        )
        for row in rows
    ]
    return list(users), entries
