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
context, as before, and only then does it join a group. Its operation is then *parked*: the
stream strawberry and graphql-core built for it is let go (a member is a few hundred bytes,
where an idle stream held ~15 KiB), and the operation stays open on its socket until the
client completes it, the socket closes or the session ends. A member that must resolve an
event itself is *resumed*: its operation runs again from the start, as a new subscription
would (its checks included), on a bus subscription made at that instant and holding first
the events it had not been answered. What a member receives is what its own execution
would have given it, because:

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
- each member's session is checked before anything is sent (core/identity/socket_sessions);
- an error of the bus (SUBSCRIBER_OVERFLOW, RESYNC) resumes every member on a subscription
  that ends with that error, so each gets it as its own subscription would have.

Anywhere else (the legacy graphql-ws protocol, an in-process ``schema.subscribe``, the
setting ``LINLI_SHARED_SUBSCRIPTIONS=0``) ``shared_subscribe`` is the bus's ``subscribe``.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import copy
import logging
from collections.abc import AsyncIterator, Callable, Hashable
from dataclasses import dataclass
from typing import Any

import orjson

from linli.core import runtime
from linli.core.context import Context
from linli.core.events import Event, Resync, SubscriberOverflow, Subscription
from linli.core.graphql import collector

log = logging.getLogger("linli.fanout")

# Sockets written between two pauses for the event loop: at ~0.04 ms a socket, a request
# waiting behind the fan-out waits ~0.3 ms at most (256 let a read's p99 grow 28-30×, 8 keeps
# it at 2.3-8× with the same fan-out p99: docs/performance.md, goal 3).
BATCH = 8
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
    resumed = RESUMED.get()
    if resumed is not None and resumed.topics == (topic,):
        RESUMED.set(None)
        return _own(resumed)
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


# Set in a resumed operation: the subscription its resolver reads (what it missed first).
RESUMED: contextvars.ContextVar[Subscription | None] = contextvars.ContextVar(
    "linli_fanout_resumed", default=None
)


def resuming(sub: Subscription) -> None:
    """In a resumed operation's task (made by a group's): its resolver reads ``sub``."""
    _FEEDING.set(None)  # the task was made from the group's, whose feed this is not
    RESUMED.set(sub)


class Parked(BaseException):
    """Raised out of a member's resolver once it has joined its group: its operation's stream
    unwinds like a cancelled one, and the transport handler keeps the operation open, parked
    (core/websocket.py). A BaseException, so that no ``except Exception`` turns it into an
    error result on the way."""


@contextlib.asynccontextmanager
async def _own(sub: Subscription) -> AsyncIterator[AsyncIterator[Event]]:
    try:
        yield sub
    finally:
        sub.close()


@contextlib.asynccontextmanager
async def _member(
    key: tuple[Any, ...], topic: str, visibility: Visibility | None, op: Operation, ctx: Any
) -> AsyncIterator[AsyncIterator[Event]]:
    group = _groups.get(key)
    if group is None or group.closed:
        group = _groups[key] = Group(key, topic, visibility, op, ctx)
    del key  # the group's (one per group, not one per member)
    member = Member(group, op.handler, op.id, ctx)
    group.join(member)
    if ctx.settings.freeze_startup_objects:
        collector.settler.joined()
    op.handler.park(member)
    runtime.current().bus.joined_shared()
    raise Parked
    yield  # pragma: no cover  (an async context manager that never enters)


class Member:
    """One subscriber's parked operation in a group: where its frames go, and its context
    (its session, its actor) to check before each."""

    __slots__ = ("context", "group", "handler", "op_id")

    def __init__(self, group: Group, handler: Any, op_id: str, context: Any) -> None:
        self.group, self.handler, self.op_id, self.context = group, handler, op_id, context

    def leave(self) -> None:
        """Its operation ended (completed by the client, the socket closed, the session)."""
        self.group.leave(self)
        collector.settler.left()

    def resume(self, topic: str, missed: list[Event], error: Exception | None = None) -> None:
        """Leave the group and run its own operation again on a subscription made now,
        holding ``missed`` first (or ending with ``error``, an error of the bus)."""
        self.group.leave(self)
        sub = runtime.current().bus.hub.add((topic,))
        for event in missed:
            sub.offer(event)
        if error is not None:
            sub.fail(error)
        self.handler.resume(self, sub)


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
        self.members[id(member)] = member
        if self.task is None:
            self.sub = runtime.current().bus.hub.add((self.topic,))  # from the first join on
            self.task = asyncio.get_running_loop().create_task(
                self._run(), name=f"linli-fanout {self.topic}"
            )

    def leave(self, member: Member) -> None:
        if self.members.pop(id(member), None) is not None and not self.members:
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

    def _disband(self, error: Exception | None = None) -> None:
        """Every member resumes on its own: with the event under way and those queued, or
        with ``error`` (an error of the bus)."""
        missed = [] if self.pending is None else [self.pending]
        self.pending = None
        if self.sub is not None and error is None:
            missed += self.sub.drain()
        self._close()
        for member in list(self.members.values()):
            member.resume(self.topic, missed, error)

    # ------------------------------------------------------------ the group's execution

    async def feed(self) -> AsyncIterator[Event]:
        """The group's events, for its own execution (the resolver's ``async for``)."""
        assert self.sub is not None
        while not self.closed:
            if self.personal:  # the event under way was personal: each resolves its own
                self._disband()
                return
            self.pending = None  # answered, or filtered out by the resolver
            try:
                event = await self.sub.__anext__()
            except StopAsyncIteration:  # closed: its last member left
                return
            except (SubscriberOverflow, Resync) as exc:
                self._disband(exc)
                return
            self.pending, self.armed = event, True
            yield event

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
            if not self.closed:  # the stream ended (an error): its members go on alone
                self._disband()

    async def _deliver(self, result: Any) -> None:
        event = self.pending
        if event is None or self.closed or self.personal:
            return  # a personal answer is thrown away: the feed disbands the group
        if getattr(result, "data", None) is None:  # a refusal, an error: never shared
            self._disband()
            return
        stats["executions"] += 1
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [error.formatted for error in result.errors]
        if result.extensions:
            payload["extensions"] = result.extensions
        body = self.op.handler.view.encode_json(payload)
        with collector.paused():
            sent = await self._write(event, body)
        stats["frames"] += sent
        self.pending = None  # (an exception before: the members resume with it)

    async def _write(self, event: Event, body: str) -> int:
        frames: dict[str, str] = {}
        sent = 0
        for member in list(self.members.values()):
            actor = await _current_actor(member.context)
            if actor is None:
                continue  # its session ended: the socket is closing
            if self.visibility is not None and self.visibility(actor) != self.key[-1]:
                member.resume(self.topic, [event])  # its roles changed: it resolves its own
                continue
            frame = frames.get(member.op_id)
            if frame is None:
                frame = frames[member.op_id] = (
                    f'{{"id":{orjson.dumps(member.op_id).decode()},"type":"next","payload":{body}}}'
                )
            await member.handler.send_shared(member.op_id, frame)
            sent += 1
            if sent % BATCH == 0:
                await asyncio.sleep(0)  # let ordinary requests in between
        return sent


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
