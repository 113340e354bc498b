"""The websocket protocols: graphql-transport-ws and the legacy ``graphql-ws``, held to one rule.

strawberry's legacy handler waits for ``connection_init`` forever; a socket that never sends
it would hold a slot on the server. This handler closes it with 4408 after the same
``connection_init`` timeout as graphql-transport-ws. In both protocols, the refusal of one
subscription too many carries a code and a localized message (strawberry sends plain text),
and an authenticated connection follows its session (core/identity/socket_sessions.py): once
the session ends or the token expires, no event goes out and the socket closes with 4403.

The token is read from ``connection_init`` in the shapes common clients send it
(``connection_token``), and a subscription refused as it starts (UNAUTHENTICATED on an
anonymous connection, FORBIDDEN, a bad argument) is a graphql-transport-ws ``error`` message
carrying the coded error, so client libraries report it as an error rather than as an event
followed by a normal completion.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

from linli.core.graphql import fanout
from linli.core.i18n import translate

LIMIT_REACHED = "Subscription limit reached"  # strawberry's words, in both protocols

# The connection_init keys a token may come under: Linli's own, Apollo Client's and urql's
# documented ``Authorization``/``authorization`` (``Bearer`` optional), graphql-ws examples'
# ``authToken``, and Hasura-style ``headers: {Authorization}``.
TOKEN_KEYS = ("token", "authorization", "authtoken", "accesstoken")


class BadToken(ValueError):
    """A connection_init payload whose token is not a string (the connection is refused)."""


def connection_token(params: Any) -> str | None:
    """The access token in a ``connection_init`` payload, or None for an anonymous one.

    Keys are matched in any case, at the top level or under ``headers``; a ``Bearer `` prefix
    (any case) is dropped. A token that is present but not a string raises ``BadToken``."""
    if not isinstance(params, dict):
        return None
    places = [params]
    headers = next((v for k, v in params.items() if str(k).lower() == "headers"), None)
    if isinstance(headers, dict):
        places.append(headers)
    for place in places:
        lowered = {str(key).lower(): value for key, value in place.items()}
        for key in TOKEN_KEYS:
            value = lowered.get(key)
            if value is None or value == "":
                continue
            if not isinstance(value, str):
                raise BadToken(key)
            scheme, _, rest = value.strip().partition(" ")
            token = rest.strip() if scheme.lower() == "bearer" else value.strip()
            return token or None
    return None


# A subscription's first answer that is one of these refusals becomes an ``error`` message.
REFUSED_AT_START = frozenset({"UNAUTHENTICATED", "FORBIDDEN", "INVALID_INPUT", "NOT_FOUND"})


def _refusal(payload: Any) -> list[dict[str, Any]] | None:
    """The errors of a ``next`` payload that is a refusal (no data, coded errors), else None."""
    if not isinstance(payload, dict) or payload.get("data") is not None:
        return None
    errors = payload.get("errors")
    if not errors or not isinstance(errors, list):
        return None
    codes = {(error.get("extensions") or {}).get("code") for error in errors}
    return errors if codes <= REFUSED_AT_START else None


def _too_many(context: Any, limit: int | None) -> dict[str, Any]:
    message = translate("TOO_MANY_SUBSCRIPTIONS", getattr(context, "locale", "zh-CN"), max=limit)
    return {"message": message, "extensions": {"code": "TOO_MANY_SUBSCRIPTIONS"}}


SESSION_CLOSE_CODE = 4403  # the session ended or its token expired (docs/api.md)


def _session(handler: Any) -> Any:
    return getattr(handler.context, "socket_session", None)


async def _still_authorised(handler: Any, message: Any, event_type: str) -> bool:
    """Before an event goes out: is the connection's session still alive? (A flag test unless
    a change was announced.) A connection whose session ended sends nothing more."""
    session = _session(handler)
    if session is None or message.get("type") != event_type:
        return True
    return await session.current() is not None


class FollowsSession:
    """Both protocols: after ``connection_ack`` the connection follows its session; when it
    ends, the connection's operations stop and the socket closes with 4403."""

    context: Any
    websocket: Any
    connection_acknowledged: bool

    async def handle_connection_init(self, message: Any) -> None:
        await super().handle_connection_init(message)  # type: ignore[misc]
        session = _session(self)
        if self.connection_acknowledged and session is not None:
            session.follow(self._session_ended)

    async def _session_ended(self, reason: str) -> None:
        await self.stop_operations()
        with contextlib.suppress(Exception):  # the client may be gone already
            await self.websocket.close(code=SESSION_CLOSE_CODE, reason=reason)

    # Each protocol's handler (below) stops its running operations its own way.
    stop_operations: Callable[[], Awaitable[None]]

    def _unfollow(self) -> None:
        session = _session(self)
        if session is not None:
            session.unfollow()


