"""`LinliClient`: queries, mutations, tokens and subscriptions against one Linli server."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any, Self

import httpx

from .errors import (
    UNAUTHENTICATED,
    GraphQLErrors,
    LinliError,
    ProtocolError,
    UserErrors,
    error_codes,
    user_errors,
)
from .http import HttpTransport, Method
from .ws import GraphQLWebSocket, Subscription

logger = logging.getLogger("linli_client")

USER_ERROR_FIELDS = "errors { code field message }"

LOGIN = f"""
mutation Login($phone: String!, $password: String!) {{
  login(input: {{phone: $phone, password: $password}}) {{
    accessToken refreshToken {USER_ERROR_FIELDS}
  }}
}}"""

REFRESH_TOKEN = f"""
mutation RefreshToken($refreshToken: String!) {{
  refreshToken(input: {{refreshToken: $refreshToken}}) {{
    accessToken refreshToken {USER_ERROR_FIELDS}
  }}
}}"""


class LinliClient:
    """Async client of the Linli GraphQL API at `base_url` (the endpoint is ``/graphql``).

    It owns one pooled `httpx.AsyncClient`: use it as an async context manager (or call
    `aclose`) and share it between requests. `token` / `refresh_token` authenticate the
    requests (``Authorization: Bearer``) and subscriptions (``connection_init`` payload);
    `locale` is sent as ``Accept-Language`` and may be changed at any time. `timeout` (seconds)
    applies to each HTTP request and to opening a websocket.

    When a request fails with ``extensions.code == "UNAUTHENTICATED"`` and a refresh token is
    known, the client refreshes the tokens once and retries the request once. Tokens are never
    logged nor shown in the repr.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        refresh_token: str | None = None,
        locale: str | None = None,
        timeout: float = 30.0,
        limits: httpx.Limits | None = None,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must be an http:// or https:// URL, not {base_url!r}")
        self.graphql_url = base_url.rstrip("/") + "/graphql"
        self.ws_url = "ws" + self.graphql_url.removeprefix("http")  # http->ws, https->wss
        self.locale = locale
        self.timeout = timeout
        self._token = token
        self._refresh_token = refresh_token
        self._http = HttpTransport(self.graphql_url, timeout=timeout, limits=limits)
        self._refresh_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"LinliClient({self.graphql_url!r}, authenticated={self.token is not None})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the pooled HTTP connections."""
        await self._http.aclose()

    # Tokens

    @property
    def token(self) -> str | None:
        """The current access token, or None."""
        return self._token

    @property
    def refresh_token(self) -> str | None:
        """The current refresh token, or None."""
        return self._refresh_token

    def set_tokens(self, token: str | None, refresh_token: str | None = None) -> None:
        """Replace both tokens (e.g. with ones obtained elsewhere)."""
        self._token, self._refresh_token = token, refresh_token

    def logout(self) -> None:
        """Forget both tokens; later requests are anonymous."""
        self.set_tokens(None, None)

    async def login(self, phone: str, password: str) -> dict[str, Any]:
        """Log in with `login(input: {phone, password})` and keep the returned tokens.

        Returns the payload (``accessToken``, ``refreshToken``, ``errors``); raises `UserErrors`
        (e.g. invalid credentials) and leaves the tokens unchanged when login is refused.
        """
        payload = await self._auth_mutation(LOGIN, {"phone": phone, "password": password})
        self.set_tokens(payload["accessToken"], payload["refreshToken"])
        return payload

    async def refresh(self) -> None:
        """Exchange the refresh token for new tokens with `refreshToken(input: ...)`.

        Raises `LinliError` without a refresh token and `UserErrors` when it is refused.
        """
        if self._refresh_token is None:
            raise LinliError("no refresh token to refresh the access token with")
        payload = await self._auth_mutation(REFRESH_TOKEN, {"refreshToken": self._refresh_token})
        self.set_tokens(payload["accessToken"], payload["refreshToken"])

    async def _auth_mutation(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        # Sent without the (possibly expired) access token, and never retried.
        response = await self._send(query, variables, None, method="POST", token=None)
        payload = _payload(_data(response), None)
        if payload.get("errors"):
            raise UserErrors(user_errors(payload), payload)
        if not payload.get("accessToken"):
            raise ProtocolError("the server returned no access token and no errors")
        return payload

    # Queries and mutations

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
        *,
        method: Method = "POST",
    ) -> dict[str, Any]:
        """Run a query or mutation and return its ``data``.

        Raises `GraphQLErrors` when the response has top-level errors (even with partial
        data, which the exception carries) and `TransportError` when there is no valid
        GraphQL response. ``method="GET"`` sends a query in the URL instead.
        """
        return _data(await self.execute_raw(query, variables, operation_name, method=method))

    async def execute_raw(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
        *,
        method: Method = "POST",
    ) -> dict[str, Any]:
        """Like `execute`, but return the whole response (``data`` and ``errors``) as is.

        Only `TransportError` is raised; the refresh-and-retry on UNAUTHENTICATED still applies.
        """
        token = self._token
        response = await self._send(query, variables, operation_name, method=method, token=token)
        if (
            self._refresh_token is not None
            and UNAUTHENTICATED in error_codes(response.get("errors") or ())
            and await self._refresh_after(token)
        ):
            response = await self._send(
                query, variables, operation_name, method=method, token=self._token
            )
        return response

    async def mutate(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        payload_field: str | None = None,
        operation_name: str | None = None,
        raise_user_errors: bool = True,
    ) -> dict[str, Any]:
        """Run a mutation and return its payload object, ``data[payload_field]``.

        `payload_field` may be omitted when the mutation selects a single field. Raises
        `UserErrors` when the payload's ``errors`` list is not empty, unless
        ``raise_user_errors=False``: then the payload is returned as is, and
        `linli_client.user_errors(payload)` gives its typed errors.
        """
        payload = _payload(await self.execute(query, variables, operation_name), payload_field)
        if raise_user_errors and payload.get("errors"):
            raise UserErrors(user_errors(payload), payload)
        return payload

    async def _send(
        self,
        query: str,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
        *,
        method: Method,
        token: str | None,
    ) -> dict[str, Any]:
        operation = {"query": query, "variables": variables, "operationName": operation_name}
        headers = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if self.locale:
            headers["Accept-Language"] = self.locale
        return await self._http.send(operation, headers=headers, method=method)

    async def _refresh_after(self, rejected_token: str | None) -> bool:
        """Refresh the tokens after `rejected_token` was refused; True if a retry makes sense.

        Concurrent requests refused with the same token share one refresh: the lock serialises
        them and the later ones see that the token has already changed.
        """
        async with self._refresh_lock:
            if self._token != rejected_token:
                return self._token is not None
            logger.debug("access token refused; refreshing it")
            try:
                await self.refresh()
            except (UserErrors, GraphQLErrors) as exc:
                logger.warning("token refresh refused (%s); logging out", ", ".join(exc.codes))
                self.logout()
                return False
            return True

    # Subscriptions

    def websocket(self, *, init: bool = True) -> GraphQLWebSocket:
        """A new graphql-transport-ws connection carrying the current token and locale.

        Open it with ``async with``; it can run several subscriptions at once
        (`GraphQLWebSocket.subscribe`).
        ``init=False`` opens it without sending ``connection_init`` (for protocol tests).
        """
        return GraphQLWebSocket(
            self.ws_url, token=self._token, locale=self.locale, timeout=self.timeout, init=init
        )

    def subscribe(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
    ) -> Subscription:
        """Run one subscription on its own connection; iterate it for each event's ``data``.

        ::

            async with client.subscribe("subscription { countdown(from: 3) }") as events:
                async for data in events:
                    ...

        The connection is opened on entry (raising `ConnectionClosed`, e.g. code 4403, when
        the server refuses the token) and closed when the subscription ends or is left. Without
        ``async with``, iterate it to the end or call `Subscription.aclose` to close it.
        Subscriptions use the current token as is: there is no refresh-and-retry on them.
        """
        return self.websocket().subscribe(query, variables, operation_name, owns_socket=True)


def _data(response: Mapping[str, Any]) -> dict[str, Any]:
    """Return the ``data`` of a GraphQL response, raising `GraphQLErrors` on any error."""
    if response.get("errors"):
        raise GraphQLErrors(response["errors"], response.get("data"))
    data = response.get("data")
    if not isinstance(data, dict):
        raise ProtocolError("the GraphQL response has neither data nor errors")
    return data


def _payload(data: Mapping[str, Any], field: str | None) -> dict[str, Any]:
    """Return the mutation payload ``data[field]`` (the only field when `field` is None)."""
    if field is None:
        if len(data) != 1:
            raise ValueError(f"pass payload_field: the mutation selects {sorted(data)}")
        (field,) = data
    payload = data.get(field)
    if not isinstance(payload, dict):
        raise ProtocolError(f"mutation payload {field!r} is {payload!r}, not an object")
    return payload
