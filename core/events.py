"""The event bus: ``publish(topic, payload)`` with the change it announces, ``subscribe(topic)``
as an async iterator.

Delivery is *at least once*, through a transactional outbox (:mod:`linli.core.outbox`): inside
``linli.core.db.atomic()`` a publish is written to the outbox table in the same transaction as
the change, and goes out once the transaction has committed; a rolled-back transaction
publishes nothing. Outside a transaction it is written and sent at once. Every event has an id;
a subscriber may see one twice (after a crash or an outage), a plugin's ``on_event`` never acts
twice on one (core records what each plugin processed).

Two backends share one in-process fan-out (:class:`Hub`): :class:`LocalBus` delivers to it
directly; :class:`RedisBus` sends every event through one Redis channel and each instance
feeds what it hears into its own hub, so a subscriber on any instance gets events published
on any other. Every subscriber has a bounded queue; one that falls behind is closed with
:class:`SubscriberOverflow` and never slows the publisher. A subscriber that may have missed
events (this instance lost Redis) is closed with :class:`Resync`: re-query, then subscribe
again.

Besides subscriptions, a hub has *listeners*: plain callbacks run synchronously as an event is
delivered (``bus.listen(topic, callback)``), for in-process state that must follow an event at
once, such as a cache to evict. On :class:`RedisBus` an instance's own events reach its
listeners as they are sent (and again when Redis echoes them: listeners must be idempotent),
and a lost Redis connection is told to them as a :data:`BUS_RESET` event (events may have
been missed), as is the reconnection.

Events carry ids, never secrets: payloads are JSON and may cross Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import uuid
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from linli.core import clock
from linli.core.errors import ApiError

log = logging.getLogger("linli.events")


def channel(prefix: str) -> str:
    """The one Redis channel a deployment's events travel on (``LINLI_REDIS_PREFIX``)."""
    return f"{prefix}:events"


# Told to listeners (never to subscribers) when the bus may have missed events.
BUS_RESET = "core.bus.reset"
# How many recent event ids a hub remembers to drop a second delivery of one (at least once
# means a relay after an outage may send again what some instance already heard).
RECENT_IDS = 4096


@dataclass(frozen=True)
class Event:
    topic: str
    payload: dict[str, Any]
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    at: str = field(default_factory=lambda: clock.now().isoformat())

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> Event:
        return cls(**json.loads(text))


class SubscriberOverflow(ApiError):
    """Raised to a subscriber that fell further behind than its queue allows.

    An :class:`ApiError` with the code ``SUBSCRIBER_OVERFLOW``, so a GraphQL subscription that
    lets it propagate ends with that code (never masked) and the connection stays open.
    """

    def __init__(self, reason: str) -> None:
        super().__init__("SUBSCRIBER_OVERFLOW")
        self.reason = reason


class Resync(ApiError):
    """Raised to a subscriber that may have missed events: this instance lost its bus (Redis)
    and cannot know what went by meanwhile.

    An :class:`ApiError` with the code ``RESYNC``, ending the subscription like
    ``SUBSCRIBER_OVERFLOW`` does: the client re-queries what it shows, then subscribes again.
    """

    def __init__(self, reason: str) -> None:
        super().__init__("RESYNC")
        self.reason = reason


class Subscription:
    """One subscriber's bounded queue; iterate it to receive events for its topics."""

    _CLOSED = object()

    def __init__(self, hub: Hub, topics: tuple[str, ...], maxsize: int) -> None:
        self._hub = hub
        self.topics = topics
        self._queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=maxsize)
        self.closed_reason: str | None = None
        self._error: type[ApiError] = SubscriberOverflow

    def offer(self, event: Event) -> None:
        if self.closed_reason is not None:
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self._close("subscriber too slow: event queue overflowed")

    def resync(self, reason: str) -> None:
        """End this subscription with RESYNC: it may have missed events."""
        if self.closed_reason is None:
            self._error = Resync
            self._close(reason)

    def _close(self, reason: str) -> None:
        self.closed_reason = reason
        self._hub.remove(self)
        # Drop what is queued so the close marker always fits and is read next.
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(self._CLOSED)

    def close(self) -> None:
        if self.closed_reason is None:
            self._close("closed")

    def fail(self, error: SubscriberOverflow | Resync) -> None:
        """End with ``error`` once what is queued has been read (a shared subscription
        handing an error of the bus over to each of its members: core/graphql/fanout.py)."""
        if self.closed_reason is None:
            self._error = type(error)
            self.closed_reason = error.reason
            self._hub.remove(self)
            try:
                self._queue.put_nowait(self._CLOSED)
            except asyncio.QueueFull:
                self._close(error.reason)

    def drain(self) -> list[Event]:
        """The events queued and not yet read, taken out (a shared subscription handing
        them over to its members when it ends: core/graphql/fanout.py)."""
        queued = []
        while not self._queue.empty():
            item = self._queue.get_nowait()
            if item is not self._CLOSED:
                queued.append(item)
        return queued

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Event:
        item = await self._queue.get()
        if item is self._CLOSED:
            if self.closed_reason == "closed":
                raise StopAsyncIteration
            raise self._error(self.closed_reason)
        return item


