"""The transactional outbox: events stored with their change, relayed after the commit by the
request's instance or, when it could not, by the relay of any instance; each plugin's
``on_event`` acts once per event id; relayed events are cleaned up after the retention."""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from pathlib import Path

import pytest

from linli.core import db, events, outbox, runtime
from linli.core.models import AuditEntry, OutboxEvent, ProcessedEvent
from linli.core.outbox import Relay
from linli.core.settings import EventSettings

sys.path.insert(0, str(Path(__file__).parent))  # tests/core: the plugins_for_tests package
from plugins_for_tests import listeners, probe


def topic() -> str:
    return f"test.{uuid.uuid4().hex}"


async def next_event(sub: events.Subscription, within: float = 10.0) -> events.Event:
    return await asyncio.wait_for(anext(sub), within)


@pytest.fixture
def recording() -> listeners.Recording:
    return listeners.Recording()


@pytest.fixture
def linli_extra_plugins(recording):
    probe.reset()
    listeners.Raising.calls = 0
    return {"probe": probe, "raising": listeners.Raising(), "recording": recording}


@pytest.fixture
def linli_settings_overrides():
    # The app's own background relay stays out of the way: each test runs relays itself.
    return {"events": EventSettings(relay_interval_seconds=3600)}


def relay_settings(**changes) -> EventSettings:
    return EventSettings(relay_grace_seconds=0, **changes)


def hold_the_relay() -> None:
    """This instance relays nothing from now on, as if it crashed right after each commit."""
    settings = runtime.current().settings
    settings.events = settings.events.model_copy(update={"hold_relay": True, **GRACE_0})


def release_the_relay() -> None:
    settings = runtime.current().settings
    settings.events = settings.events.model_copy(update={"hold_relay": False})


GRACE_0 = {"relay_grace_seconds": 0}


async def test_an_event_is_written_with_its_transaction_and_marked_relayed(linli_app):
    name = topic()
    async with events.subscribe(name) as sub:
        async with db.atomic():
            await audit_and_publish(name, "stored")
            # Inside the transaction nothing is in the table yet: it goes in with the commit.
        event = await next_event(sub)
    row = await OutboxEvent.get(event_id=event.id)
    assert (row.topic, row.payload, row.at) == (name, {"text": "stored"}, event.at)
    assert row.relayed is not None and row.relayed >= row.created


async def audit_and_publish(name: str, text: str) -> None:
    from linli.core import audit

    await audit.record(None, "probe.say", object_type="Probe", object_id=text, text=text)
    await events.publish(name, {"text": text})


async def test_a_rolled_back_transaction_leaves_nothing_in_the_outbox(linli_app):
    name = topic()
    with pytest.raises(RuntimeError):
        await probe.say("gone", topic=name, fail=True)
    assert not await OutboxEvent.filter(topic=name).exists()
    assert not await AuditEntry.filter(object_id="gone").exists()


async def test_an_event_left_in_the_outbox_is_relayed_once_to_subscribers_and_plugins(
    linli_app, recording
):
    hold_the_relay()
    name = topic()
    async with events.subscribe(name) as sub:
        await probe.say("held", topic=name)
        # Committed, but neither subscribers nor plugins heard of it: it waits in the outbox.
        assert await AuditEntry.filter(object_id="held").exists()
        assert [e for e in recording.events if e.topic == name] == []
        assert await OutboxEvent.filter(topic=name, relayed=None).count() == 1
        release_the_relay()
        relay = Relay(runtime.current().bus, relay_settings())
        assert await relay.run_once() == 1
        event = await next_event(sub)
        assert event.payload == {"text": "held"}
        assert [e.id for e in recording.events if e.topic == name] == [event.id]
        assert await OutboxEvent.filter(topic=name, relayed=None).count() == 0
        # At least once: the same row relayed again (an instance died before marking it)
        # reaches no plugin a second time, and the hub drops the repeat.
        await OutboxEvent.filter(event_id=event.id).update(relayed=None, lease_until=0)
        assert await relay.run_once() == 1
        await events.publish(name, {"text": "sentinel"})
        assert (await next_event(sub)).payload == {"text": "sentinel"}
    assert [e.payload["text"] for e in recording.events if e.topic == name] == [
        "held",
        "sentinel",
    ]


async def test_on_event_runs_once_per_plugin_and_event_id(linli_app, recording):
    event = events.Event(topic=topic(), payload={"n": 1})
    await outbox.deliver_to_plugins(event)
    await outbox.deliver_to_plugins(event)
    await asyncio.gather(*(outbox.deliver_to_plugins(event) for _ in range(5)))
    assert [e.id for e in recording.events] == [event.id]
    assert [e.id for e in probe.received] == [event.id]
    # Each plugin's record is its own; a handler that raised has none, so a redelivery
    # tries it again (it never acted).
    assert sorted(
        await ProcessedEvent.filter(event_id=event.id).values_list("plugin", flat=True)
    ) == ["probe", "recording"]
    assert listeners.Raising.calls == 7


