"""Answers of pure reads, kept per caller until the next write: the hot reads' fast path.

A resident's app asks for the same thing again and again (a day's slots, the notices page):
the same document, the same variables, the same caller. Executing it costs milliseconds of
GraphQL and ORM work; replaying the bytes of the last answer costs the token check and a
dictionary lookup. An answer is kept when every root field of the operation is declared a
pure read (``g.cached``, and every ``g.community_list``), under a key of

    (method, the body or query string as sent, media type, locale, the caller)

so one caller's answer is never replayed to another (a person's appointments, a staff
member's view), nor one community's to another: the caller is part of the key, and the
caller's token is checked, and counted by the rate limit, before every lookup.

It stays correct by invalidation, never by waiting:

- every event on the bus (a booking, a cancellation, a notice, a role change, from this
  instance or, through Redis, from another) empties it, and so does every mutation executed
  here, once it has finished: the writer's own response is sent after the cache forgot;
- an answer computed while a write committed is not stored: a generation counter moves at
  each invalidation, and an answer is stored only under the generation its read began in;
- while RedisBus is disconnected from Redis (other instances' events may be lost) nothing is
  kept or served; BUS_RESET on reconnection empties it;
- a row saved or deleted through the ORM anywhere in the process (a fixture, an admin
  script, a plugin's task) empties it too: a safety net, as the actor cache has;
- the time a read depends on (a slot's start passing) and a write that publishes no event
  (a script on another process) are bounded by ``response_cache_seconds`` (1 s by default;
  0 turns the cache off).

What is not a pure read must not be declared one: a field that writes (an audit line for a
read of an ID number), or whose answer changes with no event and more than the TTL allows.
"""

from __future__ import annotations

import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField
from tortoise.signals import Signals

from linli.core.actor import Actor

# The mark a root query field carries when its answer is a pure read (``g.cached``).
MARK = "linli.cached"
MAX_ENTRIES = 20_000
MAX_BODY_BYTES = 512 * 1024
# What all kept answers (and the requests that key them) may hold: a caller sending many
# distinct pages must not grow the process without bound; the least recently kept go first.
MAX_TOTAL_BYTES = 64 * 1024 * 1024

Key = tuple[Any, ...]


def cached(field: StrawberryField) -> StrawberryField:
    """Declare a root query field a pure read whose answer may be replayed to the same caller
    until the next write (see the module). Put it above ``@strawberry.field``."""
    if not isinstance(field, StrawberryField):
        raise TypeError("g.cached goes above @strawberry.field (or a connection)")
    field.metadata = {**(field.metadata or {}), MARK: True}
    return field


def caller_key(actor: Actor) -> Key:
    """Everything of the caller an answer may depend on (roles included: a role given is an
    event too, but the key does not rest on it)."""
    if not actor.authenticated:
        return ("anonymous",)
    roles = tuple(sorted((cid, tuple(sorted(r))) for cid, r in actor.roles.items()))
    return (actor.account_id, actor.person_id, actor.session_id, actor.is_admin, roles)


class Entry:
    __slots__ = ("body", "expires", "headers", "size", "status")

    def __init__(
        self,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        expires: float,
        size: int,
    ):
        self.status, self.headers, self.body, self.expires = status, headers, body, expires
        self.size = size  # the answer's bytes and the request bytes that key it


