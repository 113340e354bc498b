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
                session = WebSocketSession(ws, BusWatch.of(self.app))
                try:
                    if init:
                        token = token if token is not None else self.token
                        init_payload = {**({"token": token} if token else {}), **(payload or {})}
                        await session.init(init_payload)
                    yield session
                finally:
                    session.discard()

    async def aclose(self) -> None:
        await self._http.aclose()


class BusWatch:
    """Counts the subscriptions opened on an in-process app's event bus, so a test client
    knows when a subscription is in place: its resolver has subscribed to the bus, and every
    event published from then on reaches it. The server's own signal, not a sleep."""

    def __init__(self, bus: Any) -> None:
        self.opened = 0
        self._changed = asyncio.Condition()
        self._notifying: set[asyncio.Future[None]] = set()
        original = bus.subscribe

        @contextlib.asynccontextmanager
        async def subscribe(*topics: str) -> AsyncIterator[Any]:
            async with original(*topics) as subscription:
                self.opened += 1
                async with self._changed:
                    self._changed.notify_all()
                yield subscription

        bus.subscribe = subscribe
        joined = bus.joined_shared

        def joined_shared() -> None:  # a shared subscription's member is in place too
            joined()
            self.opened += 1
            task = asyncio.ensure_future(self._notify())
            self._notifying.add(task)
            task.add_done_callback(self._notifying.discard)

        bus.joined_shared = joined_shared

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    @classmethod
    def of(cls, app: Any) -> BusWatch | None:
        """The watch on the running app's bus (made on first use), or None before start-up."""
        runtime = getattr(app.state, "runtime", None)
        bus = getattr(runtime, "bus", None)
        if bus is None:
            return None
        watch = getattr(bus, "_linli_testing_watch", None)
        if watch is None:
            watch = cls(bus)
            bus._linli_testing_watch = watch
        return watch

    async def beyond(self, count: int) -> None:
        """Return once more than ``count`` subscriptions have been opened."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.opened > count)


class WebSocketSession:
    """One graphql-transport-ws connection: ``subscribe`` returns an id once the subscription
    is in place (or has already answered, with an error, say), ``next`` its events."""

    def __init__(self, ws: Any, watch: BusWatch | None = None) -> None:
        self.ws = ws
        self.watch = watch
        self._ids = 0
        self._pending: dict[str, list[dict[str, Any]]] = {}
        self._inflight: asyncio.Future[Any] | None = None

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send_json(message)

    async def receive(self, timeout: float = 5.0) -> dict[str, Any]:
        """The next message. A wait that times out keeps its read going for the next call, so
        no message is lost between a timeout and the next receive."""
        if self._inflight is None:
            self._inflight = asyncio.ensure_future(self.ws.receive_json())
        try:
            return await asyncio.wait_for(asyncio.shield(self._inflight), timeout)
        finally:
            if self._inflight.done():
                self._inflight = None

    def discard(self) -> None:
        """Stop a read still in flight (the connection is closing)."""
        if self._inflight is not None and not self._inflight.done():
            self._inflight.cancel()
        self._inflight = None

    async def init(self, payload: dict[str, Any]) -> dict[str, Any]:
        await self.send({"type": "connection_init", "payload": payload})
        ack = await self.receive()
        assert ack["type"] == "connection_ack", ack
        return ack

    async def subscribe(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        wait: bool = True,
        timeout: float = 5.0,
    ) -> str:
        """Start a subscription; with ``wait`` (the default) return once the server's resolver
        has subscribed to the bus, or the operation has already answered (an error, a first
        event, completion), so what the test publishes next reaches it."""
        self._ids += 1
        op_id = str(self._ids)
        opened = self.watch.opened if self.watch is not None else 0
        await self.send(
            {
                "id": op_id,
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )
        if wait and self.watch is not None:
            await self._until_in_place(op_id, opened, timeout)
        return op_id

    async def _until_in_place(self, op_id: str, opened: int, timeout: float) -> None:
        assert self.watch is not None
        deadline = time.monotonic() + timeout
        in_place = asyncio.ensure_future(self.watch.beyond(opened))
        try:
            while not in_place.done() and not self._pending.get(op_id):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"subscription {op_id} not in place after {timeout}s: its resolver "
                        "never subscribed to the bus (pass wait=False if it does not)"
                    )
                if self._inflight is None:
                    self._inflight = asyncio.ensure_future(self.ws.receive_json())
                await asyncio.wait(
                    {in_place, self._inflight}, timeout=left, return_when=asyncio.FIRST_COMPLETED
                )
                if self._inflight.done():
                    await self._keep(await self.receive())
        finally:
            in_place.cancel()

    async def _keep(self, message: dict[str, Any]) -> None:
        """File a message under its operation; a ping is answered."""
        if message["type"] == "ping":
            await self.send({"type": "pong"})
        else:
            self._pending.setdefault(message.get("id", ""), []).append(message)

    async def next(self, op_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The next message for one operation (next, error or complete); pings are answered."""
        deadline = time.monotonic() + timeout
        while not self._pending.get(op_id):
            message = await self.receive(timeout=max(deadline - time.monotonic(), 0.01))
            await self._keep(message)
        return self._pending[op_id].pop(0)

    async def complete(self, op_id: str) -> None:
        await self.send({"id": op_id, "type": "complete"})


def run(coro: Any) -> Any:
    """Run a coroutine from synchronous test code."""
    return asyncio.run(coro)
