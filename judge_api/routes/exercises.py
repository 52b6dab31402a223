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
from judge_api.errors import UnprocessableError
from judge_api.schemas import ExerciseIn, NewExerciseIn
from judge_api.service import Service
from judge_api.tokens import Role
from runners.judging.exercise import ExerciseError, PublicExercise, localized, public_view
from runners.store.models import ExerciseRow

LanguageQuery = Annotated[
    str | None, QueryParameter(description="the wording's language, e.g. fr")
]
AcceptLanguage = Annotated[str | None, HeaderParameter(name="Accept-Language")]
VARY = [ResponseHeader(name="Vary", value="Accept-Language")]


@get("/exercises", sync_to_thread=True, response_headers=VARY)
def list_exercises(
    service: ServiceDep, lang: LanguageQuery = None, accept_language: AcceptLanguage = None
) -> list[PublicExercise]:
    """Every exercise, by slug: what anyone may see of it, in the language asked for."""
    wanted = wanted_languages(lang, accept_language)
    with service.db.session() as session:
        rows = session.scalars(select(ExerciseRow).order_by(ExerciseRow.slug))
        return [in_language(service, row.public, wanted) for row in rows]


@get("/exercises/{slug:str}", sync_to_thread=True, response_headers=VARY)
def read_exercise(
    slug: FromPath[str],
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
