"""The Redis backend of the event bus: one pub/sub channel per deployment, each instance feeding
what it hears into its own hub (see linli.core.events), and telling its subscribers RESYNC when
it loses Redis."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from linli.core import redisconn
from linli.core.events import BUS_RESET, BusUnavailable, Event, LocalBus, channel, log


class RedisBus(LocalBus):
    """Several instances: events go through Redis pub/sub, each instance fans out locally.

    Two clients: the listener's has no retries, so a lost connection is seen (and told to
    subscribers as RESYNC) instead of being resubscribed silently; the sender's retries on a
    fresh connection, so a stale pooled one never fails a send after an outage.
    """

    # Seconds between attempts to reconnect the listener.
    RECONNECT_SECONDS = 0.5

    def __init__(self, url: str, queue_size: int = 256, prefix: str = "linli") -> None:
        super().__init__(queue_size)
        self.url = url
        self.channel = channel(prefix)
        self._redis: Any = None
        self._listen_redis: Any = None
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self.connected = False
        self.listen_outage = redisconn.Outage(log, "event bus listener reconnecting")
        self.send_outage = redisconn.Outage(log, "events wait in the outbox for the relay")

    async def start(self, wait_seconds: float = 5.0) -> None:
        """Connect; with Redis unreachable the instance still starts, and connects later."""
        self._redis = redisconn.client(self.url)
        self._listen_redis = redisconn.client(self.url, retries=0)
        self._listener = asyncio.create_task(self._listen(), name="linli-redis-bus")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout=wait_seconds)

    async def _listen(self) -> None:
        deaf_since: float | None = None
        while True:
            try:
                async with self._listen_redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    self.connected = True
                    self._ready.set()
                    self.listen_outage.succeeded()
                    if deaf_since is not None:  # a reconnection: events may have been missed
                        self.hub.notify(Event(topic=BUS_RESET, payload={}))
                        await self._caught_up(deaf_since)
                        deaf_since = None
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self.hub.deliver(Event.from_json(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # Redis went away: keep the server up, retry, and say so once per outage.
                if deaf_since is None:
                    deaf_since = time.time()
                if self.connected:
                    self.connected = False
                    self.hub.notify(Event(topic=BUS_RESET, payload={}))
                    self.hub.resync_all("the event bus lost Redis: events may have been missed")
                self.listen_outage.failed(exc)
                await asyncio.sleep(self.RECONNECT_SECONDS)

    async def _caught_up(self, deaf_since: float) -> None:
        if self.on_reconnect is None:
            self.hub.resync_all("the event bus reconnected: events may have been missed")
            return
        try:
            await self.on_reconnect(deaf_since)
        except Exception:
            log.exception("catching up after the bus reconnected failed; subscribers resync")
            self.hub.resync_all("the event bus reconnected: events may have been missed")

    async def stop(self) -> None:
        await super().stop()
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        for client in (self._redis, self._listen_redis):
            if client is not None:
                with contextlib.suppress(Exception):
                    await client.aclose()

    async def send(self, event: Event) -> None:
        """Raises :class:`BusUnavailable` (never a Redis error) when Redis cannot take it."""
        # This instance's listeners follow at once (its next request must see the change);
        # its subscribers, and every other instance, hear it through Redis.
        self.hub.notify(event)
        if not self.connected or not self.send_outage.should_try():
            raise BusUnavailable("redis unreachable")
        try:
            await self._redis.publish(self.channel, event.to_json())
        except Exception as exc:
            self.send_outage.failed(exc)
            raise BusUnavailable("redis unreachable") from exc
        self.send_outage.succeeded()
