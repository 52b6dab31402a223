"""Usage statistics, as HackInScience shows them: who tried and who solved each exercise."""

from __future__ import annotations

from sqlalchemy import distinct, func, select

from judge_api.schemas import ExerciseStats, StatsOut
from runners.store.database import Database
from runners.store.models import ExerciseRow, SubmissionRow


def stats(db: Database) -> StatsOut:
    with db.session() as session:
        users = session.scalar(select(func.count(distinct(SubmissionRow.owner_id)))) or 0
        submissions = session.scalar(select(func.count()).select_from(SubmissionRow)) or 0
        users_by_exercise = select(
            SubmissionRow.exercise, func.count(distinct(SubmissionRow.owner_id))
        ).group_by(SubmissionRow.exercise)
        attempts = {slug: count for slug, count in session.execute(users_by_exercise)}
        solved = users_by_exercise.where(SubmissionRow.verdict == "AC")
        solves = {slug: count for slug, count in session.execute(solved)}
        titles = select(ExerciseRow.slug, ExerciseRow.title).order_by(ExerciseRow.slug)
        exercises = session.execute(titles)
        per_exercise = [
            ExerciseStats(slug, title, attempts.get(slug, 0), solves.get(slug, 0))
            for slug, title in exercises
        ]
    return StatsOut(users=users, submissions=submissions, exercises=per_exercise)
