"""A websocket follows its session: what an open connection knows of its caller stays current.

A connection authenticates once, at ``connection_init``; its subscriptions then run for as long
as the socket stays open. Each authenticated connection gets a :class:`SocketSession`, and:

- when the session ends (logout, a password change, a refresh token's reuse revoking its
  family, the account deactivated) the connection is closed with 4403. The changes that end a
  session already publish :data:`actor_cache.TOPIC` for the actor cache: every instance hears
  it on the bus (RedisBus carries it across instances) and re-checks its connections of that
  account at once;
- when the access token expires (by the instance's clock) the connection is closed with 4403:
  a ticker per instance looks once a second, and every event sent is checked too;
- when the caller's roles change (:data:`actor_cache.MEMBERSHIP_CHANGED`) the connection's
  Actor is marked stale, and reloaded before the next event is sent: subscriptions that read
  ``await context.current_actor()`` per event (``access.visible_events`` does) decide with
  the caller's roles of now;
- when the bus may have missed events (:data:`events.BUS_RESET`) every connection is
  re-checked: at its next event, and by the ticker, a batch per second.

A check costs a flag test per event; the Actor is only reloaded after a change was announced.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from linli.core import events, runtime
from linli.core.actor import ANONYMOUS, Actor
from linli.core.identity import actor_cache

log = logging.getLogger("linli.identity.sockets")

TICK_SECONDS = 1.0
CHECKS_PER_TICK = 200  # connections re-checked per tick after a change that may touch anyone
REASON_ENDED = "Session ended"
REASON_EXPIRED = "Access token expired"

_closing: set[asyncio.Task[None]] = set()  # closes under way (a reference keeps them alive)

Reload = Callable[[], Awaitable[Actor | None]]
Close = Callable[[str], Awaitable[None]]


class SocketSession:
    """One websocket connection's caller, kept current (see the module's doc)."""

    def __init__(
        self, context: Any, reload: Reload, expires_at: datetime | None, clock: Any
    ) -> None:
        self.context = context
        self.account_id: int | None = context.actor.account_id
        self.expires_at = expires_at
        self._reload = reload
        self._clock = clock
        self._close: Close | None = None
        self._changes = 0  # moved by every announced change
        self._checked = 0  # the change the Actor was last reloaded for
        self._lock = asyncio.Lock()
        self.ended: str | None = None  # why the connection was closed

    # ------------------------------------------------------------ the connection's side

    def follow(self, close: Close) -> None:
        """Start following (after ``connection_ack``); ``close(reason)`` ends the connection."""
        self._close = close
        registry().add(self)

    def unfollow(self) -> None:
        registry().discard(self)

    async def current(self) -> Actor | None:
        """The caller now, or None once the session has ended (the connection is closing)."""
        if self.ended is None and self.expired():
            await self.end(REASON_EXPIRED)
        if self.ended is not None:
            return None
        if self._checked != self._changes:
            async with self._lock:
                while self.ended is None and self._checked != self._changes:
                    change = self._changes
                    actor = await self._reload()
                    if actor is None:
                        await self.end(REASON_ENDED)
                        return None
                    self.context.actor = actor
                    self._checked = change
        return None if self.ended is not None else self.context.actor

    # ------------------------------------------------------------ the registry's side

    @property
    def stale(self) -> bool:
        return self._checked != self._changes

    def expired(self) -> bool:
        return self.expires_at is not None and self._clock.now() >= self.expires_at

    def changed(self) -> None:
        self._changes += 1

    async def end(self, reason: str) -> None:
        if self.ended is not None:
            return
        self.ended = reason
        self.context.actor = ANONYMOUS
        self.unfollow()
        log.info("websocket of account %s closed: %s", self.account_id, reason.lower())
        if self._close is not None:
            # Its own task: ``end`` may be called from a subscription the close cancels.
            task = asyncio.get_running_loop().create_task(self._close(reason))
            _closing.add(task)
            task.add_done_callback(_closing.discard)


class Registry:
    """The instance's followed connections, by account, and the listeners that move them."""

    def __init__(self, bus: Any, clock: Any) -> None:
        self.bus = bus
        self.clock = clock
        self._by_account: dict[int, set[SocketSession]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._ticker: asyncio.Task[None] | None = None
        self._stop = [
            bus.listen(actor_cache.TOPIC, self._on_change),
            bus.listen(actor_cache.MEMBERSHIP_CHANGED, self._on_change),
            bus.listen(events.BUS_RESET, self._on_change),
        ]

    def add(self, session: SocketSession) -> None:
        if session.account_id is None:
            return
        self._by_account.setdefault(session.account_id, set()).add(session)
        if self._ticker is None or self._ticker.done():
            self._ticker = asyncio.create_task(self._tick(), name="linli-socket-sessions")

    def discard(self, session: SocketSession) -> None:
        sessions = self._by_account.get(session.account_id or 0)
        if sessions is not None:
            sessions.discard(session)
            if not sessions:
                del self._by_account[session.account_id or 0]

    def sessions(self) -> list[SocketSession]:
        return [s for group in self._by_account.values() for s in group]

    def close(self) -> None:
        for stop in self._stop:
            stop()
        if self._ticker is not None:
            self._ticker.cancel()
        for task in self._tasks:
            task.cancel()

    def _on_change(self, event: events.Event) -> None:
        """A bus listener (synchronous): mark at once, so the next event sent by any of these
        connections waits for the reload. One account's connections are checked at once in
        the background, so idle ones close too; a change that may touch anyone (a community
        added under a staff role, the bus reconnecting) leaves the checks to the ticker, a
        batch per second, so that it never turns into one database read per socket at once."""
        account = event.payload.get("account", event.payload.get("account_id"))
        if not isinstance(account, int):
            for session in self.sessions():
                session.changed()
            return
        touched = list(self._by_account.get(account, ()))
        for session in touched:
            session.changed()
        if touched:
            task = asyncio.get_running_loop().create_task(self._check(touched))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _check(self, sessions: list[SocketSession]) -> None:
        for session in sessions:
            try:
                await session.current()
            except Exception:
                log.exception("re-checking a websocket's session failed")

    async def _tick(self) -> None:
        while self._by_account:
            await asyncio.sleep(TICK_SECONDS)
            stale = []
            for session in self.sessions():
                if session.expired():
                    with contextlib.suppress(Exception):
                        await session.end(REASON_EXPIRED)
                elif session.stale:
                    stale.append(session)
            await self._check(stale[:CHECKS_PER_TICK])


_registry: Registry | None = None


def registry() -> Registry:
    """The running instance's registry (made on first use, again for a new runtime)."""
    global _registry
    rt = runtime.current()
    if _registry is None or _registry.bus is not rt.bus:
        if _registry is not None:
            _registry.close()
        _registry = Registry(rt.bus, rt.clock)
    return _registry
