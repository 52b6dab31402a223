"""What the OpenAPI schema needs beyond what Litestar infers from the typed handlers.

- handler docstrings as operation descriptions, and the bearer security scheme
  (`security=BEARER` on the routes that need a token, `OPTIONAL_BEARER` on
  those that take one if it comes);
- `additionalProperties: false` on the bodies that refuse unknown fields,
  which Litestar 2 does not say of msgspec structs, nor the ranges of the
  items of their lists and the values of their dicts (`list[SlugText]`);
- OPTIONS answers whose `Allow` lists every method of their path: Litestar 2's
  own list only the methods of the first handler registered on a path
  (litestar-org/litestar#4169, fixed in Litestar 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import msgspec
from litestar import MediaType, Response
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.openapi.spec import Components, Reference, Schema, SecurityScheme
from litestar.status_codes import HTTP_204_NO_CONTENT
from litestar.typing import FieldDefinition

BEARER: list[dict[str, list[str]]] = [{"bearer": []}]
# A token is optional (reads open to all that show more to an admin); a bad one is a 401.
OPTIONAL_BEARER: list[dict[str, list[str]]] = [{"bearer": []}, {}]


def openapi_config(render_plugins: Sequence[OpenAPIRenderPlugin]) -> OpenAPIConfig:
    """The schema at /schema/openapi.json, browsable with `render_plugins` (local assets)."""
    return OpenAPIConfig(
        title="judge",
        version="1",
        path="/schema",
        render_plugins=list(render_plugins),
        use_handler_docstrings=True,
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="A token from `judge tokens create NAME`.",
                )
            }
        ),
    )


class StrictStructSchemaPlugin(StructSchemaPlugin):
    """msgspec structs as Litestar documents them, closed when they forbid unknown fields."""

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        info = msgspec.inspect.type_info(field_definition.type_)
        if isinstance(info, msgspec.inspect.StructType):
            if info.forbid_unknown_fields:
                schema.additional_properties = False
            for field in info.fields:
                _range_members((schema.properties or {}).get(field.encode_name), field.type)
        return schema


def _range_members(schema: Schema | Reference | None, info: msgspec.inspect.Type) -> None:
    """Give the items of a list, or the values of a dict, the string ranges msgspec checks."""
    if not isinstance(schema, Schema):
        return
    if isinstance(info, msgspec.inspect.Metadata):  # Annotated[..., msgspec.Meta(...)]
        info = info.type
    member: Schema | Reference | bool | None = None
    ranged: msgspec.inspect.Type | None = None
    if isinstance(info, msgspec.inspect.ListType):
        member, ranged = schema.items, info.item_type
    elif isinstance(info, msgspec.inspect.DictType):
        member, ranged = schema.additional_properties, info.value_type
    if isinstance(member, Schema) and isinstance(ranged, msgspec.inspect.StrType):
        member.min_length, member.max_length = ranged.min_length, ranged.max_length
        member.pattern = ranged.pattern


def options_handlers(handlers: Iterable[HTTPRouteHandler]) -> list[HTTPRouteHandler]:
    """An OPTIONS handler per path of `handlers`, to register before them."""
    methods: dict[str, set[str]] = {}
    for handler in handlers:
        for path in handler.paths:
            methods.setdefault(path, {"OPTIONS"}).update(handler.http_methods)
    return [_options(path, ", ".join(sorted(allowed))) for path, allowed in methods.items()]


def _options(path: str, allow: str) -> HTTPRouteHandler:
    def options() -> Response[None]:
        return Response(
            None,
            status_code=HTTP_204_NO_CONTENT,
            headers={"Allow": allow},
            media_type=MediaType.TEXT,
        )

    return HTTPRouteHandler(
        path=path, http_method="OPTIONS", include_in_schema=False, sync_to_thread=False
    )(options)
