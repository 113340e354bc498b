"""Declared events (linli.core.topics): one grammar for every topic, payloads checked against
their declaration, declarations checked at start-up, and the example plugin publishing and
subscribing through its declared type."""

from __future__ import annotations

import datetime as dt

import pytest

from linli import EventType
from linli.core import db, events, topics
from linli.core.plugins import PluginError, load_plugins
from linli.core.settings import Settings

SLOTS = EventType(
    "probe.slots", keys=["service_type_id", "date"], slot_id=int, service_type_id=int, date=str
)


def test_one_grammar_name_then_a_colon_per_key():
    assert SLOTS.topic(service_type_id=3, date=dt.date(2026, 3, 2)) == "probe.slots:3:2026-03-02"
    assert topics.PERSON_VERIFIED.topic() == "core.person.verified"
    assert SLOTS.matches("probe.slots:3:2026-03-02") and not SLOTS.matches("probe.slotsx:3")
    assert topics.PERSON_VERIFIED.matches(events.Event("core.person.verified", {}))
    with pytest.raises(topics.EventError, match=r"topic takes \['service_type_id', 'date'\]"):
        SLOTS.topic(service_type_id=3)
    with pytest.raises(topics.EventError, match="without ':'"):
        SLOTS.topic(service_type_id="3:4", date="x")


def test_declarations_are_checked_when_made():
    with pytest.raises(ValueError, match=r"want '<plugin>\.<what>'"):
        EventType("Posted")
    with pytest.raises(ValueError, match=r"keys \['community_id'\] are not payload fields"):
        EventType("probe.posted", keys=["community_id"], id=int)


def test_payloads_must_match_their_declaration():
    assert SLOTS.check({"slot_id": 1, "service_type_id": 3, "date": dt.date(2026, 3, 2)}) == {
        "slot_id": 1,
        "service_type_id": 3,
        "date": "2026-03-02",
    }
    with pytest.raises(topics.EventError, match="payload fields are"):
        SLOTS.check({"slot_id": 1, "service_type_id": 3})
    with pytest.raises(topics.EventError, match="payload fields are"):
        SLOTS.check({"slot_id": 1, "service_type_id": 3, "date": "d", "phone": "138"})
    with pytest.raises(topics.EventError, match="slot_id must be"):
        SLOTS.check({"slot_id": "1", "service_type_id": 3, "date": "d"})


class Declares:
    def __init__(self, name, *types):
        from linli.core.plugins import Manifest

        self.manifest = Manifest(name=name, version="1.0")
        self.types = list(types)

    from linli import hookimpl

    @hookimpl
    def plugin_manifest(self):
        return self.manifest

    @hookimpl
    def register_events(self):
        return self.types


def load(**extra):
    return load_plugins(Settings(secret_key="s", enabled_plugins=list(extra)), extra)


def test_start_up_checks_each_name_is_in_its_plugin_and_declared_once():
    load(probe=Declares("probe", SLOTS))
    assert topics.declared()["probe.slots"] is SLOTS
    assert topics.type_of("probe.slots:1:2026-03-02") is SLOTS
    assert topics.type_of(events.Event("core.proxy.changed", {})) is topics.PROXY_CHANGED
    with pytest.raises(PluginError, match=r"plugin other: event probe.slots must be named other"):
        load(other=Declares("other", SLOTS))
    twin = EventType("probe.slots", x=int)
    with pytest.raises(PluginError, match=r"plugin probe: event probe\.slots is declared twice"):
        load(probe=Declares("probe", SLOTS, twin))
    with pytest.raises(PluginError, match="returns EventTypes"):
        load(probe=Declares("probe", "probe.slots"))


async def test_publish_builds_the_topic_and_waits_for_the_commit(linli_app):
    async with SLOTS.subscribe(service_type_id=3, date="2026-03-02") as stream:
        async with db.atomic():
            event = await SLOTS.publish(slot_id=9, service_type_id=3, date=dt.date(2026, 3, 2))
        assert event.topic == "probe.slots:3:2026-03-02"
        heard = await stream.__anext__()
    assert heard.id == event.id
    assert heard.payload == {"slot_id": 9, "service_type_id": 3, "date": "2026-03-02"}
    with pytest.raises(topics.EventError):
        await SLOTS.publish(slot_id=9, service_type_id=3)


async def test_the_example_declares_its_event(linli_app):
    from linli_notices import service

    declared = topics.declared()
    assert declared["notices.posted"] is service.POSTED
    assert service.POSTED.topic(community_id=7) == "notices.posted:7"
    assert {"core.person.verified", "core.proxy.changed", "core.membership.changed"} <= set(
        declared
    )
