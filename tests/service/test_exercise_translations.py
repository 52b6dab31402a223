"""Translated wordings over HTTP: `?lang=` and Accept-Language pick `wording.<lang>.md`."""

from __future__ import annotations

import pytest
from service_support import Api

from judge_api.routes.exercises import wanted_languages
from judge_api.tokens import Role

FILES = {
    "exercise.toml": 'title = "Echo"\nlanguages = ["python"]\n',
    "wording.md": "Print what you read.\n",
    "wording.fr.md": "Affichez ce que vous lisez.\n",
    "wording.pt-br.md": "Imprima o que você lê.\n",
    "tests/1.in": "1\n",
    "tests/1.out": "1\n",
}


@pytest.fixture
def echo(api: Api) -> Api:
    created = api.client.post(
        "/api/v1/exercises", json={"slug": "echo", "files": FILES}, headers=api.auth(Role.AUTHOR)
    )
    assert created.status_code == 201, created.text
    return api


@pytest.mark.parametrize(
    ("query", "accept", "language", "wording"),
    [
        ("", None, "en", "Print what you read.\n"),
        ("?lang=fr", None, "fr", "Affichez ce que vous lisez.\n"),
        ("", "fr-FR,fr;q=0.9,en;q=0.8", "fr", "Affichez ce que vous lisez.\n"),
        ("", "en-US,en;q=0.9,fr;q=0.8", "en", "Print what you read.\n"),
        ("", "de, fr;q=0.5", "fr", "Affichez ce que vous lisez.\n"),  # the best one it has
        ("", "de", "en", "Print what you read.\n"),  # none: its own wording
        ("", "pt-BR", "pt-br", "Imprima o que você lê.\n"),
        ("?lang=en", "fr", "en", "Print what you read.\n"),  # ?lang= wins
        ("?lang=../../etc/passwd", None, "en", "Print what you read.\n"),
    ],
)
def test_the_wording_in_the_language_asked_for(
    echo: Api, query: str, accept: str | None, language: str, wording: str
) -> None:
    headers = {"Accept-Language": accept} if accept else {}
    shown = echo.client.get(f"/api/v1/exercises/echo{query}", headers=headers)
    assert shown.status_code == 200, shown.text
    assert "Accept-Language" in shown.headers["Vary"]
    body = shown.json()
    assert (body["language"], body["wording"]) == (language, wording)
    assert body["translations"] == ["fr", "pt-br"]
    listed = echo.client.get(f"/api/v1/exercises{query}", headers=headers).json()
    assert [e["wording"] for e in listed if e["slug"] == "echo"] == [wording]


def test_exercises_without_translations_stay_in_their_language(echo: Api) -> None:
    shown = echo.client.get("/api/v1/exercises/sum?lang=fr").json()
    assert (shown["language"], shown["translations"]) == ("en", [])


def test_wanted_languages_order() -> None:
    assert wanted_languages(None, "fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5") == ["fr-ch", "fr", "en"]
    assert wanted_languages("de", "en;q=0,fr;q=bad") == ["de"]
    assert wanted_languages(None, None) == []
