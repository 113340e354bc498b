"""Speaking GraphQL to an app in-process: HTTP through httpx's ASGI transport, websockets
(graphql-transport-ws) through httpx-ws."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from httpx_ws import aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport


@dataclass
class Result:
    status: int
    data: dict[str, Any] | None
    errors: list[dict[str, Any]] | None
    body: Any

    @property
    def codes(self) -> list[str | None]:
        return [(e.get("extensions") or {}).get("code") for e in self.errors or []]


class GraphQLClient:
    """Speaks to a Linli app in-process: HTTP through httpx's ASGI transport, websockets
    through httpx-ws. ``token`` and ``locale`` are defaults every call may override."""

    def __init__(self, app: Any, token: str | None = None, locale: str | None = None) -> None:
        self.app = app
        self.token = token
        self.locale = locale
        self._http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://linli.test"
        )

    def headers(self, token: str | None, locale: str | None) -> dict[str, str]:
        headers = {}
        token = token if token is not None else self.token
        if token:
            headers["authorization"] = f"Bearer {token}"
        if locale or self.locale:
            headers["accept-language"] = locale or self.locale or ""
        return headers

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        locale: str | None = None,
        operation_name: str | None = None,
    ) -> Result:
        body = {"query": query, "variables": variables or {}}
        if operation_name:
            body["operationName"] = operation_name
        response = await self._http.post("/graphql", json=body, headers=self.headers(token, locale))
        return self._result(response)

    async def post_raw(
        self, content: bytes | str, content_type: str = "application/json", **kwargs: Any
    ) -> httpx.Response:
        headers = {"content-type": content_type, **kwargs.pop("headers", {})}
        return await self._http.post("/graphql", content=content, headers=headers, **kwargs)

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self._http.get(path, **kwargs)

    @staticmethod
    def _result(response: httpx.Response) -> Result:
        try:
            body = response.json()
        except json.JSONDecodeError:
            return Result(response.status_code, None, None, response.text)
        if isinstance(body, list):
            return Result(response.status_code, None, None, body)
        return Result(response.status_code, body.get("data"), body.get("errors"), body)

    async def query(
        self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Data of a query that must succeed (fails the test with the errors otherwise)."""
        result = await self.execute(query, variables, **kwargs)
        assert not result.errors, result.errors
        assert result.data is not None, result.body
        return result.data

    async def mutate(
        self, query: str, input: dict[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """The payload of a one-field mutation taking ``$input``: errors stay in the payload."""
        data = await self.query(query, {"input": input or {}}, **kwargs)
        (payload,) = data.values()
        return payload

    @contextlib.asynccontextmanager
    async def websocket(
        self, token: str | None = None, *, init: bool = True, payload: dict[str, Any] | None = None
    ) -> AsyncIterator[WebSocketSession]:
        transport = ASGIWebSocketTransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://linli.test") as client:
            async with aconnect_ws("/graphql", client, subprotocols=["graphql-transport-ws"]) as ws:
                session = WebSocketSession(ws)
                if init:
                    token = token if token is not None else self.token
                    await session.init({**({"token": token} if token else {}), **(payload or {})})
                yield session

    async def aclose(self) -> None:
        await self._http.aclose()


class WebSocketSession:
    """One graphql-transport-ws connection: ``subscribe`` returns an id, ``next`` its events."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self._ids = 0
        self._pending: dict[str, list[dict[str, Any]]] = {}

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send_json(message)

    async def receive(self, timeout: float = 5.0) -> dict[str, Any]:
        return await self.ws.receive_json(timeout=timeout)

    async def init(self, payload: dict[str, Any]) -> dict[str, Any]:
        await self.send({"type": "connection_init", "payload": payload})
        ack = await self.receive()
        assert ack["type"] == "connection_ack", ack
        return ack

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        self._ids += 1
        op_id = str(self._ids)
        await self.send(
            {
                "id": op_id,
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )
        return op_id

    async def next(self, op_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The next message for one operation (next, error or complete); pings are answered."""
        deadline = time.monotonic() + timeout
        while not self._pending.get(op_id):
            message = await self.receive(timeout=max(deadline - time.monotonic(), 0.01))
            if message["type"] == "ping":
                await self.send({"type": "pong"})
                continue
            self._pending.setdefault(message.get("id", ""), []).append(message)
        return self._pending[op_id].pop(0)

    async def complete(self, op_id: str) -> None:
        await self.send({"id": op_id, "type": "complete"})


def run(coro: Any) -> Any:
    """Run a coroutine from synchronous test code."""
    return asyncio.run(coro)