async def test_relays_running_at_once_never_take_the_same_event(linli_app):
    hold_the_relay()
    name = topic()
    for n in range(40):
        await events.publish(name, {"n": n})
    claims = await asyncio.gather(*(outbox.claim(15, 30) for _ in range(4)))
    taken = [event.id for claim in claims for event in claim]
    assert len(taken) == len(set(taken)) == 40
    for claim in claims:  # each batch oldest first
        assert [e.payload["n"] for e in claim] == sorted(e.payload["n"] for e in claim)
    # Leased: nobody takes them again until the lease runs out.
    assert await outbox.claim(100, 30) == []


async def test_a_lease_that_runs_out_lets_another_relay_take_the_events(linli_app):
    hold_the_relay()
    name = topic()
    await events.publish(name, {"n": 1})
    (first,) = await outbox.claim(10, 0.2)  # a relay takes it, then dies
    assert await outbox.claim(10, 30) == []
    await asyncio.sleep(0.3)
    (again,) = await outbox.claim(10, 30)
    assert again.id == first.id


async def test_the_background_relay_of_the_instance_sends_what_waits(linli_app, recording):
    hold_the_relay()
    name = topic()
    async with events.subscribe(name) as sub:
        await probe.say("later", topic=name)
        relay = Relay(runtime.current().bus, relay_settings(relay_interval_seconds=0.05))
        relay.start()
        try:
            assert (await next_event(sub)).payload == {"text": "later"}
            await wait_for(lambda: relay.relayed == 1)  # counted once marked relayed
        finally:
            await relay.stop()
    assert not await OutboxEvent.filter(topic=name, relayed=None).exists()
    assert [e.payload for e in recording.events if e.topic == name] == [{"text": "later"}]


async def test_relayed_events_are_cleaned_up_after_the_retention(linli_app):
    name = topic()
    old = await events.publish(name, {"n": 1})
    recent = await events.publish(name, {"n": 2})
    long_ago = time.time() - 7200
    await OutboxEvent.filter(event_id=old.id).update(relayed=long_ago)
    hold_the_relay()
    waiting = await events.publish(name, {"n": 3})  # never relayed: kept, whatever its age
    await OutboxEvent.filter(event_id=waiting.id).update(created=long_ago)
    for event in (old, waiting):
        await ProcessedEvent.create(plugin="probe-old", event_id=event.id, processed=long_ago)
    await Relay(runtime.current().bus, relay_settings(retention_seconds=3600)).clean_up()
    assert set(await OutboxEvent.filter(topic=name).values_list("event_id", flat=True)) == {
        recent.id,
        waiting.id,
    }
    # A plugin's record of an event still waiting stays: it must not act on it again.
    assert await ProcessedEvent.filter(plugin="probe-old").values_list("event_id", flat=True) == [
        waiting.id
    ]


async def test_retention_zero_deletes_an_event_once_relayed(linli_app):
    settings = runtime.current().settings
    settings.events = settings.events.model_copy(update={"retention_seconds": 0})
    event = await events.publish(topic(), {"n": 1})
    assert not await OutboxEvent.filter(event_id=event.id).exists()


async def test_resync_ends_a_graphql_subscription_with_its_code(gql):
    subscribe = "subscription($topic: String!) { probeEvents(topic: $topic) { topic text } }"
    missed, fine = topic(), probe.TOPIC
    async with gql.websocket() as ws:
        op = await ws.subscribe(subscribe, {"topic": missed})
        other = await ws.subscribe(subscribe, {"topic": fine})
        await wait_for(lambda: len(probe.subscriptions) == 2)
        (sub,) = [s for s in probe.subscriptions if s.topics == (missed,)]
        sub.resync("test: the bus lost Redis")
        message = await ws.next(op)
        error = message["payload"]["errors"][0]
        assert error["extensions"]["code"] == "RESYNC"
        assert "重新查询" in error["message"]
        assert (await ws.next(op))["type"] == "complete"
        # The connection and the other subscription go on.
        await events.publish(fine, {"text": "still here"})
        assert (await ws.next(other))["payload"]["data"]["probeEvents"]["text"] == "still here"


async def wait_for(condition, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


async def test_on_event_reaches_each_plugin_through_pluggy_in_the_one_call_order(linli_app):
    """The outbox calls pm.hook's on_event caller narrowed to one plugin at a time (pluggy's
    subset_hook_caller), so pluggy's monitoring sees every call, one plugin each, in the call
    order every hook has: core first (it has no on_event), then the plugins as they load."""
    pm = runtime.current().plugins.pm
    calls: list[list[str]] = []

    def before(name, impls, kwargs):
        if name == "on_event":
            calls.append([impl.plugin_name for impl in impls])

    undo = pm.add_hookcall_monitoring(before, lambda *args: None)
    try:
        await outbox.deliver_to_plugins(events.Event(topic=topic(), payload={"n": 1}))
    finally:
        undo()
    listening = ["probe", "raising", "recording"]
    assert [name for name in calls if name[0] in listening] == [[p] for p in listening]
