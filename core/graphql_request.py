"""The one place an HTTP request becomes GraphQL operations: anything else is a coded 400.

strawberry decodes the body with ``json.loads`` and checks only part of its shape, so a body
of ``null``, ``1`` or ``[[]]``, a batch holding a string, ``NaN``, invalid UTF-8, a lone
surrogate (``"\\ud800"``), 50,000 nested arrays or a 5,000-digit integer each reached the
server as an exception and a plain-text 500. Here the body (or the GET parameters) is
decoded by orjson, which refuses NaN and infinities, invalid UTF-8, lone surrogates and
nesting past 1024 levels, and reads an integer past 64 bits as a float (which no Int or ID
input accepts); the result must be an operation (an object) or a non-empty batch of them,
each field of the type GraphQL-over-HTTP gives it. A refusal is strawberry's HTTPException,
answered by the app with ``BAD_REQUEST`` and a message that never repeats the body.

The answer's media type is negotiated here too (the GraphQL-over-HTTP spec): a client whose
``Accept`` prefers ``application/graphql-response+json`` gets that type, and a *request error*
(the document does not parse or validate, a variable cannot be coerced, a limit refuses it)
is then a 400 whose body has no ``data`` entry, so a client library tells a request it must
not retry from a result. ``application/json`` (or no ``Accept``) keeps the older behaviour:
200 with ``"data": null``, which clients written before the spec expect.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from cross_web import HTTPException

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"

# An operation's members and the types they may have (None: absent or null).
FIELDS: dict[str, tuple[type, ...]] = {
    "query": (str,),
    "variables": (dict,),
    "operationName": (str,),
    "extensions": (dict,),
}


def decode_json(data: str | bytes, what: str = "request body") -> Any:
    """JSON as orjson reads it, or a 400 that says which part was not JSON (not its text)."""
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate in an already decoded string
            raise HTTPException(400, f"Unable to parse {what} as JSON") from exc
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise HTTPException(400, f"Unable to parse {what} as JSON") from exc


def check_operation(item: Any, where: str = "The GraphQL operation") -> dict[str, Any]:
    """``item`` if it is an operation object whose members have their types, else a 400."""
    if not isinstance(item, dict):
        raise HTTPException(400, f"{where} must be a JSON object")
    for name, types in FIELDS.items():
        value = item.get(name)
        if value is not None and not isinstance(value, types):
            kind = "a string" if types == (str,) else "an object"
            raise HTTPException(400, f"{where}'s `{name}` must be {kind} or null, if provided")
    return item


def check_request(data: Any) -> dict[str, Any] | list[dict[str, Any]]:
    """An operation, or a non-empty batch (a list) of operations; anything else a 400."""
    if isinstance(data, list):
        if not data:
            raise HTTPException(400, "A batch must hold at least one operation")
        return [
            check_operation(item, f"Operation {index} of the batch")
            for index, item in enumerate(data)
        ]
    return check_operation(data)


def from_body(body: bytes) -> dict[str, Any] | list[dict[str, Any]]:
    """A POST's ``application/json`` body as operations."""
    return check_request(decode_json(body))


def from_query_params(params: Mapping[str, str]) -> dict[str, Any]:
    """A GET's parameters as one operation (``variables`` and ``extensions`` are JSON)."""
    data: dict[str, Any] = dict(params)
    for name in ("variables", "extensions"):
        if data.get(name):
            data[name] = decode_json(data[name], f"the `{name}` parameter")
        else:
            data.pop(name, None)
    return check_operation(data)


def preferred_media_type(accept: str | None) -> str:
    """``GRAPHQL_RESPONSE`` when the ``Accept`` header ranks it above ``application/json``
    (by q, then by order; ``*/*`` and ``application/*`` count as JSON), else ``JSON``."""
    if not accept or len(accept) > 1024:
        return JSON
    best, best_q = JSON, -1.0
    for item in accept.split(","):
        kind, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        kind = kind.lower()
        if kind == GRAPHQL_RESPONSE:
            candidate = GRAPHQL_RESPONSE
        elif kind in (JSON, "application/*", "*/*"):
            candidate = JSON
        else:
            continue
        if q > best_q:
            best, best_q = candidate, q
    return best if best_q > 0 else JSON


def is_request_error(result: Any) -> bool:
    """The operation never ran: no data and only errors without a path (parse, validation,
    variable coercion, a limit). A field error always has a path, and keeps its 200."""
    errors = getattr(result, "errors", None)
    return (
        getattr(result, "data", None) is None
        and bool(errors)
        and all(getattr(error, "path", None) is None for error in errors)
    )


def shape_result(request: Any, result: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The processed result as the negotiated media type wants it: for a request error under
    ``GRAPHQL_RESPONSE``, without ``data`` and marked for a 400 (``finish_response``)."""
    if preferred_media_type(request.headers.get("accept")) != GRAPHQL_RESPONSE:
        return data
    if is_request_error(result):
        request.state.graphql_request_error = True
        data = {key: value for key, value in data.items() if key != "data"}
    return data


def finish_response(request: Any, response: Any) -> Any:
    """The response with the negotiated media type, and 400 for a single operation's request
    error (a batch keeps 200: each of its results says what it is)."""
    if preferred_media_type(request.headers.get("accept")) != GRAPHQL_RESPONSE:
        return response
    if response.headers.get("content-type", "").startswith(JSON):
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        if getattr(request.state, "graphql_request_error", False) and response.status_code == 200:
            response.status_code = 400
    return response
