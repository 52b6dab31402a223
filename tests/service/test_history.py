"""The history of submissions (filters, pages, who sees what), sources, and users' progress."""

from __future__ import annotations

from typing import Any

import pytest
from service_support import SOURCES, Api

from judge_api.tokens import Role

AC = {"exercise": "sum", "language": "python", "source": SOURCES["python", "AC"]}
WA = {**AC, "source": SOURCES["python", "WA"]}


def submit(api: Api, headers: dict[str, str], body: dict[str, str]) -> int:
    response = api.client.post("/api/v1/submissions?wait=true", json=body, headers=headers)
    assert response.status_code == 202 and response.json()["status"] == "done", response.text
    submission_id: int = response.json()["id"]
    return submission_id


def listing(api: Api, headers: dict[str, str], query: str = "", status: int = 200) -> Any:
    response = api.client.get(f"/api/v1/submissions{query}", headers=headers)
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
def history(api: Api) -> tuple[Api, dict[str, str], dict[str, str], list[int]]:
    """ann: AC, WA, AC (in that order); bob: WA."""
    ann, bob = api.new_token(name="ann"), api.new_token(name="bob")
    ids = [submit(api, ann, AC), submit(api, ann, WA), submit(api, bob, WA), submit(api, ann, AC)]
    return api, ann, bob, ids


def test_users_see_their_own_newest_first_and_admins_everyones(
    history: tuple[Api, dict[str, str], dict[str, str], list[int]],
) -> None:
    api, ann, _, ids = history
    page = listing(api, ann)
    assert [item["id"] for item in page["items"]] == [ids[3], ids[1], ids[0]]
    assert page["next"] is None
    item = page["items"][0]
    shown = (item["user"], item["contest"], item["verdict"], item["exercise"])
    assert shown == ("ann", None, "AC", "sum")
    assert "tests" not in item
    everyone = listing(api, api.auth(Role.ADMIN))
    assert [item["id"] for item in everyone["items"]] == ids[::-1]
    assert [i["user"] for i in listing(api, api.auth(Role.ADMIN), "?user=bob")["items"]] == ["bob"]
    assert [i["id"] for i in listing(api, ann, "?verdict=AC")["items"]] == [ids[3], ids[0]]
    assert listing(api, ann, "?exercise=slow")["items"] == []


def test_pages_follow_the_cursor_to_the_end(
    history: tuple[Api, dict[str, str], dict[str, str], list[int]],
) -> None:
    api, _, _, ids = history
    admin = api.auth(Role.ADMIN)
    seen: list[int] = []
    query = "?limit=3"
    while True:
        page = listing(api, admin, query)
        seen += [item["id"] for item in page["items"]]
        if page["next"] is None:
            break
        query = f"?limit=3&cursor={page['next']}"
    assert seen == ids[::-1]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?cursor=abc", 400),
        ("?cursor=-3", 400),
        ("?limit=0", 400),
        ("?limit=100000", 400),
        ("?verdict=NOPE", 400),
        ("?user=bob", 403),  # a user lists only their own
        ("?contest=nope", 404),
    ],
)
def test_bad_listing_queries_are_4xx_with_a_message(api: Api, query: str, status: int) -> None:
    assert listing(api, api.new_token(name="ann"), query, status)["message"]


def test_admins_filtering_on_an_unknown_user_get_404(api: Api) -> None:
    assert "nobody" in listing(api, api.auth(Role.ADMIN), "?user=nobody", 404)["message"]


def test_the_source_goes_to_its_owner_and_admins(
    history: tuple[Api, dict[str, str], dict[str, str], list[int]],
) -> None:
    api, ann, bob, ids = history
    url = f"/api/v1/submissions/{ids[0]}/source"
    assert api.client.get(url, headers=ann).json() == {"language": "python", "source": AC["source"]}
    assert api.client.get(url, headers=api.auth(Role.ADMIN)).status_code == 200
    assert api.client.get(url, headers=bob).status_code == 403
    assert api.client.get("/api/v1/submissions/999/source", headers=ann).status_code == 404


def test_progress_for_the_user_and_for_admins(
    history: tuple[Api, dict[str, str], dict[str, str], list[int]],
) -> None:
    api, ann, bob, _ = history
    mine = api.client.get("/api/v1/users/ann", headers=ann).json()
    assert mine == {
        "user": "ann", "role": "user", "solved": 1, "attempted": 1, "submissions": 3,
        "exercises": [{"exercise": "sum", "attempts": 3, "solved": True}],
    }  # fmt: skip
    assert api.client.get("/api/v1/users/ann", headers=bob).status_code == 403
    assert api.client.get("/api/v1/users/bob", headers=api.auth(Role.ADMIN)).json()["solved"] == 0
    assert api.client.get("/api/v1/users/nobody", headers=api.auth(Role.ADMIN)).status_code == 404
    assert api.client.get("/api/v1/users", headers=ann).status_code == 403
    board = api.client.get("/api/v1/users", headers=api.auth(Role.ADMIN)).json()
    assert board[0]["user"] == "ann"  # the most solved first
    assert {row["user"]: row["submissions"] for row in board}["bob"] == 1