class GraphQLTransportWSHandler(FollowsSession, BaseGraphQLTransportWSHandler[Any, Any]):
    # Operations that have answered (a first ``next``), and those ended by an ``error``
    # (their ``complete`` is not sent: an error ends an operation in this protocol).
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # (dicts, not sets: 64 bytes empty where a set takes 216, times 10,000 idle sockets)
        self._answered: dict[str, bool] = {}
        self._errored: dict[str, bool] = {}
        self._parked: dict[str, Any] = {}  # operations waiting in a shared subscription

    async def handle_connection_init(self, message: Any) -> None:
        await super().handle_connection_init(message)
        self.connection_init_timeout_task = None  # cancelled: an idle socket need not keep it

    async def shutdown(self) -> None:
        self._unfollow()
        await super().shutdown()

    async def stop_operations(self) -> None:
        for operation_id in list(self.operations):
            await self.cleanup_operation(operation_id)

    async def run_operation(self, operation: Any) -> None:
        # What a shared subscription needs to know of the operation running in this task
        # (core/graphql/fanout.py): its document, variables and where its frames go.
        fanout.OPERATION.set(
            fanout.Operation(
                self, operation.id, operation.query, operation.variables, operation.operation_name
            )
        )
        try:
            await super().run_operation(operation)
        except fanout.Parked:
            pass  # it joined a group: open, parked, until it ends or is resumed

    def park(self, member: Any) -> None:
        """A member joined its group: the operation waits, holding only what it needs to be
        resumed (the group's copy of its document and variables, equal to its own)."""
        self._parked[member.op_id] = member
        operation = self.operations.get(member.op_id)
        if operation is not None:
            operation.query, operation.variables = member.group.op.query, member.group.op.variables
            done = asyncio.get_running_loop().create_future()
            done.set_result(None)
            operation.task = done  # its task (and the context it holds) ends as it parks

    def resume(self, member: Any, subscription: Any) -> None:
        """Run a parked operation again, its resolver reading ``subscription``."""
        if self._parked.get(member.op_id) is not member:
            subscription.close()
            return
        del self._parked[member.op_id]
        operation = self.operations.get(member.op_id)
        if operation is None or operation.completed:
            subscription.close()
            return
        operation.task = asyncio.create_task(self._resumed(operation, subscription))
        operation.task.add_done_callback(self._task_done)

    async def _resumed(self, operation: Any, subscription: Any) -> None:
        fanout.resuming(subscription)
        try:
            await self.run_operation(operation)
        finally:
            subscription.close()  # (its resolver refused, say, before it read it)

    def _leave(self, operation_id: str) -> None:
        member = self._parked.pop(operation_id, None)
        if member is not None:
            member.leave()

    async def send_shared(self, operation_id: str, frame: str) -> None:
        """A ``next`` frame serialized once for every member of a shared subscription (the
        group checked the session): sent as it is, unless the operation ended meanwhile."""
        operation = self.operations.get(operation_id)
        if operation is None or operation.completed or operation_id not in self._parked:
            return
        self._answered[operation_id] = True  # an answer with data: never a refusal
        with contextlib.suppress(Exception):  # the client may be gone already
            await self.websocket.ws.send_text(frame)

    async def send_message(self, message: Any) -> None:
        if not await _still_authorised(self, message, "next"):
            return
        message = self._refused_as_error(message)
        if message is None:
            return
        payload = message.get("payload")
        if (
            message.get("type") == "error"
            and isinstance(payload, list)
            and len(payload) == 1
            and payload[0].get("message") == LIMIT_REACHED
        ):
            limit = self.max_subscriptions_per_connection
            message = {**message, "payload": [_too_many(self.context, limit)]}
        await super().send_message(message)

    def _refused_as_error(self, message: Any) -> Any:
        """A refusal as the operation's first answer becomes ``error``; its ``complete`` is
        dropped. Later refusals (a right lost mid-stream) stay ``next`` + ``complete``."""
        kind, op_id = message.get("type"), message.get("id")
        if kind == "complete" and op_id in self._errored:
            self._errored.pop(op_id, None)
            return None
        if kind != "next" or op_id is None:
            return message
        first = op_id not in self._answered
        self._answered[op_id] = True
        errors = _refusal(message.get("payload")) if first else None
        if errors is None:
            return message
        self._errored[op_id] = True
        return {"id": op_id, "type": "error", "payload": errors}

    def forget_id(self, id: str) -> None:  # the operation ended: its id may be used again
        self._leave(id)
        super().forget_id(id)
        self._answered.pop(id, None)

    async def cleanup_operation(self, operation_id: str) -> None:  # the client completed it
        self._leave(operation_id)
        await super().cleanup_operation(operation_id)
        self._answered.pop(operation_id, None)
        self._errored.pop(operation_id, None)


class LegacyGraphQLWSHandler(FollowsSession, BaseGraphQLWSHandler[Any, Any]):
    async def cleanup(self) -> None:
        self._unfollow()
        await super().cleanup()

    async def stop_operations(self) -> None:
        current = asyncio.current_task()
        for operation_id, task in list(self.tasks.items()):
            if task is not current:
                await self.cleanup_operation(operation_id)

    async def send_message(self, message: Any) -> None:
        if not await _still_authorised(self, message, "data"):
            return
        if message.get("type") == "error" and message.get("payload") == {"message": LIMIT_REACHED}:
            limit = self.max_subscriptions_per_connection
            message = {**message, "payload": _too_many(self.context, limit)}
        await super().send_message(message)

    async def handle(self) -> None:
        watchdog = asyncio.create_task(self._close_without_init())
        try:
            await super().handle()
        finally:
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog

    async def _close_without_init(self) -> None:
        await asyncio.sleep(self.view.connection_init_wait_timeout.total_seconds())
        if not self.connection_acknowledged:
            with contextlib.suppress(WebSocketDisconnected):
                await self.websocket.close(code=4408, reason="Connection initialisation timeout")
