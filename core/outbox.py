"""The transactional outbox: events are stored with the change they announce, relayed after.

- :func:`store` writes a transaction's events into ``core_outbox_event`` inside that
  transaction (``db.atomic()`` calls it just before committing), each with a short lease held
  by the instance that wrote it;
- :func:`relay_committed` is the fast path: right after the commit, the request's own instance
  sends its events on the bus, gives them to the plugins and marks them relayed. A bus that
  cannot take them (Redis down) leaves them in the outbox; nothing reaches the request;
- :class:`Relay` runs in every instance: every ``relay_interval_seconds`` it takes a batch of
  unrelayed events whose lease ran out (a crashed instance's, an outage's) by moving their
  lease forward in one statement (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so relays never
  wait for each other; on SQLite the one writer serialises the claim), relays them, and
  deletes relayed events older than ``retention_seconds``;
- :func:`deliver_to_plugins` makes ``on_event`` idempotent per plugin: the plugin's handler
  runs in a transaction that first records (plugin, event id) in ``core_processed_event``; a
  second delivery finds the record and skips. A handler that raises rolls its record back
  (it is logged, and tried again only if the event is relayed again).

Delivery is at least once: a subscriber may see an event twice (each hub drops a repeat it
saw recently), a plugin never acts twice on one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

from tortoise.expressions import Subquery

from linli.core import db, redisconn, runtime
from linli.core.events import BusUnavailable, Event, LocalBus
from linli.core.models import OutboxEvent, ProcessedEvent
from linli.core.plugins import call_and_await

log = logging.getLogger("linli.events.outbox")
plugin_log = logging.getLogger("linli.plugins")

# Catching up after a reconnect also takes events relayed this many seconds before the bus
# went deaf (instances' clocks differ a little; an event in flight when Redis died).
CATCH_UP_MARGIN_SECONDS = 5.0
# More than this to catch up with: subscribers RESYNC rather than receive a flood.
CATCH_UP_MAX_EVENTS = 10_000


def _settings() -> Any:
    return runtime.current().settings.events


def _sql(conn: Any, query: str) -> str:
    """``?`` placeholders as the connection's driver wants them ($1, $2... for asyncpg)."""
    if conn.capabilities.dialect != "postgres":
        return query
    parts = query.split("?")
    return parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], start=1))


def _event(row: dict[str, Any]) -> Event:
    payload = row["payload"]
    if isinstance(payload, str | bytes):
        payload = json.loads(payload)
    return Event(topic=row["topic"], payload=payload, id=row["event_id"], at=row["at"])


# ---------------------------------------------------------------- writing


async def store(events: list[Event], conn: Any = None) -> None:
    """Write ``events`` to the outbox (inside the caller's transaction when it has one)."""
    now = time.time()
    lease = now + _settings().relay_grace_seconds
    rows = [
        OutboxEvent(
            event_id=e.id, topic=e.topic, payload=e.payload, at=e.at, created=now, lease_until=lease
        )
        for e in events
    ]
    await OutboxEvent.bulk_create(rows, using_db=conn)


async def relay_committed(events: list[Event]) -> None:
    """The fast path, right after the commit: send, give to the plugins, mark relayed.

    Never raises: the transaction committed, and whatever could not be relayed now is the
    background relay's to send (this instance's or any other's, once the lease runs out).
    """
    if _settings().hold_relay:
        return
    try:
        relayed = await _relay(events)
        await _mark_relayed(relayed)
    except Exception:
        log.exception("relaying %d committed event(s) failed; the relay sends them", len(events))


async def _relay(events: list[Event]) -> list[str]:
    """Send each event and give it to the plugins; the ids the bus took, in order."""
    relayed: list[str] = []
    bus_ok = True
    for event in events:
        # After one the bus refused, the rest wait too: subscribers get them in order.
        bus_ok = await deliver(event, send=bus_ok)
        if bus_ok:
            relayed.append(event.id)
    return relayed


async def deliver(event: Event, *, send: bool = True) -> bool:
    """Send ``event`` on the bus (unless ``send`` is false) and give it to every plugin's
    ``on_event``; whether the bus took it."""
    sent = False
    if send:
        try:
            await runtime.current().bus.send(event)
            sent = True
        except BusUnavailable:
            pass
    await deliver_to_plugins(event)
    return sent


async def _mark_relayed(event_ids: list[str]) -> None:
    if not event_ids:
        return
    if _settings().retention_seconds <= 0:
        await OutboxEvent.filter(event_id__in=event_ids).delete()
    else:
        await OutboxEvent.filter(event_id__in=event_ids).update(relayed=time.time())


# ---------------------------------------------------------------- plugins, once each


async def deliver_to_plugins(event: Event) -> None:
    """``on_event`` to every plugin that has not processed this event yet, in the one call
    order, each through pluggy (``Plugins.each_plugin``: pm.hook's caller narrowed to that
    plugin); one that raises is logged and the rest still get it."""
    for plugin, caller in runtime.current().plugins.each_plugin("on_event"):
        try:
            # The record and the handler's own writes commit together, or neither does.
            async with db.atomic() as conn:
                if not await _first_time(conn, plugin, event.id):
                    continue
                await call_and_await(caller, event=event)
        except Exception:
            plugin_log.exception("plugin %s failed in on_event(%s)", plugin, event.topic)


