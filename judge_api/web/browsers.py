"""What browsers other than the page need: CORS, and a docs UI that loads nothing from outside."""

from __future__ import annotations

from litestar.config.cors import CORSConfig
from litestar.openapi.plugins import OpenAPIRenderPlugin, SwaggerRenderPlugin, YamlRenderPlugin

FAVICON = "<link rel='icon' type='image/svg+xml' href='/static/favicon.svg'>"


def cors(origins: tuple[str, ...]) -> CORSConfig | None:
    """Cross-origin calls from `origins` (JUDGE_CORS_ORIGINS); none when unset.

    Tokens travel in a header, never in cookies, so credentials stay off;
    `Retry-After` is exposed so that a page can honour a 429.
    """
    if not origins:
        return None
    return CORSConfig(allow_origins=list(origins), expose_headers=["Retry-After"], max_age=600)


def docs_ui() -> list[OpenAPIRenderPlugin]:
    """Swagger UI at `/schema` and `/schema/swagger`, its files vendored in static/swagger-ui/.

    Litestar's other UIs (ReDoc, Elements, RapiDoc, Scalar) load their code from
    a CDN, so they are left out; `/schema/openapi.json` is always there.
    """
    swagger = SwaggerRenderPlugin(
        path=["/", "/swagger"],
        js_url="/static/swagger-ui/swagger-ui-bundle.js",
        css_url="/static/swagger-ui/swagger-ui.css",
        standalone_preset_js_url="/static/swagger-ui/swagger-ui-standalone-preset.js",
        favicon=FAVICON,
    )
    return [swagger, YamlRenderPlugin(favicon=FAVICON)]
