"""`/exercises`: the public view of exercises; authors and admins upload folders as files."""

from __future__ import annotations

from typing import Annotated

from litestar import get, post, put
from litestar.datastructures import ResponseHeader
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from sqlalchemy import select

from judge_api import catalog
from judge_api.auth import CallerDep, ServiceDep, require
from judge_api.errors import UnprocessableError, responses
from judge_api.openapi import BEARER
from judge_api.schemas import ExerciseIn, NewExerciseIn, Slug
from judge_api.service import Service
from judge_api.tokens import Role
from runners.judging.exercise import ExerciseError, PublicExercise, localized
from runners.store.models import ExerciseRow

LanguageQuery = Annotated[str | None, QueryParameter(description="the wording's language, e.g. fr")]
AcceptLanguage = Annotated[str | None, HeaderParameter(name="Accept-Language")]
VARY = [ResponseHeader(name="Vary", value="Accept-Language")]


@get("/exercises", sync_to_thread=True, response_headers=VARY, responses=responses(400, 503))
def list_exercises(
    service: ServiceDep, lang: LanguageQuery = None, accept_language: AcceptLanguage = None
) -> list[PublicExercise]:
    """Every exercise, by slug: what anyone may see of it, in the language asked for."""
    wanted = wanted_languages(lang, accept_language)
    with service.db.session() as session:
        rows = session.scalars(select(ExerciseRow).order_by(ExerciseRow.slug))
        return [in_language(service, row.public, wanted) for row in rows]


@get(
    "/exercises/{slug:str}",
    sync_to_thread=True,
    response_headers=VARY,
    responses=responses(400, 404, 503),
)
def read_exercise(
    slug: FromPath[Slug],
    service: ServiceDep,
    lang: LanguageQuery = None,
    accept_language: AcceptLanguage = None,
) -> PublicExercise:
    """One exercise: wording, languages, limits and samples, never hidden tests or checks.

    The wording is in the language of `?lang=`, else the best of Accept-Language
    that the exercise has (`wording.<lang>.md`), else its own (`language`).
    """
    with service.db.session() as session:
        row = session.get(ExerciseRow, slug)
        if row is None:
            raise NotFoundException(f"unknown exercise {slug!r}")
        public = row.public
    return in_language(service, public, wanted_languages(lang, accept_language))


def in_language(service: Service, public: PublicExercise, wanted: list[str]) -> PublicExercise:
    return localized(public, service.settings.exercises_dir / public.slug, wanted)


def wanted_languages(lang: str | None, accept_language: str | None) -> list[str]:
    """Lowercase language tags, best first: `lang`, then Accept-Language by weight.

    Each tag is followed by its primary language (`fr-ca` then `fr`).
    """
    weighted: list[tuple[float, str]] = []
    for item in (accept_language or "").split(","):
        tag, _, parameters = item.partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if tag.strip() not in ("", "*") and weight > 0:
            weighted.append((weight, tag))
    ordered = [lang or "", *(tag for _, tag in sorted(weighted, key=lambda wt: -wt[0]))]
    tags = [tag.strip().lower().replace("_", "-") for tag in ordered if tag.strip()]
    return list(dict.fromkeys(t for tag in tags for t in (tag, tag.partition("-")[0])))


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
