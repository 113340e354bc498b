"""The event bus: ``publish(topic, payload)`` after commit, ``subscribe(topic)`` as an async
iterator.

Inside ``linli.core.db.atomic()`` a publish waits in the transaction's outbox and goes out only
once the transaction has committed; a rolled-back transaction publishes nothing. Outside a
transaction it goes out at once.

Two backends share one in-process fan-out (:class:`Hub`): :class:`LocalBus` delivers to it
directly; :class:`RedisBus` sends every event through one Redis channel and each instance
feeds what it hears into its own hub, so a subscriber on any instance gets events published
on any other. Every subscriber has a bounded queue; one that falls behind is closed with
:class:`SubscriberOverflow` and never slows the publisher.

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
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from linli.core.errors import ApiError

log = logging.getLogger("linli.events")


def channel(prefix: str) -> str:
    """The one Redis channel a deployment's events travel on (``LINLI_REDIS_PREFIX``)."""
    return f"{prefix}:events"


# Told to listeners (never to subscribers) when the bus may have missed events.
BUS_RESET = "core.bus.reset"


@dataclass(frozen=True)
class Event:
    topic: str
    payload: dict[str, Any]
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    at: str = field(default_factory=lambda: _now().isoformat())

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> Event:
        return cls(**json.loads(text))


def _now() -> datetime:
    """The instance's clock (tests move it), or the wall clock outside a running instance."""
    from linli.core import runtime

    return runtime._current.clock.now() if runtime._current is not None else datetime.now(UTC)


class SubscriberOverflow(ApiError):
    """Raised to a subscriber that fell further behind than its queue allows.

    An :class:`ApiError` with the code ``SUBSCRIBER_OVERFLOW``, so a GraphQL subscription that
    lets it propagate ends with that code (never masked) and the connection stays open.
    """

    def __init__(self, reason: str) -> None:
        super().__init__("SUBSCRIBER_OVERFLOW")
        self.reason = reason


class Subscription:
    """One subscriber's bounded queue; iterate it to receive events for its topics."""

    _CLOSED = object()

    def __init__(self, hub: Hub, topics: tuple[str, ...], maxsize: int) -> None:
        self._hub = hub
        self.topics = topics
        self._queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=maxsize)
        self.closed_reason: str | None = None

    def offer(self, event: Event) -> None:
        if self.closed_reason is not None:
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self._close("subscriber too slow: event queue overflowed")

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

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Event:
        item = await self._queue.get()
        if item is self._CLOSED:
            if self.closed_reason == "closed":
                raise StopAsyncIteration
            raise SubscriberOverflow(self.closed_reason)
        return item


class Hub:
    """In-process fan-out from topics to subscriptions."""

    def __init__(self, queue_size: int) -> None:
        self.queue_size = queue_size
        self._by_topic: dict[str, set[Subscription]] = {}
        self._listeners: dict[str, list[Callable[[Event], None]]] = {}

    def listen(self, topic: str, callback: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``callback(event)`` synchronously for each event of ``topic``; returns the
        function that stops it."""
        self._listeners.setdefault(topic, []).append(callback)

        def stop() -> None:
            callbacks = self._listeners.get(topic, [])
            if callback in callbacks:
                callbacks.remove(callback)

        return stop

    def notify(self, event: Event) -> None:
        """Run the listeners of ``event.topic``; one that raises is logged, the rest still run."""
        for callback in tuple(self._listeners.get(event.topic, ())):
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
        self.notify(event)
        for sub in list(self._by_topic.get(event.topic, ())):
            sub.offer(event)

    def close_all(self) -> None:
        for subs in list(self._by_topic.values()):
            for sub in list(subs):
                sub.close()

    @property
    def subscriber_count(self) -> int:
        return len({sub for subs in self._by_topic.values() for sub in subs})


class LocalBus:
    """The default bus: one process, no services needed."""

    def __init__(self, queue_size: int = 256) -> None:
        self.hub = Hub(queue_size)

    # Whether every event sent on any instance reaches this one (Redis may drop out).
    connected = True

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self.hub.close_all()

    def listen(self, topic: str, callback: Callable[[Event], None]) -> Callable[[], None]:
        return self.hub.listen(topic, callback)

    async def send(self, event: Event) -> None:
        self.hub.deliver(event)

    @contextlib.asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[Subscription]:
        sub = self.hub.add(topics)
        try:
            yield sub
        finally:
            sub.close()


class RedisBus(LocalBus):
    """Several instances: events go through Redis pub/sub, each instance fans out locally."""

    def __init__(self, url: str, queue_size: int = 256, prefix: str = "linli") -> None:
        super().__init__(queue_size)
        self.url = url
        self.channel = channel(prefix)
        self._redis: Any = None
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self.connected = False

    async def start(self) -> None:
        import redis.asyncio as redis

        self._redis = redis.Redis.from_url(self.url)
        self._listener = asyncio.create_task(self._listen(), name="linli-redis-bus")
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def _listen(self) -> None:
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    if self._ready.is_set():  # a reconnection: events may have been missed
                        self.hub.notify(Event(topic=BUS_RESET, payload={}))
                    self.connected = True
                    self._ready.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self.hub.deliver(Event.from_json(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:
                # Redis went away: keep the server up, retry, and say so once per failure.
                self.connected = False
                self.hub.notify(Event(topic=BUS_RESET, payload={}))
                log.exception("redis bus listener failed; reconnecting in 1s")
                await asyncio.sleep(1)

    async def stop(self) -> None:
        await super().stop()
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._redis is not None:
            await self._redis.aclose()

    async def send(self, event: Event) -> None:
        # This instance's listeners follow at once (its next request must see the change);
        # its subscribers, and every other instance, hear it through Redis.
        self.hub.notify(event)
        await self._redis.publish(self.channel, event.to_json())


Bus = LocalBus

# The outbox of the innermost running ``atomic()`` block, if any.
_outbox: contextvars.ContextVar[list[Event] | None] = contextvars.ContextVar(
    "linli_outbox", default=None
)


async def publish(topic: str, payload: dict[str, Any]) -> Event:
    """Publish an event; inside a transaction it waits for the commit."""
    event = Event(topic=topic, payload=payload)
    outbox = _outbox.get()
    if outbox is not None:
        outbox.append(event)
    else:
        await dispatch(event)
    return event


async def dispatch(event: Event) -> None:
    """Send a committed event to every subscriber and every plugin's ``on_event``."""
    from linli.core import runtime

    rt = runtime.current()
    await rt.bus.send(event)
    await rt.plugins.deliver_event(event)


def subscribe(*topics: str) -> contextlib.AbstractAsyncContextManager[Subscription]:
    """``async with subscribe("topic") as events: async for event in events: ...``"""
    from linli.core import runtime

    return runtime.current().bus.subscribe(*topics)


def make_bus(redis_url: str | None, queue_size: int, prefix: str = "linli") -> LocalBus:
    return RedisBus(redis_url, queue_size, prefix) if redis_url else LocalBus(queue_size)