class ResponseCache:
    def __init__(
        self,
        ttl: float,
        *,
        bus: Any = None,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_TOTAL_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.bytes = 0  # held by the kept answers and their keys' request bytes
        self._bus = bus
        self._clock = clock
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self.generation = 0
        self.hits = self.misses = 0
        self._stop_listening: Callable[[], None] | None = None
        if bus is not None:
            self._stop_listening = bus.listen_all(lambda _event: self.invalidate())
        _LIVE.add(self)

    def close(self) -> None:
        if self._stop_listening is not None:
            self._stop_listening()
            self._stop_listening = None
        self.invalidate()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def usable(self) -> bool:
        return self._bus is None or self._bus.connected

    def invalidate(self) -> None:
        self.generation += 1
        self._entries.clear()
        self.bytes = 0

    def _drop(self, key: Key) -> None:
        self.bytes -= self._entries.pop(key).size

    def get(self, key: Key) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None or not self.usable:
            self.misses += 1
            return None
        if entry.expires <= self._clock():
            self._drop(key)
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(
        self,
        key: Key,
        generation: int,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
    ) -> bool:
        """Keep an answer read under ``generation``; False (not kept) when a write has
        invalidated since, the bus is down, or the answer is too large."""
        if generation != self.generation or not self.usable or len(body) > MAX_BODY_BYTES:
            return False
        if key in self._entries:
            self._drop(key)
        sent = key[1] if isinstance(key[1], bytes) else b""
        entry = Entry(status, headers, body, self._clock() + self.ttl, len(body) + len(sent))
        self._entries[key] = entry
        self.bytes += entry.size
        while self._entries and (
            len(self._entries) > self.max_entries or self.bytes > self.max_bytes
        ):
            self._drop(next(iter(self._entries)))
        return True


# The caches of the apps running in this process, for the ORM's save and delete signals.
_LIVE: weakref.WeakSet[ResponseCache] = weakref.WeakSet()


async def _row_written(*_args: Any) -> None:
    for cache in tuple(_LIVE):
        cache.invalidate()


def watch_models(models: Iterable[Any]) -> None:
    """Empty every live cache when a row of one of ``models`` is saved or deleted (registered
    once per model: the listener is one module-level function)."""
    for model in models:
        model.register_listener(Signals.post_save, _row_written)
        model.register_listener(Signals.post_delete, _row_written)


# ---------------------------------------------------------------- which operations qualify


def _fields(
    selection_set: SelectionSetNode, fragments: dict[str, Any], seen: set[str]
) -> Iterable[str]:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection.name.value
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen or name not in fragments:
                yield "\x00"  # a cycle or a missing fragment: never cacheable (validation refuses)
                continue
            yield from _fields(fragments[name].selection_set, fragments, seen | {name})


def root_fields(document: DocumentNode, operation_name: str | None) -> set[str] | None:
    """The root field names the operation selects (fragments followed), or None when the
    document holds no such query operation."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation.value != "query":
        return None
    fragments = {
        d.name.value: d for d in document.definitions if not isinstance(d, OperationDefinitionNode)
    }
    return set(_fields(operations[0].selection_set, fragments, set()))


def cached_root_fields(schema: Any) -> frozenset[str]:
    """The GraphQL names of the Query fields marked pure reads, read once per schema."""
    known = getattr(schema, "_linli_cached_fields", None)
    if known is None:
        query = schema.get_type_by_name("Query")
        names = set()
        if isinstance(query, StrawberryObjectDefinition):
            for field in query.fields:
                if (field.metadata or {}).get(MARK):
                    names.add(schema.config.name_converter.from_field(field))
        known = frozenset(names | {"__typename"})
        schema._linli_cached_fields = known
    return known


class ResponseCacheMarks(SchemaExtension):
    """Tells the HTTP view whether the operation just run may be kept (``context.cacheable``;
    a batch is kept only if all of its operations may), and empties the cache when a mutation
    has finished here, before its response is sent."""

    def on_execute(self) -> Any:
        yield
        ec = self.execution_context
        context = ec.context
        if getattr(ec.operation_type, "value", None) == "mutation":
            cache = getattr(getattr(context, "request", None), "app", None)
            cache = getattr(getattr(cache, "state", None), "response_cache", None)
            if cache is not None:
                cache.invalidate()
        if not hasattr(context, "cacheable") or ec.graphql_document is None:
            return
        names = root_fields(ec.graphql_document, ec.operation_name)
        ok = names is not None and names <= cached_root_fields(ec.schema)
        context.cacheable = ok and context.cacheable is not False
