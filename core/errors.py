"""Expected failures, raised by services and turned into data by the API layer.

A service raises :class:`Refused` (slot full, not eligible, window closed, forbidden); the
resolver catches it and returns it in its payload's ``errors`` with a localized message.
:class:`ApiError` is for queries, which have no payload: it becomes a GraphQL error whose
``extensions.code`` carries the code. Neither ever carries personal data in its message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from graphql import GraphQLError

# Every module's error-code enum starts with these.
COMMON_CODES = (
    "INVALID_INPUT",
    "NOT_FOUND",
    "FORBIDDEN",
    "UNAUTHENTICATED",
    "RATE_LIMITED",
    "CONFLICT",
    "TOO_LONG",
)


class Refused(Exception):
    """An expected refusal: ``code`` from the module's enum, the input ``field`` it concerns,
    and ``params`` for its message. ``data`` is anything the payload should still return."""

    def __init__(
        self,
        code: str,
        *,
        field: str | Sequence[str] | None = None,
        data: Any = None,
        **params: Any,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.field = [field] if isinstance(field, str) else (list(field) if field else None)
        self.params = params
        self.data = data


class ApiError(GraphQLError):
    """A failure in a query or subscription, with ``extensions.code`` and a localized message."""

    def __init__(
        self, code: str, locale: str | None = None, *, plugin: str = "core", **params: Any
    ) -> None:
        from linli.core.i18n import DEFAULT, translate

        message = translate(code, locale or DEFAULT, plugin=plugin, **params)
        super().__init__(message, extensions={"code": code})
        self.code = code


# Tortoise checks a CharField's max_length (and other validators) as a row is saved, raising
# "name: Length of '<the value>' 5000 > 100": the limit comes from the model, the message
# quotes the value. Read back as a refusal naming the input field and the limit, never the
# value: every mutation (``attempt``) and every query (core's extensions) inherits it.
_TOO_LONG = re.compile(r"^(?P<field>\w+): Length of .* (?P<length>\d+) > (?P<max>\d+)$", re.S)
_FIELD = re.compile(r"^(?P<field>\w+): ")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def refusal_from_validation(exc: Exception) -> Refused:
    """A Tortoise ValidationError as a Refused: TOO_LONG with the field and its max_length,
    else INVALID_INPUT naming the field."""
    message = str(exc)
    if match := _TOO_LONG.match(message):
        field = _camel(match["field"])
        return Refused("TOO_LONG", field=field, name=field, max=int(match["max"]))
    field = _camel(match["field"]) if (match := _FIELD.match(message)) else None
    return Refused("INVALID_INPUT", field=field, detail=field or "-")
