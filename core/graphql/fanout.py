"""One execution per visibility: the subscribers of one topic asking the same thing share it.

Ten thousand residents watching one day's slots each ran their own GraphQL execution of
every event (~0.3 ms of CPU each: 3 s of one core per event). Here the graphql-transport-ws
operations that subscribe through :func:`shared_subscribe` and ask the same thing (the same
document, operation name, variables, locale and topic, and the same ``visibility`` of their
caller) form a :class:`Group`. The group runs the operation once, with a copy of its first
subscriber's context, subscribed to the topic once; each result is serialized once and the
same frame is written to every member's socket (a pause for the event loop every
``BATCH`` sockets, so ordinary requests keep their latency).

Each subscriber still starts its own operation: the resolver's checks run with its own
context, as before, and only then does it join a group (its generator then waits, idle).
What a member receives is exactly what its own execution would have given it, because:

- the key holds everything its answer may depend on besides the event: the document and
  variables, its locale, and ``visibility(actor)``, which the resolver declares (roles in
  the community, for instance) and which is checked again for each member at each event
  (a member whose roles changed resolves its own events from then on);
- the group's context is watched: once the first event has arrived, a resolver that reads
  anything personal of the caller (``actor``, the request, the connection, the session)
  makes the group *personal*: the result is thrown away and every member resolves that
  event, and each one after it, with its own context, as without this module;
- a result without data (a refusal, an error) is never shared: each member resolves that
  event itself, so it gets its own error in its own words;
- each member's session is checked before anything is sent (core/identity/socket_sessions).

Anywhere else (the legacy graphql-ws protocol, an in-process ``schema.subscribe``, the
setting ``LINLI_SHARED_SUBSCRIPTIONS=0``) ``shared_subscribe`` is the bus's ``subscribe``.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import copy
import gc
import logging
from collections.abc import AsyncIterator, Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from linli.core import runtime
from linli.core.context import Context
from linli.core.events import Event, Resync, SubscriberOverflow, Subscription

log = logging.getLogger("linli.fanout")

# Sockets written between two pauses for the event loop.
BATCH = 256
# Keys found personal, remembered so that later subscribers resolve their own at once.
PERSONAL_KEYS_KEPT = 1024

Visibility = Callable[[Any], Hashable]


@dataclass(frozen=True, slots=True)
class Operation:
    """The graphql-transport-ws operation running in this task (set by core/websocket.py)."""

    handler: Any
    id: str
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None


# The operation of the running task (None outside a graphql-transport-ws operation).
OPERATION: contextvars.ContextVar[Operation | None] = contextvars.ContextVar(
    "linli_ws_operation", default=None
)
# Set inside a group's own execution: its resolver subscribes to the group's feed.
_FEEDING: contextvars.ContextVar[Group | None] = contextvars.ContextVar(
    "linli_fanout_group", default=None
)

_groups: dict[tuple[Any, ...], Group] = {}
_personal: collections.OrderedDict[tuple[Any, ...], None] = collections.OrderedDict()
# How many executions groups ran and how many frames they wrote (the tests and bench read it).
stats = {"executions": 0, "frames": 0, "personal": 0}


def shared_subscribe(
    info: Any, topic: str, *, visibility: Visibility | None = None
) -> contextlib.AbstractAsyncContextManager[AsyncIterator[Event]]:
    """``async with shared_subscribe(info, topic, visibility=…) as events:
    async for event in events: … yield node`` — the bus's ``subscribe(topic)`` for a
    subscription whose answer to an event depends only on the event, its arguments and
    ``visibility(actor)`` (default: nothing of the caller), once its own checks have passed.
    What happens per event after the ``async for`` must read nothing of the caller that
    ``visibility`` does not cover (see the module's doc: reads through the context are seen
    and make the group personal; values kept from before the first event are not)."""
    group = _FEEDING.get()
    if group is not None and group.topic == topic:
        return _feed(group)
    operation = OPERATION.get()
    context = info.context
    settings = getattr(context, "settings", None)
    if (
        operation is None
        or not isinstance(context, Context)
        or not (settings is None or settings.shared_subscriptions)
    ):
        return runtime.current().bus.subscribe(topic)
    key = (
        id(operation.handler.schema),
        operation.query,
        operation.operation_name,
        orjson.dumps(operation.variables or {}, option=orjson.OPT_SORT_KEYS),
        topic,
        context.locale,
        None if visibility is None else visibility(context.actor),
    )
    if key in _personal:
        return runtime.current().bus.subscribe(topic)
    return _member(key, topic, visibility, operation, context)


@contextlib.asynccontextmanager
async def _feed(group: Group) -> AsyncIterator[AsyncIterator[Event]]:
    yield group.feed()


@contextlib.asynccontextmanager
async def _member(
    key: tuple[Any, ...], topic: str, visibility: Visibility | None, op: Operation, ctx: Any
) -> AsyncIterator[AsyncIterator[Event]]:
    group = _groups.get(key)
    if group is None or group.closed:
        group = _groups[key] = Group(key, topic, visibility, op, ctx)
    del key  # the group's (one per group, not one per member)
    bus = runtime.current().bus
    member = Member(op, ctx, bus.hub.queue_size)
    group.join(member)
    bus.joined_shared()
    try:
        yield member
    finally:
        group.leave(member)


class Member:
    """One subscriber's operation in a group. Its generator waits here: the group writes its
    frames, and hands it the events it must resolve itself (``push``)."""

    __slots__ = ("context", "items", "limit", "op", "own", "personal", "waiter")

    def __init__(self, op: Operation, context: Any, limit: int) -> None:
        self.op, self.context, self.limit = op, context, limit
        self.items: collections.deque[Any] = collections.deque()
        self.waiter: asyncio.Future[None] | None = None
        self.personal = False  # resolves every event itself (its visibility moved)
        self.own: Subscription | None = None  # its own subscription, once its group ended

    def push(self, item: Event | BaseException) -> None:
        if len(self.items) >= self.limit and not isinstance(item, BaseException):
            item = SubscriberOverflow("subscriber too slow: event queue overflowed")
        if isinstance(item, BaseException):
            self.items.clear()
        self.items.append(item)
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def go_own(self, topic: str, queued: list[Event]) -> None:
        """Its group ended without an error of the bus: it subscribes itself, at once (no
        event falls between), and first resolves what the group had not handled."""
        self.own = runtime.current().bus.hub.add((topic,))
        for event in queued:
            self.push(event)
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)  # it now reads its own subscription

    def __aiter__(self) -> Member:
        return self

    async def __anext__(self) -> Event:
        while True:
            if self.items:
                item = self.items.popleft()
                if isinstance(item, BaseException):
                    raise item
                return item
            if self.own is not None:
                return await self.own.__anext__()
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                await self.waiter
            finally:
                self.waiter = None

    def close(self) -> None:
        if self.own is not None:
            self.own.close()


class Group:
    """The subscribers asking the same thing, and the one execution that answers them."""

    def __init__(
        self,
        key: tuple[Any, ...],
        topic: str,
        visibility: Visibility | None,
        op: Operation,
        context: Any,
    ) -> None:
        self.key, self.topic, self.visibility, self.op = key, topic, visibility, op
        self.members: dict[int, Member] = {}
        self.context = watched(context, self)
        self.armed = False  # the first event arrived: reads of the caller now count
        self.personal = False  # a resolver read something personal: nothing is shared
        self.pending: Event | None = None  # the event being executed for everyone
        self.sub: Subscription | None = None
        self.closed = False
        self.task: asyncio.Task[None] | None = None

    def join(self, member: Member) -> None:
        if self.personal:
            member.personal = True
        self.members[id(member)] = member
        if self.task is None:
            self.sub = runtime.current().bus.hub.add((self.topic,))  # from the first join on
            self.task = asyncio.get_running_loop().create_task(
                self._run(), name=f"linli-fanout {self.topic}"
            )

    def leave(self, member: Member) -> None:
        self.members.pop(id(member), None)
        member.close()
        if not self.members:
            self._close()
            if self.task is not None and self.task is not asyncio.current_task():
                self.task.cancel()

    def _close(self) -> None:
        self.closed = True
        if _groups.get(self.key) is self:
            del _groups[self.key]
        if self.sub is not None:
            self.sub.close()

    def trip(self, name: str) -> None:
        """A resolver read ``context.<name>`` for an event: the answer may be personal."""
        if not self.personal:
            self.personal = True
            stats["personal"] += 1
            _personal[self.key] = None
            while len(_personal) > PERSONAL_KEYS_KEPT:
                _personal.popitem(last=False)
            log.info("subscription on %s reads context.%s per event: not shared", self.topic, name)

    # ------------------------------------------------------------ the group's execution

    async def feed(self) -> AsyncIterator[Event]:
        """The group's events, for its own execution (the resolver's ``async for``)."""
        assert self.sub is not None
        try:
            while True:
                self._hand_over_pending()
                event = await self.sub.__anext__()
                self._for_personal(event)
                if self.personal:
                    continue  # every member resolves it itself
                self.pending, self.armed = event, True
                yield event
        except (SubscriberOverflow, Resync) as exc:
            for member in list(self.members.values()):
                member.push(type(exc)(exc.reason))
            self._close()
            raise

    def _for_personal(self, event: Event) -> None:
        for member in list(self.members.values()):
            if member.personal or self.personal:
                member.push(event)

    def _hand_over_pending(self) -> None:
        """The event just executed gave no result to share (filtered, or found personal): the
        members that did not get it resolve it themselves."""
        event, self.pending = self.pending, None
        if event is not None and self.personal:
            for member in list(self.members.values()):
                if not member.personal:
                    member.push(event)
        if self.personal:
            for member in self.members.values():
                member.personal = True

    async def _run(self) -> None:
        token = _FEEDING.set(self)
        OPERATION.set(None)  # this task's copy of the first member's: not an operation
        op = self.op
        try:
            stream = await op.handler.schema.stream(
                op.query,
                variable_values=op.variables,
                context_value=self.context,
                root_value=op.handler.root_value,
                operation_name=op.operation_name,
            )
            async with contextlib.aclosing(stream):
                async for result in stream:
                    await self._deliver(result)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("a shared subscription on %s failed; its members go on alone", self.topic)
        finally:
            _FEEDING.reset(token)
            self._end()

    def _end(self) -> None:
        """The group's stream ended: members not told of an error of the bus go on alone,
        first resolving what the group had not answered for them."""
        pending, self.pending = self.pending, None
        drained = self.sub.drain() if self.sub is not None and not self.sub.closed_reason else []
        self._close()
        for member in list(self.members.values()):
            if member.own is not None or (
                member.items and isinstance(member.items[-1], BaseException)
            ):
                continue
            missed = [pending] if pending is not None and not member.personal else []
            member.go_own(self.topic, missed + drained)

    async def _deliver(self, result: Any) -> None:
        event = self.pending
        if event is None or self.closed or self.personal:
            return  # a personal answer is thrown away: the feed hands the event over
        if getattr(result, "data", None) is None:  # a refusal, an error: never shared
            self.pending = None
            for member in list(self.members.values()):
                if not member.personal:
                    member.push(event)
            return
        stats["executions"] += 1
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [error.formatted for error in result.errors]
        if result.extensions:
            payload["extensions"] = result.extensions
        body = self.op.handler.view.encode_json(payload)
        with _collector_paused():
            sent = await self._write(event, body)
        stats["frames"] += sent
        self.pending = None  # (an exception before: the members go on alone with it)

    async def _write(self, event: Event, body: str) -> int:
        frames: dict[str, str] = {}
        sent = 0
        for member in list(self.members.values()):
            if member.personal:
                continue
            actor = await _current_actor(member.context)
            if actor is None:
                continue  # its session ended: the socket is closing
            if self.visibility is not None and self.visibility(actor) != self.key[-1]:
                member.personal = True  # its roles changed: from now on it resolves its own
                member.push(event)
                continue
            frame = frames.get(member.op.id)
            if frame is None:
                frame = frames[member.op.id] = (
                    f'{{"id":{orjson.dumps(member.op.id).decode()},"type":"next","payload":{body}}}'
                )
            await member.op.handler.send_shared(member.op.id, frame)
            sent += 1
            if sent % BATCH == 0:
                await asyncio.sleep(0)  # let ordinary requests in between
        return sent


_pausing = {"depth": 0, "was_enabled": False}


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection while frames go out: what a fan-out allocates dies young (its
    reference counts free it), and a full pass over the objects of 10,000 idle sockets would
    stop every one of them for a second. Nested fan-outs (several groups at once) share one
    pause; the collector runs again as the last one ends."""
    if _pausing["depth"] == 0:
        _pausing["was_enabled"] = gc.isenabled()
        gc.disable()
    _pausing["depth"] += 1
    try:
        yield
    finally:
        _pausing["depth"] -= 1
        if _pausing["depth"] == 0 and _pausing["was_enabled"]:
            gc.enable()


async def _current_actor(context: Any) -> Any:
    session = context.socket_session
    if session is None:
        return context.actor
    if session.ended is not None:
        return None
    if session.stale or session.expired():
        return await session.current()
    return context.actor


# ---------------------------------------------------------------- the watched context

# What a resolver reading per event makes the answer personal (Context's fields and helpers).
PERSONAL = frozenset(
    {
        "actor",
        "request",
        "response",
        "connection_params",
        "socket_session",
        "auth_error",
        "request_id",
        "client_ip",
        "current_actor",
        "operation_keys",
    }
)


class WatchedContext(Context):
    """A group's copy of its first member's context: a read of something personal after the
    first event tells the group (``Group.trip``)."""

    def __getattribute__(self, name: str) -> Any:
        if name in PERSONAL:
            group = object.__getattribute__(self, "__dict__").get("_linli_group")
            if group is not None and group.armed:
                group.trip(name)
        return object.__getattribute__(self, name)


def watched(context: Any, group: Group) -> Any:
    clone = copy.copy(context)
    clone.loaders = {}
    clone.socket_session = None  # its actor is fixed: members' sessions are checked each
    clone.__class__ = WatchedContext
    clone.__dict__["_linli_group"] = group
    return clone
