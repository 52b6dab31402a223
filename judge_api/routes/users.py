"""`/me` and `/users`: who is calling, and users' progress as HackInScience shows it."""

from __future__ import annotations

from litestar import get
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath

from judge_api.auth import CallerDep, ServiceDep, require
from judge_api.errors import responses
from judge_api.openapi import BEARER
from judge_api.schemas import ExerciseProgress, MeOut, UserName, UserProgress, UserProgressOut
from judge_api.tokens import Role
from runners.store import history, users


@get("/me", sync_to_thread=True, security=BEARER, responses=responses(401, 503))
def me(caller: CallerDep) -> MeOut:
    """The caller's name and role."""
    return MeOut(caller.name, caller.role.value)


def _progress(found: history.Progress) -> UserProgress:
    return UserProgress(found.user, found.role, found.solved, found.attempted, found.submissions)


@get("/users", sync_to_thread=True, security=BEARER, responses=responses(401, 403, 503))
def list_users(service: ServiceDep, caller: CallerDep) -> list[UserProgress]:
    """Every user's progress, the most exercises solved first (admins)."""
    require(caller, Role.ADMIN)
    return [_progress(found) for found in history.progress(service.db)]


@get(
    "/users/{name:str}",
    sync_to_thread=True,
    security=BEARER,
    responses=responses(400, 401, 403, 404, 503),
)
def read_user(name: FromPath[UserName], service: ServiceDep, caller: CallerDep) -> UserProgressOut:
    """A user's progress, exercise by exercise (the user, or an admin)."""
    if name != caller.name and not caller.is_admin:
        raise PermissionDeniedException("you may see only your own progress")
    user = users.find_user(service.db, name)
    if user is None:
        raise NotFoundException(f"unknown user {name!r}")
    (total,) = history.progress(service.db, user.id)
    exercises = [
        ExerciseProgress(done.exercise, done.attempts, done.solved)
        for done in history.exercises_of(service.db, user.id)
    ]
    return UserProgressOut(
        total.user, total.role, total.solved, total.attempted, total.submissions, exercises
    )


handlers = [me, list_users, read_user]
