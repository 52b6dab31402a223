"""What browsers other than the page get: CORS, `?token=` on event streams, an offline docs UI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser_support import Site, open_page, start_site
from playwright.sync_api import BrowserContext, expect
from service_support import SOURCES

from runners.settings import settings

SCHOOL = "https://school.example"
# From a page of `site`, call another service's API the way a web client does.
CALL_API = """async (url) => {
  try {
    const response = await fetch(url, { headers: { Authorization: "Bearer nobody" } });
    return response.status;
  } catch (error) {
    return error.name;
  }
}"""
# The browser's own EventSource, which cannot send headers: only ?token= works.
FOLLOW = """(url) => new Promise((resolve) => {
  const seen = [];
  const source = new EventSource(url);
  source.addEventListener("test", () => seen.push("test"));
  source.addEventListener("result", (event) => {
    seen.push(JSON.parse(event.data).verdict);
    source.close();
    resolve(seen);
  });
  source.onerror = () => { source.close(); resolve([...seen, "error"]); };
})"""


@pytest.fixture(scope="module")
def cors_site(tmp_path_factory: pytest.TempPathFactory, site: Site) -> Iterator[Site]:
    """A second service that lets `site`'s page and SCHOOL call its API."""
    origins = f"{SCHOOL}, {site.origin}/"  # spaces and a trailing slash are forgiven
    deployment = start_site(tmp_path_factory.mktemp("cors"), JUDGE_CORS_ORIGINS=origins)
    try:
        yield Site(deployment)
    finally:
        deployment.stop()


@pytest.mark.parametrize(
    ("value", "origins"),
    [
        ("", ()),
        (
            " https://a.example/ ,http://b.example:8080,",
            ("https://a.example", "http://b.example:8080"),
        ),
        ("*", ("*",)),
    ],
)
def test_cors_origins_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, origins: tuple[str, ...]
) -> None:
    monkeypatch.setenv("JUDGE_CORS_ORIGINS", value)
    settings.cache_clear()
    try:
        assert settings().cors_origins == origins
    finally:
        settings.cache_clear()


def test_a_cors_origin_without_its_scheme_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUDGE_CORS_ORIGINS", "school.example")
    settings.cache_clear()
    try:
        with pytest.raises(SystemExit, match="not an origin like https://"):
            settings()
    finally:
        settings.cache_clear()


def preflight(site: Site, origin: str) -> httpx.Response:
    return httpx.options(
        f"{site.origin}/api/v1/submissions",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_listed_origins_may_call_the_api(cors_site: Site) -> None:
    allowed = preflight(cors_site, SCHOOL)
    assert allowed.status_code in (200, 204)
    assert allowed.headers["access-control-allow-origin"] == SCHOOL
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    assert "POST" in allowed.headers["access-control-allow-methods"]
    read = httpx.get(f"{cors_site.origin}/api/v1/exercises", headers={"Origin": SCHOOL})
    assert read.headers["access-control-allow-origin"] == SCHOOL
    assert "retry-after" in read.headers["access-control-expose-headers"].lower()


def test_other_origins_get_no_cors_headers(cors_site: Site, site: Site) -> None:
    assert "access-control-allow-origin" not in preflight(cors_site, "https://evil.example").headers
    other = httpx.get(
        f"{cors_site.origin}/api/v1/exercises", headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers
    # Without JUDGE_CORS_ORIGINS, no origin at all.
    unset = httpx.get(f"{site.origin}/api/v1/exercises", headers={"Origin": SCHOOL})
    assert "access-control-allow-origin" not in unset.headers
    assert "access-control-allow-origin" not in preflight(site, SCHOOL).headers


def test_a_browser_calls_only_the_services_that_allow_its_origin(
    site: Site, cors_site: Site, context: BrowserContext
) -> None:
    # A page of `site` without the page's own CSP (which allows its own origin only).
    page = open_page(context, f"{site.origin}/schema/openapi.json").page
    assert page.evaluate(CALL_API, f"{cors_site.origin}/api/v1/me") in (401, 404)
    page = open_page(context, f"{cors_site.origin}/schema/openapi.json").page
    assert page.evaluate(CALL_API, f"{site.origin}/api/v1/exercises") == "TypeError"


@pytest.fixture(scope="module")
def judged(site: Site) -> int:
    """A submission of `site`'s user, judged."""
    response = httpx.post(
        f"{site.origin}/api/v1/submissions?wait=true",
        json={"exercise": "sum", "language": "python", "source": SOURCES["python", "AC"]},
        headers={"Authorization": f"Bearer {site.token}"},
        timeout=120,
    )
    assert response.status_code == 202 and response.json()["status"] == "done", response.text
    submission_id: int = response.json()["id"]
    return submission_id


def test_event_streams_take_the_token_in_the_query(site: Site, judged: int) -> None:
    url = f"{site.origin}/api/v1/submissions/{judged}/events"
    with httpx.stream("GET", url, params={"token": site.token}, timeout=60) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        body = "".join(response.iter_text())
    assert body.count("event: test") == 2 and "event: result" in body
    assert httpx.get(url, params={"token": "wrong"}).status_code == 401
    assert "?token=" in httpx.get(url).json()["message"]


def test_other_routes_refuse_the_token_in_the_query(site: Site, judged: int) -> None:
    query = {"token": site.token}
    read = httpx.get(f"{site.origin}/api/v1/submissions/{judged}", params=query)
    assert read.status_code == 401
    assert "?token=" not in read.json()["message"]
    bodies = {
        "submissions": {"exercise": "sum", "language": "python", "source": "print(1)"},
        "runs": {"language": "python", "source": "print(1)"},
    }
    for route, body in bodies.items():
        response = httpx.post(f"{site.origin}/api/v1/{route}", params=query, json=body)
        assert response.status_code == 401


def test_the_browsers_event_source_follows_a_submission(
    site: Site, judged: int, context: BrowserContext
) -> None:
    page = open_page(context, site.origin).page
    url = f"/api/v1/submissions/{judged}/events?token={site.token}"
    assert page.evaluate(FOLLOW, url) == ["test", "test", "AC"]


def test_the_access_log_never_shows_a_query_token(site: Site, judged: int) -> None:
    url = f"{site.origin}/api/v1/submissions/{judged}/events"
    with httpx.stream("GET", url, params={"token": site.token}, timeout=60) as response:
        response.read()
    log = Path(site.deployment.processes[0].log).read_text()
    assert f"/submissions/{judged}/events?token=[redacted]" in log
    assert site.token not in log


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger"])
def test_the_docs_ui_works_offline(site: Site, context: BrowserContext, path: str) -> None:
    watched = open_page(context, f"{site.origin}{path}")
    expect(watched.page.locator(".swagger-ui .info .title")).to_contain_text("judge")
    expect(watched.page.get_by_text("/api/v1/submissions/{submission_id}/events")).to_be_visible()
    watched.page.wait_for_load_state("networkidle")
    watched.assert_clean()
