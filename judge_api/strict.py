"""Strict input: bodies decoded as msgspec's strict mode does, booleans `true` or `false` only.

Litestar converts what it parsed with msgspec's lax rules, under which `"1"`
is a fine number and `?wait=1` a fine boolean. `strict_input`, run before
Litestar parses anything, refuses them with a 400 that names the field; what
it lets through, Litestar then reads as the same values. Decoding against the
declared type also stops at the first unexpected `[`, where an untyped
decoder would recurse through a deeply nested body until RecursionError.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import ValidationException

FLAGS = ("true", "false")


async def strict_input(request: Request[Any, Any, Any]) -> None:
    """Raise ValidationException (400) for a loosely typed body or boolean query parameter."""
    handler = request.route_handler
    for name, field in handler.parsed_fn_signature.parameters.items():
        value = request.query_params.get(name)
        if field.annotation is bool and value is not None and value not in FLAGS:
            raise ValidationException(
                f"query parameter {name}: expected true or false, got {value!r}"
            )
    data = handler.parsed_fn_signature.parameters.get("data")  # the declared body
    if data is None:
        return
    body = await request.body()
    if body:
        _decode(body, data.annotation)
    elif not data.has_default:
        raise ValidationException("the request needs a JSON body")


@cache
def _decoder(body_type: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(body_type, strict=True)


def _decode(body: bytes, body_type: Any) -> None:
    try:
        _decoder(body_type).decode(body)
    except msgspec.ValidationError as error:
        raise ValidationException(f"invalid body: {error}") from None
    except msgspec.DecodeError as error:
        raise ValidationException(f"the body is not valid JSON: {error}") from None
    except RecursionError:  # unknown fields are skipped recursively where they are allowed
        raise ValidationException("the body is nested too deeply") from None
