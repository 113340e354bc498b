"""The exceptions the Linli client raises.

Every exception derives from `LinliError`, so ``except LinliError`` catches all of them:

- `TransportError`: the server could not be reached, or did not answer with a GraphQL response.
- `GraphQLErrors`: the response carried top-level GraphQL ``errors``.
- `UserErrors`: a mutation payload carried a non-empty ``errors: [UserError!]!`` list.
- `ConnectionClosed`: the server closed a graphql-transport-ws websocket.
- `ProtocolError`: the server answered, but not in the shape the client expects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: The ``extensions.code`` Linli sets on errors caused by a missing or expired access token.
UNAUTHENTICATED = "UNAUTHENTICATED"

#: graphql-transport-ws close codes, as used by the server, with their meaning.
CLOSE_CODES: Mapping[int, str] = {
    4400: "bad message",
    4401: "unauthorized (subscribe before connection_ack)",
    4403: "forbidden (invalid token)",
    4408: "connection_init timeout",
    4409: "subscriber already exists",
    4429: "too many initialisation requests",
}


class LinliError(Exception):
    """Base class of every exception raised by `linli_client`."""


class TransportError(LinliError):
    """The request failed below GraphQL: network error, non-2xx status or a non-JSON body.

    `status_code` is None when no HTTP response was received at all; `body` holds the first
    `BODY_EXCERPT` characters of the response body, for diagnostics.
    """

    BODY_EXCERPT = 500

    def __init__(self, message: str, *, status_code: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body[: self.BODY_EXCERPT]


class ProtocolError(LinliError):
    """The server answered, but the answer does not follow the expected shape or protocol."""


def error_codes(errors: Sequence[Mapping[str, Any]]) -> list[str]:
    """Return the ``extensions.code`` of each GraphQL error that has one, in order."""
    codes = []
    for error in errors:
        extensions = error.get("extensions")
        if isinstance(extensions, Mapping) and isinstance(extensions.get("code"), str):
            codes.append(extensions["code"])
    return codes


class GraphQLErrors(LinliError):
    """A GraphQL response (or subscription event) carried top-level ``errors``.

    `errors` is the list of error objects exactly as the server sent them (``message``,
    ``path``, ``locations``, ``extensions``); `data` is the partial data, if any.
    """

    def __init__(
        self, errors: Sequence[Mapping[str, Any]], data: Mapping[str, Any] | None = None
    ) -> None:
        self.errors: list[dict[str, Any]] = [dict(error) for error in errors]
        self.data = dict(data) if data is not None else None
        super().__init__("; ".join(self.messages) or "GraphQL request failed")

    @property
    def messages(self) -> list[str]:
        """The ``message`` of each error."""
        return [str(error.get("message", "")) for error in self.errors]

    @property
    def codes(self) -> list[str]:
        """The ``extensions.code`` of each error that has one (e.g. ``"UNAUTHENTICATED"``)."""
        return error_codes(self.errors)


@dataclass(frozen=True, slots=True)
class UserError:
    """One entry of a mutation payload's ``errors`` list.

    `code` is the enum value (e.g. ``"NAME_TAKEN"``), `field` the path of the offending input
    field as a tuple (e.g. ``("input", "name")``) or None, `message` the localized text.
    """

    code: str
    field: tuple[str, ...] | None
    message: str

    @classmethod
    def from_dict(cls, error: Mapping[str, Any]) -> UserError:
        """Build a UserError from its JSON object ``{code, field, message}``."""
        field = error.get("field")
        return cls(
            code=str(error.get("code")),
            field=tuple(field) if field is not None else None,
            message=str(error.get("message", "")),
        )


def user_errors(payload: Mapping[str, Any]) -> list[UserError]:
    """Return the typed ``errors`` of a mutation payload (an empty list when it has none)."""
    return [UserError.from_dict(error) for error in payload.get("errors") or ()]


class UserErrors(LinliError):
    """A mutation payload reported user errors (validation, conflicts, permissions...).

    `errors` holds the typed `UserError` entries and `payload` the whole payload object.
    """

    def __init__(self, errors: Sequence[UserError], payload: Mapping[str, Any]) -> None:
        self.errors = list(errors)
        self.payload = dict(payload)
        super().__init__("; ".join(f"{error.code}: {error.message}" for error in self.errors))

    @property
    def codes(self) -> list[str]:
        """The `code` of each user error, in order."""
        return [error.code for error in self.errors]


class ConnectionClosed(LinliError):
    """The graphql-transport-ws connection was closed, with close `code` and `reason`.

    Codes 4400-4429 are protocol errors sent by the server (see `CLOSE_CODES`); 1000 is a
    normal closure, 1006 a connection lost without a close frame.
    """

    def __init__(self, code: int, reason: str = "") -> None:
        self.code = code
        self.reason = reason
        meaning = CLOSE_CODES.get(code)
        detail = f"{reason} ({meaning})" if meaning and reason else reason or meaning or ""
        super().__init__(f"websocket closed with code {code}" + (f": {detail}" if detail else ""))
