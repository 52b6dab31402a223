"""Submissions as the API shows them: with their tests (one) or without (in lists)."""

from __future__ import annotations

from judge_api.schemas import SubmissionOut, SubmissionSummary
from runners.judging.verdict import Verdict
from runners.store.database import aware
from runners.store.models import SubmissionRow


def summary(row: SubmissionRow) -> SubmissionSummary:
    """The submission without its tests (they need not be loaded)."""
    judged = aware(row.judged_at).isoformat() if row.judged_at else None
    return SubmissionSummary(
        id=row.id, exercise=row.exercise, language=row.language, status=row.status,
        verdict=Verdict(row.verdict) if row.verdict else None, score=row.score,
        max_score=row.max_score, compile_output=row.compile_output,
        created_at=aware(row.created_at).isoformat(), judged_at=judged,
        user=row.owner.name if row.owner else None,
        contest=row.contest.slug if row.contest else None,
    )  # fmt: skip


def view(row: SubmissionRow) -> SubmissionOut:
    """The whole submission: `summary` and its tests."""
    brief = summary(row)
    fields = {name: getattr(brief, name) for name in brief.__struct_fields__}
    return SubmissionOut(**fields, tests=row.tests)
