"""A short-lived cache of the Actor behind an access token, per instance.

Building an Actor reads the account, its session and its memberships (and the community tree
below staff roles) on every authenticated request. The cache keeps it for
``settings.actor_cache_seconds`` (0 turns it off), keyed by (account, session), and stays
correct by eviction, never by waiting for the TTL:

- whatever changes what an Actor says (logout, a refresh token's reuse, a password change, a
  role given or taken, an account deactivated or made admin, a community added under a staff
  role's community) calls :func:`account_changed` or :func:`everything_changed`. That evicts
  on this instance at once and publishes :data:`TOPIC` through the event bus, which evicts on
  every instance after the change commits (RedisBus carries it across instances);
- an Actor loaded while a change committed is not stored: every eviction moves a generation
  counter, and a load stores its answer only if the counter has not moved since it began;
- while RedisBus is disconnected from Redis (other instances' evictions may be lost) the cache
  is emptied and stores nothing until it reconnects.

The event carries the account id only. Only live Actors are cached: an unknown, inactive or
logged-out answer is read from the database again next time.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from tortoise.signals import post_delete, post_save

from linli.core import events, runtime, topics
from linli.core.actor import Actor
from linli.core.identity.models import Account, Community, Membership

TOPIC = topics.ACTOR_CHANGED.topic()
# Published by ``communities.set_role`` (payload ``account_id``): evicts that account too.
MEMBERSHIP_CHANGED = topics.MEMBERSHIP_CHANGED.topic()
MAX_ENTRIES = 50_000

Key = tuple[int, str | None]


class ActorCache:
    def __init__(
        self,
        ttl: float,
        *,
        bus: Any = None,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._bus = bus
        self._clock = clock
        self._entries: dict[Key, tuple[float, Actor]] = {}
        self._generation = 0
        self._stop_listening: list[Callable[[], None]] = []
        if bus is not None:
            self._stop_listening = [
                bus.listen(TOPIC, self._on_event),
                bus.listen(MEMBERSHIP_CHANGED, self._on_event),
                bus.listen(events.BUS_RESET, lambda _event: self.clear()),
            ]

    def close(self) -> None:
        for stop in self._stop_listening:
            stop()
        self._stop_listening = []
        self.clear()

    def __len__(self) -> int:
        return len(self._entries)

    # ------------------------------------------------------------ reading

    async def get(
        self, account_id: int, session: str | None, load: Callable[[], Awaitable[Actor | None]]
    ) -> Actor | None:
        key = (account_id, session)
        entry = self._entries.get(key)
        now = self._clock()
        if entry is not None:
            if entry[0] > now:
                return entry[1]
            del self._entries[key]
        generation = self._generation
        actor = await load()
        if (
            actor is not None
            and self.ttl > 0
            and generation == self._generation
            and (self._bus is None or self._bus.connected)
        ):
            if len(self._entries) >= self.max_entries:
                self._trim(now)
            self._entries[key] = (now + self.ttl, actor)
        return actor

    def _trim(self, now: float) -> None:
        for key in [k for k, (expires, _) in self._entries.items() if expires <= now]:
            del self._entries[key]
        while len(self._entries) >= self.max_entries:  # the oldest stored go first
            del self._entries[next(iter(self._entries))]

    # ------------------------------------------------------------ eviction

    def evict_account(self, account_id: int) -> None:
        self._generation += 1
        for key in [k for k in self._entries if k[0] == account_id]:
            del self._entries[key]

    def clear(self) -> None:
        self._generation += 1
        self._entries.clear()

    def _on_event(self, event: events.Event) -> None:
        account = event.payload.get("account", event.payload.get("account_id"))
        if isinstance(account, int):
            self.evict_account(account)
        else:
            self.clear()


# ---------------------------------------------------------------- the instance's cache

_current: ActorCache | None = None


def install(ttl: float, bus: Any) -> ActorCache:
    global _current
    uninstall()
    _current = ActorCache(ttl, bus=bus)
    return _current


def uninstall() -> None:
    global _current
    if _current is not None:
        _current.close()
    _current = None


def current() -> ActorCache | None:
    return _current


async def account_changed(account_id: int) -> None:
    """What an Actor of ``account_id`` says has changed (or will once the transaction
    commits): forget it here now, and on every instance after the commit."""
    if _current is not None:
        _current.evict_account(account_id)
    if runtime._current is not None:  # no instance running (a script): no cache to tell
        await topics.ACTOR_CHANGED.publish(account=account_id)


async def everything_changed() -> None:
    """A change that may touch any Actor (the community tree under a staff role)."""
    if _current is not None:
        _current.clear()
    if runtime._current is not None:
        await topics.ACTOR_CHANGED.publish(account=None)


# A safety net for changes made through model instances anywhere (a plugin, an admin
# script): saving or deleting an account or a membership, adding a community. Queryset
# updates send no signal; the use cases that make them call ``account_changed`` themselves.


@post_save(Account)
async def _account_saved(sender: Any, instance: Account, created: bool, *args: Any) -> None:
    if not created:
        await account_changed(instance.pk)


@post_delete(Account)
async def _account_deleted(sender: Any, instance: Account, *args: Any) -> None:
    await account_changed(instance.pk)


@post_save(Membership)
async def _membership_saved(sender: Any, instance: Membership, *args: Any) -> None:
    await account_changed(instance.account_id)


@post_delete(Membership)
async def _membership_deleted(sender: Any, instance: Membership, *args: Any) -> None:
    await account_changed(instance.account_id)


@post_save(Community)
async def _community_saved(sender: Any, instance: Community, *args: Any) -> None:
    # Staff and admin roles reach down the tree: a new or moved community may add roles.
    if instance.parent_id is not None:
        await everything_changed()