async def _first_time(conn: Any, plugin: str, event_id: str) -> bool:
    """Record that ``plugin`` processes ``event_id``; False when it already has."""
    rows = await conn.execute_query_dict(
        _sql(
            conn,
            "INSERT INTO core_processed_event (plugin, event_id, processed) VALUES (?, ?, ?)"
            " ON CONFLICT (plugin, event_id) DO NOTHING RETURNING id",
        ),
        [plugin, event_id, time.time()],
    )
    return bool(rows)


# ---------------------------------------------------------------- the background relay


_CLAIM = (
    "UPDATE core_outbox_event SET lease_until = ? WHERE id IN ("
    "SELECT id FROM core_outbox_event WHERE relayed IS NULL AND lease_until < ?"
    " ORDER BY id LIMIT ?{lock}) RETURNING id, event_id, topic, payload, at"
)
# PostgreSQL: concurrent relays skip each other's rows instead of waiting for them.
_CLAIM_SKIP_LOCKED = _CLAIM.replace("{lock}", " FOR UPDATE SKIP LOCKED")
_CLAIM = _CLAIM.replace("{lock}", "")


async def claim(batch: int, lease_seconds: float) -> list[Event]:
    """Take up to ``batch`` unrelayed events whose lease ran out, oldest first, leasing them
    to this relay for ``lease_seconds``."""
    conn = db.connection()
    postgres = conn.capabilities.dialect == "postgres"
    now = time.time()
    rows = await conn.execute_query_dict(
        _sql(conn, _CLAIM_SKIP_LOCKED if postgres else _CLAIM),
        [now + lease_seconds, now, batch],
    )
    return [_event(row) for row in sorted(rows, key=lambda row: row["id"])]


async def _anything_to_claim() -> bool:
    return await OutboxEvent.filter(relayed=None, lease_until__lt=time.time()).exists()


class Relay:
    """Sends what the fast path could not: one per instance, safe with several at once."""

    # Clean up relayed events every this many rounds.
    CLEANUP_EVERY = 60

    def __init__(self, bus: LocalBus, settings: Any) -> None:
        self.bus = bus
        self.settings = settings
        self.outage = redisconn.Outage(log, "the outbox relay cannot reach the database")
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.relayed = 0  # events this relay sent (the fast path's are not counted)

    def start(self) -> None:
        if not self.settings.hold_relay:
            self._task = asyncio.create_task(self._loop(), name="linli-outbox-relay")

    async def stop(self) -> None:
        """Let the round under way finish (a query cut off mid-way outlives the loop), then
        end; a round stuck longer than a few seconds is cancelled."""
        if self._task is None:
            return
        self._stopping.set()
        try:
            await asyncio.wait_for(self._task, timeout=5)
        except TimeoutError:
            pass  # wait_for cancelled it
        self._task = None

    async def _loop(self) -> None:
        rounds = 0
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._stopping.wait(), timeout=self.settings.relay_interval_seconds
                )
            if self._stopping.is_set():
                return
            try:
                while await self.run_once() == self.settings.relay_batch_size:
                    pass  # a full batch: there may be more
                rounds += 1
                if rounds % self.CLEANUP_EVERY == 0:
                    await self.clean_up()
                self.outage.succeeded()
            except Exception as exc:
                self.outage.failed(exc)

    async def run_once(self) -> int:
        """Relay one batch; how many events it took."""
        if not self.bus.connected:
            return 0  # they would only wait in the bus: leave them to whoever can send
        if not await _anything_to_claim():
            return 0  # a read: an idle instance never takes SQLite's write lock for nothing
        events = await claim(self.settings.relay_batch_size, self.settings.relay_lease_seconds)
        if not events:
            return 0
        relayed = await _relay(events)
        await _mark_relayed(relayed)
        self.relayed += len(relayed)
        unsent = [e.id for e in events if e.id not in set(relayed)]
        if unsent:  # the bus refused them: any relay may try again next round
            await OutboxEvent.filter(event_id__in=unsent, relayed=None).update(lease_until=0)
        return len(events)

    async def clean_up(self) -> None:
        """Forget relayed events (and what plugins processed) older than the retention."""
        cutoff = time.time() - self.settings.retention_seconds
        await OutboxEvent.filter(relayed__lt=cutoff).delete()
        pending = OutboxEvent.filter(relayed=None).values("event_id")
        await (
            ProcessedEvent.filter(processed__lt=cutoff)
            .exclude(event_id__in=Subquery(pending))
            .delete()
        )

    async def catch_up(self, deaf_since: float) -> None:
        """The bus is back after being deaf since ``deaf_since``: give this instance's
        subscribers what was relayed meanwhile (from the outbox), or RESYNC them when the
        outbox no longer holds all of it."""
        since = deaf_since - CATCH_UP_MARGIN_SECONDS
        if time.time() - since > self.settings.retention_seconds:
            self.bus.hub.resync_all("the event bus was away longer than events are kept")
            return
        rows = (
            await OutboxEvent.filter(relayed__gte=since)
            .order_by("id")
            .limit(CATCH_UP_MAX_EVENTS + 1)
            .values("event_id", "topic", "payload", "at")
        )
        if len(rows) > CATCH_UP_MAX_EVENTS:
            self.bus.hub.resync_all("too many events went by while the event bus was away")
            return
        for row in rows:
            self.bus.hub.deliver(_event(row))  # a repeat of one already heard is dropped