class Hub:
    """In-process fan-out from topics to subscriptions."""

    def __init__(self, queue_size: int) -> None:
        self.queue_size = queue_size
        self._by_topic: dict[str, set[Subscription]] = {}
        self._listeners: dict[str, list[Callable[[Event], None]]] = {}
        self._any: list[Callable[[Event], None]] = []  # of every topic (the response cache)
        self._recent: deque[str] = deque(maxlen=RECENT_IDS)
        self._recent_set: set[str] = set()

    def listen(self, topic: str, callback: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``callback(event)`` synchronously for each event of ``topic``; returns the
        function that stops it."""
        self._listeners.setdefault(topic, []).append(callback)

        def stop() -> None:
            callbacks = self._listeners.get(topic, [])
            if callback in callbacks:
                callbacks.remove(callback)

        return stop

    def listen_all(self, callback: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``callback(event)`` synchronously for every event, of any topic."""
        self._any.append(callback)

        def stop() -> None:
            if callback in self._any:
                self._any.remove(callback)

        return stop

    def notify(self, event: Event) -> None:
        """Run the listeners of ``event.topic``; one that raises is logged, the rest still run."""
        for callback in (*self._any, *self._listeners.get(event.topic, ())):
            try:
                callback(event)
            except Exception:
                log.exception("event listener %r failed on %s", callback, event.topic)

    def add(self, topics: tuple[str, ...]) -> Subscription:
        sub = Subscription(self, topics, self.queue_size)
        for topic in topics:
            self._by_topic.setdefault(topic, set()).add(sub)
        return sub

    def remove(self, sub: Subscription) -> None:
        for topic in sub.topics:
            subs = self._by_topic.get(topic)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._by_topic[topic]

    def deliver(self, event: Event) -> None:
        """Fan ``event`` out here, unless this hub delivered the same event id recently."""
        if event.id in self._recent_set:
            return
        if len(self._recent) == self._recent.maxlen:
            self._recent_set.discard(self._recent[0])
        self._recent.append(event.id)
        self._recent_set.add(event.id)
        self.notify(event)
        for sub in list(self._by_topic.get(event.topic, ())):
            sub.offer(event)

    def _all(self) -> set[Subscription]:
        return {sub for subs in self._by_topic.values() for sub in subs}

    def close_all(self) -> None:
        for sub in self._all():
            sub.close()

    def resync_all(self, reason: str) -> None:
        """End every subscription with RESYNC (they may have missed events)."""
        for sub in self._all():
            sub.resync(reason)

    @property
    def subscriber_count(self) -> int:
        return len(self._all())


class BusUnavailable(Exception):
    """The bus could not take an event now; it stays in the outbox for the relay."""


class LocalBus:
    """The default bus: one process, no services needed."""

    def __init__(self, queue_size: int = 256) -> None:
        self.hub = Hub(queue_size)

    # Whether every event sent on any instance reaches this one (Redis may drop out).
    connected = True
    # What the bus calls when it is back after an outage (RedisBus only): the relay's catch-up.
    on_reconnect: Callable[[float], Awaitable[None]] | None = None

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self.hub.close_all()

    def listen(self, topic: str, callback: Callable[[Event], None]) -> Callable[[], None]:
        return self.hub.listen(topic, callback)

    def listen_all(self, callback: Callable[[Event], None]) -> Callable[[], None]:
        return self.hub.listen_all(callback)

    async def send(self, event: Event) -> None:
        self.hub.deliver(event)

    def joined_shared(self) -> None:
        """A subscriber joined a shared subscription (core/graphql/fanout.py): it receives the
        events from now on, as if it had subscribed (a test client waits for this signal)."""

    @contextlib.asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[Subscription]:
        sub = self.hub.add(topics)
        try:
            yield sub
        finally:
            sub.close()


Bus = LocalBus

# The events published so far by the running ``atomic()`` block (nested blocks share it).
_outbox: contextvars.ContextVar[list[Event] | None] = contextvars.ContextVar(
    "linli_outbox", default=None
)


async def publish(topic: str, payload: dict[str, Any]) -> Event:
    """Publish an event: inside a transaction it is stored with it and goes out after the
    commit; outside one it is stored and sent at once."""
    from linli.core import outbox as durable

    event = Event(topic=topic, payload=payload)
    pending = _outbox.get()
    if pending is not None:
        pending.append(event)
    else:
        await durable.store([event])
        await durable.relay_committed([event])
    return event


async def dispatch(event: Event) -> None:
    """Send an event to every subscriber and every plugin's ``on_event`` now, bypassing the
    outbox (the relay's own step; tests). Never raises because the bus is down."""
    from linli.core import outbox as durable

    await durable.deliver(event)


def subscribe(*topics: str) -> contextlib.AbstractAsyncContextManager[Subscription]:
    """``async with subscribe("topic") as events: async for event in events: ...``"""
    from linli.core import runtime

    return runtime.current().bus.subscribe(*topics)


def make_bus(redis_url: str | None, queue_size: int, prefix: str = "linli") -> LocalBus:
    return RedisBus(redis_url, queue_size, prefix) if redis_url else LocalBus(queue_size)


# RedisBus lives in its own module (it needs everything above); importable from here too.
from linli.core.redis_bus import RedisBus  # noqa: E402

__all__ = [
    "BUS_RESET",
    "Bus",
    "BusUnavailable",
    "Event",
    "Hub",
    "LocalBus",
    "RedisBus",
    "Resync",
    "SubscriberOverflow",
    "Subscription",
    "channel",
    "dispatch",
    "make_bus",
    "publish",
    "subscribe",
]
