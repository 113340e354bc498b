"""Declared events: each plugin says once what it publishes, and one helper builds the topics.

A plugin declares its event types in ``register_events()``; each :class:`EventType` holds the
event's name (``<plugin>.<what>``), the payload fields whose values make the topic (``keys``)
and the payload's shape (field=type; the keys are fields too)::

    POSTED = EventType("notices.posted", keys=["community_id"], id=int, community_id=int)

    await POSTED.publish(id=notice.id, community_id=community_id)   # inside the transaction
    async with POSTED.subscribe(community_id=c) as events: ...      # a subscription
    if POSTED.matches(event): ...                                   # on_event

One grammar for every topic: the name, then ``:<value>`` for each key in order
(``notices.posted:7``, ``booking.slots:3:2026-03-02``); a type without keys is its name alone
(``core.person.verified``). ``linli.core.events.publish(topic, payload)`` stays the low-level
call underneath (the outbox, the bus); nothing else writes a topic string.

Payloads are checked when published: exactly the declared fields, each of its type. They are
JSON and may cross Redis, so they carry ids and plain values, never secrets.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
# Payload values JSON carries as they are.
PLAIN = (int, str, bool, float, type(None))


class EventError(TypeError):
    """An event published or subscribed with fields its declaration does not have."""


class EventType:
    """One kind of event a plugin publishes (see the module docstring): ``name``, the
    ``keys`` that make its topic, and its payload's fields as keyword arguments
    (``id=int, community_id=int``; a day is ``str``, its ISO form)."""

    def __init__(
        self, name: str, keys: Iterable[str] = (), description: str = "", **payload: Any
    ) -> None:
        if not NAME.match(name):
            raise ValueError(f"event name {name!r}: want '<plugin>.<what>', lowercase")
        self.name, self.keys, self.description = name, tuple(keys), description
        self.payload: Mapping[str, Any] = MappingProxyType(payload)
        missing = [key for key in self.keys if key not in self.payload]
        if missing:
            raise ValueError(f"event {self.name}: keys {missing} are not payload fields")

    def __repr__(self) -> str:
        return f"EventType({self.name!r}, keys={self.keys!r})"

    @property
    def plugin(self) -> str:
        return self.name.split(".", 1)[0]

    def topic(self, **keys: Any) -> str:
        """The topic of the events with these key values: ``POSTED.topic(community_id=7)``."""
        if set(keys) != set(self.keys):
            raise EventError(f"event {self.name}: topic takes {list(self.keys)}, got {list(keys)}")
        return "".join([self.name, *(f":{_topic_part(self, keys[key])}" for key in self.keys)])

    def check(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """The payload as JSON will carry it, or EventError for a field that is missing,
        unknown or of another type."""
        if set(payload) != set(self.payload):
            raise EventError(
                f"event {self.name}: payload fields are {sorted(self.payload)}, "
                f"got {sorted(payload)}"
            )
        out = {}
        for name, value in payload.items():
            if isinstance(value, dt.date):  # a day travels as its ISO string: declare it str
                value = value.isoformat()
            if not isinstance(value, PLAIN) or not isinstance(value, self.payload[name]):
                raise EventError(f"event {self.name}: {name} must be {self.payload[name]}")
            out[name] = value
        return out

    async def publish(self, **payload: Any) -> Any:
        """Publish one event (inside ``atomic()`` it waits for the commit); its topic is built
        from the payload's key fields. Returns the ``linli.core.events.Event``."""
        from linli.core import events

        checked = self.check(payload)
        topic = self.topic(**{key: payload[key] for key in self.keys})
        return await events.publish(topic, checked)

    def subscribe(self, **keys: Any) -> contextlib.AbstractAsyncContextManager[Any]:
        """``async with POSTED.subscribe(community_id=c) as events: async for event in events``."""
        from linli.core import events

        return events.subscribe(self.topic(**keys))

    def matches(self, event: Any) -> bool:
        """Whether ``event`` (an Event, or a topic string) is of this type."""
        topic = event if isinstance(event, str) else event.topic
        return topic == self.name if not self.keys else topic.startswith(self.name + ":")


def _topic_part(event: EventType, value: Any) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if not text or ":" in text or not isinstance(value, (*PLAIN, dt.date)):
        raise EventError(f"event {event.name}: a key value must be a plain value without ':'")
    return text


# ---------------------------------------------------------------- the declarations

_declared: dict[str, EventType] = {}


def install(declarations: Iterable[tuple[str, list[EventType]]]) -> dict[str, EventType]:
    """Check and keep what every plugin declares (``register_events``): each name is in its
    plugin's namespace (``notices.…`` for the plugin notices) and declared once.

    Raises ValueError naming the plugin(s); core calls it when plugins load."""
    declared: dict[str, tuple[str, EventType]] = {}
    for plugin, types in declarations:
        for event in types:
            if not isinstance(event, EventType):
                raise ValueError(f"plugin {plugin}: register_events() returns EventTypes")
            if event.plugin != plugin:
                raise ValueError(
                    f"plugin {plugin}: event {event.name} must be named {plugin}.<what>"
                )
            if event.name in declared and declared[event.name][1] != event:
                raise ValueError(f"plugin {plugin}: event {event.name} is declared twice")
            declared[event.name] = (plugin, event)
    _declared.clear()
    _declared.update({name: event for name, (_, event) in declared.items()})
    return dict(_declared)


def declared() -> dict[str, EventType]:
    """Every declared event type by name."""
    return dict(_declared)


def type_of(event: Any) -> EventType | None:
    """The declared type of an event (or a topic string), or None."""
    topic = event if isinstance(event, str) else event.topic
    return _declared.get(topic.split(":", 1)[0])


# Core's own events (declared by core's register_events).
PERSON_VERIFIED = EventType(
    "core.person.verified",
    person_id=int,
    community_id=int,
    description="A person's identity was verified by staff.",
)
PROXY_CHANGED = EventType(
    "core.proxy.changed",
    grant_id=int,
    person_id=int,
    community_id=int,
    description="A proxy grant was made, accepted, verified or ended.",
)
MEMBERSHIP_CHANGED = EventType(
    "core.membership.changed",
    account_id=int,
    community_id=int,
    description="An account's roles in a community changed.",
)
ACTOR_CHANGED = EventType(
    "core.identity.actor_changed",
    account=(int, type(None)),
    description="What an account's Actor says changed (logout, password, reuse detection): "
    "instances evict it from their actor cache and re-check its sockets; account None: "
    "every Actor.",
)
SETTINGS_CHANGED = EventType(
    "core.settings.changed",
    community_id=int,
    plugin=str,
    description="Staff changed a plugin's settings for a community: instances forget the "
    "values they keep (core/kit/settings.py).",
)
CORE_EVENTS = (
    PERSON_VERIFIED,
    PROXY_CHANGED,
    MEMBERSHIP_CHANGED,
    ACTOR_CHANGED,
    SETTINGS_CHANGED,
)
