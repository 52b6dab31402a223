"""Exercises in the database: synced from the exercises folder, which stays the source of truth.

An exercise created or updated through the API is written as a folder in a
scratch place, validated by the same loader as any folder, its row written in
a transaction, and only then moved into place (the transaction committed
after): a refused upload leaves nothing behind.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import delete, select
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, StatementError
from sqlalchemy.orm import Session

from runners.judging.exercise import (
    SLUG,
    Exercise,
    ExerciseError,
    PublicExercise,
    load_exercise,
    load_exercises,
    public_view,
)
from runners.store.database import Database, now
from runners.store.models import ExerciseRow

log = logging.getLogger(__name__)
STAGING = ".staging"  # inside the exercises folder: same filesystem, so moves are atomic
SLUG_MAX = 100  # characters, as the database keeps them


@dataclass(frozen=True)
class SyncReport:
    synced: list[str]
    removed: list[str]
    errors: list[str]


def store_exercise(db: Database, exercise: Exercise, owner_id: int | None = None) -> None:
    """Insert or refresh one exercise row; the owner is kept unless one is given."""
    with db.session() as session:
        _upsert(session, exercise, public_view(exercise), owner_id)


def _upsert(
    session: Session,
    exercise: Exercise,
    public: PublicExercise,
    owner_id: int | None,
    lock: bool = False,
) -> None:
    row = session.get(ExerciseRow, exercise.slug, with_for_update=lock)
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
    """Make the exercise rows match the folders under `root`.

    A folder that does not load, or that the database refuses, is reported and
    skipped: starting the service never depends on the content of one exercise.
    """
    failures: list[ExerciseError] = []
    exercises = load_exercises(root, failures) if root.is_dir() else {}
    errors = [str(error) for error in failures]
    synced = []
    for slug, exercise in exercises.items():
        try:
            store_exercise(db, exercise)
        except OperationalError:
            raise  # the database is down: no exercise's fault
        except (StatementError, ValueError, ArithmeticError, OSError) as error:
            log.warning("exercise %s cannot be stored: %s", slug, error)
            errors.append(f"{exercise.path}: cannot be stored: {error}")
        else:
            synced.append(slug)
    with db.session() as session:
        known = set(session.scalars(select(ExerciseRow.slug)))
        gone = sorted(known - set(exercises))
        if gone:
            session.execute(delete(ExerciseRow).where(ExerciseRow.slug.in_(gone)))
    return SyncReport(synced, gone, errors)


MAX_FILES = 10_000
NAME_MAX = 255  # bytes of one file or folder name (Linux's NAME_MAX)
PATH_MAX = 1024  # bytes of a whole relative path


class ExerciseExists(Exception):
    """An exercise, or a folder, of this slug is already there."""


def check_path(name: str) -> PurePosixPath:
    """A relative path inside an exercise folder, or ExerciseError."""
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        raise ExerciseError(
            f"file name {name!r} must be a relative path without empty parts, . or .."
        )
    if any(part.startswith(".") for part in path.parts):
        raise ExerciseError(f"file name {name!r}: hidden files are not allowed")
    if any(ord(char) < 32 or char == "\x7f" for char in name):
        raise ExerciseError(f"file name {name!r}: control characters are not allowed")
    if len(name.encode()) > PATH_MAX or any(len(p.encode()) > NAME_MAX for p in path.parts):
        raise ExerciseError(
            f"file name {name[:50]!r}...: longer than {NAME_MAX} bytes per name"
            f" or {PATH_MAX} in all"
        )
    return path


def check_files(files: Mapping[str, bytes]) -> dict[PurePosixPath, bytes]:
    """An upload's files by path, checked as a whole: no name is both a file and a folder."""
    if len(files) > MAX_FILES:
        raise ExerciseError(f"{len(files)} files: an exercise has {MAX_FILES} at most")
    paths = {check_path(name): data for name, data in files.items()}
    folders = {parent for path in paths for parent in path.parents}
    clashes = sorted(folders.intersection(paths))
    if clashes:
        raise ExerciseError(f"{clashes[0]} is a file, and a folder of other files too")
    return paths


def install(
    db: Database, root: Path, slug: str, files: Mapping[str, bytes], owner_id: int, *, new: bool
) -> PublicExercise:
    """Put exercise `slug`, made of `files`, in place of any older one: its folder and its row.

    Everything is checked before the folder moves into place, the row's
    transaction included, so a refused upload leaves nothing behind.
    Raises ExerciseError (invalid), ExerciseExists (`new`, but the slug is taken).
    """
    if not SLUG.fullmatch(slug) or len(slug) > SLUG_MAX:
        raise ExerciseError(
            f"the slug takes lowercase letters, digits, - and _ ({SLUG_MAX} at most)"
        )
    paths = check_files(files)
    final = root / slug
    if new and final.exists():
        raise ExerciseExists(f"folder {slug!r} exists but is not a valid exercise")
    with _staging(root) as work:
        folder = work / slug
        for path, data in paths.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
        try:
            exercise = load_exercise(folder)
        except ExerciseError as error:  # named inside the upload, not the scratch folder
            raise ExerciseError(str(error).replace(f"{work}/", "")) from None
        public = public_view(exercise)  # read from the folder before it moves
        try:
            with db.session() as session:  # committed once the folder is in place
                _upsert(session, exercise, public, owner_id, lock=True)
                session.flush()
                _swap(folder, final, work / "old")
        except IntegrityError:
            raise ExerciseExists(f"exercise {slug!r} exists: PUT to update it") from None
        except DataError as error:
            raise ExerciseError(f"{slug}: the database cannot hold it: {error.orig}") from None
    return public


@contextmanager
def _staging(root: Path) -> Iterator[Path]:
    """A scratch folder beside the exercises (same file system: moves are atomic), removed after."""
    staging = root / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=staging))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with suppress(OSError):  # another upload is using it
            staging.rmdir()


def _swap(folder: Path, final: Path, old: Path) -> None:
    """Move `folder` to `final`, the older `final` (if any) to `old`; all or nothing."""
    if final.exists():
        final.rename(old)
    try:
        folder.rename(final)
    except OSError:
        if old.exists():
            old.rename(final)
        raise
