"""Exercises in the database: synced from the exercises folder, which stays the source of truth.

An exercise created or updated through the API is written as a folder,
validated by the same loader as any folder, then moved into place and synced.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import delete, select

from runners.judging.exercise import (
    SLUG,
    Exercise,
    ExerciseError,
    load_exercise,
    load_exercises,
    public_view,
)
from runners.store.database import Database, now
from runners.store.models import ExerciseRow

STAGING = ".staging"  # inside the exercises folder: same filesystem, so moves are atomic


@dataclass(frozen=True)
class SyncReport:
    synced: list[str]
    removed: list[str]
    errors: list[str]


def store_exercise(db: Database, exercise: Exercise, owner_id: int | None = None) -> None:
    """Insert or refresh one exercise row; the owner is kept unless one is given."""
    public = public_view(exercise)
    with db.session() as session:
        row = session.get(ExerciseRow, exercise.slug)
        if row is None:
            row = ExerciseRow(slug=exercise.slug, owner_id=owner_id)
            session.add(row)
        elif owner_id is not None:
            row.owner_id = owner_id
        row.title = exercise.title
        row.public = public
        row.languages = list(exercise.languages)
        row.updated_at = now()


def sync(db: Database, root: Path) -> SyncReport:
    """Make the exercise rows match the folders under `root`."""
    errors: list[ExerciseError] = []
    exercises = load_exercises(root, errors) if root.is_dir() else {}
    for exercise in exercises.values():
        store_exercise(db, exercise)
    with db.session() as session:
        known = set(session.scalars(select(ExerciseRow.slug)))
        gone = sorted(known - set(exercises))
        if gone:
            session.execute(delete(ExerciseRow).where(ExerciseRow.slug.in_(gone)))
    return SyncReport(sorted(exercises), gone, [str(error) for error in errors])


def check_path(name: str) -> PurePosixPath:
    """A relative path inside an exercise folder, or ExerciseError."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        raise ExerciseError(f"file name {name!r} must be a relative path without . or ..")
    if any(part.startswith(".") for part in path.parts):
        raise ExerciseError(f"file name {name!r}: hidden files are not allowed")
    return path


def install(root: Path, slug: str, files: dict[str, bytes]) -> Exercise:
    """Validate `files` as exercise folder `slug` and put it in place of any older one."""
    if not SLUG.fullmatch(slug):
        raise ExerciseError("the slug takes lowercase letters, digits, - and _")
    staging = root / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=staging))
    try:
        folder = work / slug
        folder.mkdir()
        for name, data in files.items():
            target = folder / check_path(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        load_exercise(folder)  # raises ExerciseError
        final = root / slug
        if final.exists():
            final.rename(work / "old")
        folder.rename(final)
        return load_exercise(final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
