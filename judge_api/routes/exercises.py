"""`/exercises`: the public view of exercises; authors and admins upload folders as files."""

from __future__ import annotations

from litestar import get, post, put
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.params import FromPath, JSONBody
from sqlalchemy import select

from judge_api import catalog
from judge_api.auth import CallerDep, ServiceDep, require
from judge_api.errors import UnprocessableError
from judge_api.schemas import ExerciseIn, NewExerciseIn
from judge_api.service import Service
from judge_api.tokens import Role
from runners.judging.exercise import ExerciseError, PublicExercise, public_view
from runners.store.models import ExerciseRow


@get("/exercises", sync_to_thread=True)
def list_exercises(service: ServiceDep) -> list[PublicExercise]:
    """Every exercise, by slug: what anyone may see of it."""
    with service.db.session() as session:
        rows = session.scalars(select(ExerciseRow).order_by(ExerciseRow.slug))
        return [row.public for row in rows]


@get("/exercises/{slug:str}", sync_to_thread=True)
def read_exercise(slug: FromPath[str], service: ServiceDep) -> PublicExercise:
    """One exercise: wording, languages, limits and samples, never hidden tests or checks."""
    with service.db.session() as session:
        row = session.get(ExerciseRow, slug)
        if row is None:
            raise NotFoundException(f"unknown exercise {slug!r}")
        return row.public


def _save(service: Service, slug: str, files: dict[str, str], owner_id: int) -> PublicExercise:
    try:
        exercise = catalog.install(
            service.settings.exercises_dir,
            slug,
            {name: text.encode() for name, text in files.items()},
        )
    except ExerciseError as error:
        raise UnprocessableError(f"invalid exercise: {error}") from None
    catalog.store_exercise(service.db, exercise, owner_id)
    return public_view(exercise)


@post("/exercises", status_code=201, sync_to_thread=True)
def create_exercise(
    data: JSONBody[NewExerciseIn], service: ServiceDep, caller: CallerDep
) -> PublicExercise:
    """Create an exercise from its folder's files (authors and admins)."""
    require(caller, Role.AUTHOR)
    with service.db.session() as session:
        if session.get(ExerciseRow, data.slug) is not None:
            raise HTTPException(f"exercise {data.slug!r} exists: PUT to update it", status_code=409)
    if (service.settings.exercises_dir / data.slug).exists():
        raise HTTPException(f"folder {data.slug!r} exists but is not valid", status_code=409)
    return _save(service, data.slug, data.files, caller.id)


@put("/exercises/{slug:str}", sync_to_thread=True)
def update_exercise(
    slug: FromPath[str], data: JSONBody[ExerciseIn], service: ServiceDep, caller: CallerDep
) -> PublicExercise:
    """Replace an exercise's folder (its author, or an admin)."""
    require(caller, Role.AUTHOR)
    with service.db.session() as session:
        row = session.get(ExerciseRow, slug)
        if row is None:
            raise NotFoundException(f"unknown exercise {slug!r}")
        owner_id = row.owner_id
    if not caller.is_admin and owner_id != caller.id:
        raise PermissionDeniedException(f"exercise {slug!r} belongs to another author")
    return _save(service, slug, data.files, owner_id or caller.id)


handlers = [list_exercises, read_exercise, create_exercise, update_exercise]
