"""GraphQL over HTTP: send one operation, decode one GraphQL response.

This layer knows nothing about tokens or retries; `LinliClient` builds on it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

import httpx

from .errors import TransportError

Method = Literal["POST", "GET"]


class HttpTransport:
    """One pooled `httpx.AsyncClient` sending GraphQL operations to one endpoint URL."""

    def __init__(self, url: str, *, timeout: float, limits: httpx.Limits | None = None) -> None:
        self.url = url
        self._client = httpx.AsyncClient(
            timeout=timeout,
            limits=limits or httpx.Limits(max_connections=100, max_keepalive_connections=20),
            headers={"Accept": "application/json"},
        )

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._client.aclose()

    async def send(
        self,
        operation: Mapping[str, Any],
        *,
        headers: Mapping[str, str],
        method: Method = "POST",
    ) -> dict[str, Any]:
        """Send `operation` (``query``, ``variables``, ``operationName``); return the response.

        The result is the decoded GraphQL response object, with ``data`` and/or ``errors``.
        GET puts the operation in the query string (queries only, per the GraphQL spec).
        Raises `TransportError` on network errors, non-2xx statuses and non-GraphQL bodies.
        """
        try:
            if method == "GET":
                response = await self._client.get(
                    self.url, params=_query_params(operation), headers=headers
                )
            else:
                response = await self._client.post(self.url, json=operation, headers=headers)
        except httpx.HTTPError as exc:
            raise TransportError(f"{method} {self.url} failed: {exc!r}") from exc
        return _decode(response)


def _query_params(operation: Mapping[str, Any]) -> dict[str, str]:
    params = {"query": operation["query"]}
    if operation.get("variables") is not None:
        params["variables"] = json.dumps(operation["variables"])
    if operation.get("operationName") is not None:
        params["operationName"] = operation["operationName"]
    return params


def _decode(response: httpx.Response) -> dict[str, Any]:
    """Return the GraphQL response object of `response`, or raise `TransportError`."""
    where = f"{response.request.method} {response.request.url}"
    if not response.is_success:
        raise TransportError(
            f"{where} returned HTTP {response.status_code}",
            status_code=response.status_code,
            body=response.text,
        )
    try:
        body = response.json()
    except ValueError as exc:
        raise TransportError(
            f"{where} returned a non-JSON body ({response.headers.get('content-type')})",
            status_code=response.status_code,
            body=response.text,
        ) from exc
    if not isinstance(body, dict) or not ("data" in body or "errors" in body):
        raise TransportError(
            f"{where} returned JSON that is not a GraphQL response",
            status_code=response.status_code,
            body=response.text,
        )
    return body
