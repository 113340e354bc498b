"""GraphQL subscriptions over websockets, with the graphql-transport-ws protocol.

One `GraphQLWebSocket` is one connection: it sends ``connection_init`` (with the access token
in the payload), waits for ``connection_ack``, answers the server's pings, and routes
``next`` / ``error`` / ``complete`` messages to the `Subscription` they belong to::

    async with GraphQLWebSocket(url, token=token) as ws:
        async with ws.subscribe("subscription { countdown }") as sub:
            async for data in sub:
                print(data["countdown"])

The protocol is described at
https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Mapping
from typing import Any, Self

import websockets
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from .errors import ConnectionClosed, GraphQLErrors, TransportError

PROTOCOL = "graphql-transport-ws"

# What a subscription's queue receives: a protocol message, or the reason the socket closed.
_Item = dict[str, Any] | ConnectionClosed


class GraphQLWebSocket:
    """One graphql-transport-ws connection, able to run several subscriptions at once.

    `token`, when given, is sent as ``{"token": token}`` in the ``connection_init`` payload;
    `locale` is sent as the ``Accept-Language`` header of the handshake. `timeout` bounds the
    opening handshake and the wait for ``connection_ack``. With ``init=False`` the connection
    is opened but not initialised: call `init` yourself (tests of the protocol use this).

    Use it as an async context manager, or call `open` and `close`.
    """

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        locale: str | None = None,
        timeout: float = 30.0,
        init: bool = True,
    ) -> None:
        self.url = url
        self._token = token
        self._headers = {"Accept-Language": locale} if locale else {}
        self._timeout = timeout
        self._init_on_open = init
        self._conn: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ack: asyncio.Future[Any] | None = None
        self._closed: asyncio.Future[ConnectionClosed] | None = None
        self._queues: dict[str, asyncio.Queue[_Item]] = {}
        self._ids = itertools.count(1)

    def __repr__(self) -> str:
        state = "open" if self.is_open else "closed" if self.close_error else "new"
        return f"GraphQLWebSocket({self.url!r}, {state})"

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def is_open(self) -> bool:
        """True between a successful `open` and the closing of the connection."""
        return self._closed is not None and not self._closed.done()

    @property
    def close_error(self) -> ConnectionClosed | None:
        """How the connection was closed (code and reason), or None while it is not closed."""
        return self._closed.result() if self._closed and self._closed.done() else None

    async def open(self) -> None:
        """Open the connection and, unless ``init=False`` was given, initialise it.

        Raises `TransportError` when the websocket cannot be opened and `ConnectionClosed`
        when the server closes it during initialisation (e.g. 4403 for an invalid token).
        """
        if self._conn is not None:
            raise RuntimeError("this GraphQLWebSocket was already opened")
        try:
            self._conn = await connect(
                self.url,
                subprotocols=[Subprotocol(PROTOCOL)],
                additional_headers=self._headers,
                open_timeout=self._timeout,
            )
        except (OSError, TimeoutError, websockets.InvalidHandshake) as exc:
            status = getattr(getattr(exc, "response", None), "status_code", None)
            raise TransportError(
                f"cannot open websocket {self.url}: {exc!r}", status_code=status
            ) from exc
        self._closed = asyncio.get_running_loop().create_future()
        self._reader = asyncio.create_task(self._read_loop(self._conn))
        if self._conn.subprotocol != PROTOCOL:
            await self.close()
            raise TransportError(f"server at {self.url} does not speak {PROTOCOL}")
        if self._init_on_open:
            try:
                await self.init()
            except BaseException:
                await self.close()
                raise

    async def init(self, payload: Mapping[str, Any] | None = None) -> Any:
        """Send ``connection_init`` and wait for ``connection_ack``; return the ack's payload.

        The default payload is ``{"token": <token>}`` (or ``{}`` without a token).
        """
        if payload is None:
            payload = {"token": self._token} if self._token else {}
        self._ack = asyncio.get_running_loop().create_future()
        await self.send_json({"type": "connection_init", "payload": dict(payload)})
        try:
            return await asyncio.wait_for(self._ack, self._timeout)
        except TimeoutError:
            raise TransportError(
                f"no connection_ack from {self.url} within {self._timeout}s"
            ) from None

    def subscribe(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
        *,
        id: str | None = None,
        owns_socket: bool = False,
    ) -> Subscription:
        """Prepare a subscription on this connection; it starts on first use.

        Iterate the returned `Subscription`, preferably inside ``async with`` so that leaving
        early sends ``complete`` to the server. `id` defaults to the next free number. With
        `owns_socket`, the subscription opens this connection when it starts and closes it
        when it ends (that is what `LinliClient.subscribe` does).
        """
        if id is None:
            id = next(i for i in map(str, self._ids) if i not in self._queues)
        elif id in self._queues:
            raise ValueError(f"subscription id {id!r} is already in use on this connection")
        queue: asyncio.Queue[_Item] = asyncio.Queue()
        if self.close_error:
            queue.put_nowait(self.close_error)
        self._queues[id] = queue
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = dict(variables)
        if operation_name is not None:
            payload["operationName"] = operation_name
        return Subscription(self, id, payload, queue, owns_socket=owns_socket)

    async def send_json(self, message: Mapping[str, Any]) -> None:
        """Send one protocol message as is (a low-level escape hatch, e.g. for tests).

        Raises `ConnectionClosed` when the connection is closed.
        """
        if self._conn is None:
            raise RuntimeError("the GraphQLWebSocket is not open")
        try:
            await self._conn.send(json.dumps(message))
        except websockets.ConnectionClosed as exc:
            raise _closed_error(exc) from exc

    async def wait_closed(self) -> ConnectionClosed:
        """Wait until the connection is closed (by either side); return its code and reason."""
        if self._closed is None:
            raise RuntimeError("the GraphQLWebSocket is not open")
        return await asyncio.shield(self._closed)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection (if still open) and wait for the reader to finish."""
        if self._conn is not None:
            await self._conn.close(code, reason)
        if self._reader is not None:
            await self._reader

    def _forget(self, id: str) -> None:
        self._queues.pop(id, None)

    async def _read_loop(self, conn: ClientConnection) -> None:
        try:
            while True:
                await self._dispatch(conn, await conn.recv())
        except websockets.ConnectionClosed as exc:
            closed = _closed_error(exc)
        assert self._closed is not None
        self._closed.set_result(closed)
        if self._ack is not None and not self._ack.done():
            self._ack.set_exception(ConnectionClosed(closed.code, closed.reason))
        for queue in self._queues.values():
            queue.put_nowait(closed)

    async def _dispatch(self, conn: ClientConnection, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
            kind = message["type"]
        except (ValueError, TypeError, KeyError):
            await conn.close(4400, "Invalid message received")
            return
        if kind == "ping":
            await conn.send(json.dumps({"type": "pong"}))
        elif kind == "pong":
            pass
        elif kind == "connection_ack":
            if self._ack is not None and not self._ack.done():
                self._ack.set_result(message.get("payload"))
        elif kind in ("next", "error", "complete"):
            queue = self._queues.get(message.get("id"))
            if queue is not None:  # else: a late message for a subscription we left
                queue.put_nowait(message)
        else:
            await conn.close(4400, f"Unexpected message type {kind!r}")


class Subscription:
    """One operation on a `GraphQLWebSocket`: an async iterator over its results' ``data``.

    Each ``next`` message yields its payload's ``data``; a ``next`` carrying ``errors``
    raises `GraphQLErrors` (with the partial data); an ``error`` message raises
    `GraphQLErrors` and ends the subscription; ``complete`` ends the iteration; the connection
    closing raises `ConnectionClosed` with the close code and reason.

    Use it as an async context manager so that leaving early sends ``complete``.
    """

    def __init__(
        self,
        socket: GraphQLWebSocket,
        id: str,
        payload: dict[str, Any],
        queue: asyncio.Queue[_Item],
        *,
        owns_socket: bool = False,
    ) -> None:
        self.id = id
        self.socket = socket
        self._payload = payload
        self._queue = queue
        self._owns_socket = owns_socket
        self._started = False
        self._done = False

    def __repr__(self) -> str:
        return f"Subscription(id={self.id!r}, started={self._started}, done={self._done})"

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __aiter__(self) -> Self:
        return self

    async def start(self) -> Self:
        """Send the ``subscribe`` message (once; opening the socket first if owned)."""
        if self._started:
            return self
        self._started = True
        try:
            if self._owns_socket and self.socket.close_error is None and not self.socket.is_open:
                await self.socket.open()
            message = {"id": self.id, "type": "subscribe", "payload": self._payload}
            await self.socket.send_json(message)
        except BaseException:
            await self._finish()
            raise
        return self

    async def __anext__(self) -> dict[str, Any]:
        await self.start()
        if self._done:
            raise StopAsyncIteration
        item = await self._queue.get()
        if isinstance(item, ConnectionClosed):
            await self._finish()
            raise ConnectionClosed(item.code, item.reason)
        payload = item.get("payload")
        if item["type"] == "next":
            payload = payload if isinstance(payload, dict) else {}
            if payload.get("errors"):
                raise GraphQLErrors(payload["errors"], payload.get("data"))
            return payload.get("data") or {}
        await self._finish()
        if item["type"] == "error":
            raise GraphQLErrors(payload if isinstance(payload, list) else [])
        raise StopAsyncIteration  # "complete"

    async def aclose(self) -> None:
        """Stop the subscription: send ``complete`` if it is still running on an open socket."""
        if self._started and not self._done and self.socket.is_open:
            try:
                await self.socket.send_json({"id": self.id, "type": "complete"})
            except ConnectionClosed:
                pass
        await self._finish()

    async def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        self.socket._forget(self.id)
        if self._owns_socket:
            await self.socket.close()


def _closed_error(exc: websockets.ConnectionClosed) -> ConnectionClosed:
    """Translate a websockets exception, preferring the close frame the server sent."""
    frame = exc.rcvd or exc.sent
    if frame is None:
        return ConnectionClosed(1006, "connection lost")
    return ConnectionClosed(frame.code, frame.reason)
