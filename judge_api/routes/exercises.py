"""`/exercises`: the public view of exercises; authors and admins upload folders as files."""

from __future__ import annotations

from litestar import get, post, put
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.params import FromPath, JSONBody
from sqlalchemy import select

from judge_api import catalog
from judge_api.auth import CallerDep, ServiceDep, require
from judge_api.errors import UnprocessableError, responses
from judge_api.openapi import BEARER
from judge_api.schemas import ExerciseIn, NewExerciseIn, Slug
from judge_api.service import Service
from judge_api.tokens import Role
from runners.judging.exercise import ExerciseError, PublicExercise
from runners.store.models import ExerciseRow


@get("/exercises", sync_to_thread=True, responses=responses(503))
def list_exercises(service: ServiceDep) -> list[PublicExercise]:
    """Every exercise, by slug: what anyone may see of it."""
    with service.db.session() as session:
        rows = session.scalars(select(ExerciseRow).order_by(ExerciseRow.slug))
        return [row.public for row in rows]


@get("/exercises/{slug:str}", sync_to_thread=True, responses=responses(400, 404, 503))
def read_exercise(slug: FromPath[Slug], service: ServiceDep) -> PublicExercise:
    """One exercise: wording, languages, limits and samples, never hidden tests or checks."""
    with service.db.session() as session:
        row = session.get(ExerciseRow, slug)
        if row is None:
            raise NotFoundException(f"unknown exercise {slug!r}")
        return row.public


def _install(
    service: Service, slug: str, data: ExerciseIn, owner_id: int, *, new: bool
) -> PublicExercise:
    files = {name: text.encode() for name, text in data.files.items()}
    try:
        return catalog.install(
            service.db, service.settings.exercises_dir, slug, files, owner_id, new=new
        )
    except ExerciseError as error:
        raise UnprocessableError(f"invalid exercise: {error}") from None
    except catalog.ExerciseExists as error:
        raise HTTPException(str(error), status_code=409) from None


@post(
    "/exercises",
    status_code=201,
    sync_to_thread=True,
    security=BEARER,
    responses=responses(400, 401, 403, 409, 413, 422, 503),
)
def create_exercise(
    data: JSONBody[NewExerciseIn], service: ServiceDep, caller: CallerDep
) -> PublicExercise:
    """Create an exercise from its folder's files (authors and admins).

    The files are validated as a whole folder (names, `exercise.toml`, tests)
    before anything is written: a refused upload leaves nothing behind.
    """
    require(caller, Role.AUTHOR)
    with service.db.session() as session:
        if session.get(ExerciseRow, data.slug) is not None:
            raise HTTPException(f"exercise {data.slug!r} exists: PUT to update it", status_code=409)
    return _install(service, data.slug, data, caller.id, new=True)


@put(
    "/exercises/{slug:str}",
    sync_to_thread=True,
    security=BEARER,
    responses=responses(400, 401, 403, 404, 413, 422, 503),
)
def update_exercise(
    slug: FromPath[Slug], data: JSONBody[ExerciseIn], service: ServiceDep, caller: CallerDep
) -> PublicExercise:
    """Replace an exercise's folder with these files (its author, or an admin).

    Validated as on creation; the exercise stays as it was when refused.
    """
    require(caller, Role.AUTHOR)
    with service.db.session() as session:
        row = session.get(ExerciseRow, slug)
        if row is None:
            raise NotFoundException(f"unknown exercise {slug!r}")
        owner_id = row.owner_id
    if not caller.is_admin and owner_id != caller.id:
        raise PermissionDeniedException(f"exercise {slug!r} belongs to another author")
    return _install(service, slug, data, owner_id or caller.id, new=False)


handlers = [list_exercises, read_exercise, create_exercise, update_exercise]
