"""The event bus: publish after commit, subscribe as an async iterator, both backends,
``on_event`` isolation, and slow subscribers that never hold up a publisher."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
import uuid
from pathlib import Path

import pytest

from linli.core import db, events, runtime
from linli.core.events import Event, LocalBus, RedisBus, SubscriberOverflow
from linli.core.models import AuditEntry
from linli.core.settings import Limits
from linli.testing import redis_prefix, redis_url

sys.path.insert(0, str(Path(__file__).parent))  # tests/core: the plugins_for_tests package
from plugins_for_tests import listeners, probe


def topic() -> str:
    """A topic no other test (nor another run sharing Redis) publishes on."""
    return f"test.{uuid.uuid4().hex}"


async def wait_for(condition, within: float = 10.0) -> None:
    """Poll until ``condition()`` holds; fails the test after ``within`` seconds (a safety net,
    not an assertion on time)."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


async def next_event(sub: events.Subscription, within: float = 10.0) -> Event:
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
    # Small enough that a slow subscriber overflows in a few events, big enough for the
    # tests above that read after publishing a handful.
    return {"limits": Limits(subscriber_queue_size=QUEUE)}


QUEUE = 4


# ---------------------------------------------------------------- publish after commit


async def test_publish_inside_atomic_waits_for_commit(linli_app, recording):
    name = topic()
    async with events.subscribe(name) as sub:
        async with db.atomic():
            await events.publish(name, {"n": 1})
            # Not yet: neither the plugins nor the bus have seen it.
            assert [e for e in recording.events if e.topic == name] == []
            assert runtime.current().bus.hub.subscriber_count >= 1
        assert [e.payload for e in recording.events if e.topic == name] == [{"n": 1}]
        event = await next_event(sub)
        assert (event.topic, event.payload) == (name, {"n": 1})


async def test_rollback_publishes_nothing(linli_app, recording):
    name = topic()
    async with events.subscribe(name) as sub:
        with pytest.raises(RuntimeError):
            await probe.say("lost", topic=name, fail=True)
        assert not await AuditEntry.filter(object_id="lost").exists()
        # A sentinel published afterwards is the first thing the subscriber sees: so the
        # rolled-back event never went out, on either backend (one channel keeps order).
        await events.publish(name, {"text": "sentinel"})
        assert (await next_event(sub)).payload == {"text": "sentinel"}
    assert [e.payload for e in recording.events if e.topic == name] == [{"text": "sentinel"}]


async def test_nested_atomic_blocks_share_the_outbox(linli_app, recording):
    name = topic()
    async with events.subscribe(name) as sub:
        async with db.atomic():
            await events.publish(name, {"n": 1})
            async with db.atomic():
                await events.publish(name, {"n": 2})
            # The inner block ended, the transaction did not: still nothing out.
            assert [e for e in recording.events if e.topic == name] == []
            with pytest.raises(RuntimeError):
                async with db.atomic():
                    await events.publish(name, {"n": "rolled back with its savepoint"})
                    raise RuntimeError
            await events.publish(name, {"n": 3})
        got = [(await next_event(sub)).payload for _ in range(3)]
    assert got == [{"n": 1}, {"n": 2}, {"n": 3}]
    assert [e.payload for e in recording.events if e.topic == name] == got


async def test_publish_outside_a_transaction_goes_out_at_once(linli_app, recording):
    name = topic()
    async with events.subscribe(name) as sub:
        event = await events.publish(name, {"id": 7})
        assert [e.id for e in recording.events if e.topic == name] == [event.id]
        received = await next_event(sub)
    assert received == event


async def test_subscribe_to_several_topics_and_leave(linli_app):
    a, b = topic(), topic()
    hub = runtime.current().bus.hub
    before = hub.subscriber_count
    async with events.subscribe(a, b) as sub:
        assert hub.subscriber_count == before + 1
        await events.publish(a, {"x": 1})
        await events.publish(topic(), {"x": "not for us"})
        await events.publish(b, {"x": 2})
        assert [(await next_event(sub)).payload["x"] for _ in range(2)] == [1, 2]
    assert hub.subscriber_count == before


def test_event_round_trips_as_json():
    event = Event(topic="booking.confirmed", payload={"id": "Qm9va2luZzox", "名": "张三"})
    assert Event.from_json(event.to_json()) == event


# ---------------------------------------------------------------- on_event isolation


async def test_on_event_raising_is_logged_and_isolated(gql, recording, caplog):
    caplog.set_level(logging.ERROR, logger="linli.plugins")
    data = await gql.query('mutation { probeSay(input: {text: "hello"}) { ok } }')
    assert data == {"probeSay": {"ok": True}}
    # The request committed, the raising plugin was called and logged, the others still got it.
    assert await AuditEntry.filter(action="probe.say", object_id="hello").exists()
    assert listeners.Raising.calls == 1
    assert [e.payload for e in probe.received if e.topic == probe.TOPIC] == [{"text": "hello"}]
    assert [e.payload for e in recording.events if e.topic == probe.TOPIC] == [{"text": "hello"}]
    failures = [r for r in caplog.records if "raising" in r.getMessage()]
    assert failures, caplog.text
    assert "on_event" in failures[0].getMessage() and probe.TOPIC in failures[0].getMessage()
    assert failures[0].exc_info is not None


# ---------------------------------------------------------------- slow subscribers


async def test_in_process_bus_overflow_closes_only_the_slow_subscriber():
    bus = LocalBus(queue_size=2)
    await bus.start()
    try:
        async with bus.subscribe("t") as slow, bus.subscribe("t") as fast:
            got = []
            for n in range(6):
                await bus.send(Event("t", {"n": n}))  # never waits for any subscriber
                got.append((await next_event(fast)).payload["n"])
            assert got == list(range(6))
            assert slow.closed_reason and "overflow" in slow.closed_reason
            with pytest.raises(SubscriberOverflow) as raised:
                await next_event(slow)
            assert raised.value.code == "SUBSCRIBER_OVERFLOW"
            assert bus.hub.subscriber_count == 1
            # The closed subscriber gets nothing more; the other keeps receiving.
            await bus.send(Event("t", {"n": 6}))
            assert (await next_event(fast)).payload == {"n": 6}
    finally:
        await bus.stop()


async def test_stopping_the_bus_ends_subscriptions():
    bus = LocalBus(queue_size=4)
    async with bus.subscribe("t") as sub:
        await bus.stop()
        assert [event async for event in sub] == []


@pytest.mark.skipif(not redis_url(), reason="needs LINLI_TEST_REDIS_URL")
async def test_redis_bus_carries_events_between_instances():
    one = RedisBus(redis_url(), queue_size=8, prefix=redis_prefix())
    two = RedisBus(redis_url(), queue_size=8, prefix=redis_prefix())
    await one.start()
    await two.start()
    name = topic()
    try:
        async with two.subscribe(name) as on_two, one.subscribe(name) as on_one:
            sent = Event(name, {"booking": "Qm9va2luZzox"})
            await one.send(sent)
            assert await next_event(on_two) == sent
            assert await next_event(on_one) == sent  # the sender's own instance too
    finally:
        await one.stop()
        await two.stop()


@pytest.mark.skipif(not redis_url(), reason="needs LINLI_TEST_REDIS_URL")
async def test_redis_bus_overflow_closes_only_the_slow_subscriber():
    one = RedisBus(redis_url(), queue_size=2, prefix=redis_prefix())
    two = RedisBus(redis_url(), queue_size=2, prefix=redis_prefix())
    await one.start()
    await two.start()
    name = topic()
    try:
        async with two.subscribe(name) as slow, two.subscribe(name) as fast:
            for n in range(5):
                await one.send(Event(name, {"n": n}))
                assert (await next_event(fast)).payload == {"n": n}
            await wait_for(lambda: slow.closed_reason is not None)
            with pytest.raises(SubscriberOverflow):
                await next_event(slow)
    finally:
        await one.stop()
        await two.stop()


@pytest.mark.skipif(not redis_url(), reason="needs LINLI_TEST_REDIS_URL")
async def test_deployments_with_different_redis_prefixes_never_hear_each_other():
    ours = RedisBus(redis_url(), queue_size=8, prefix=redis_prefix())
    theirs = RedisBus(redis_url(), queue_size=8, prefix=f"{redis_prefix()}-other")
    await ours.start()
    await theirs.start()
    name = topic()
    try:
        async with ours.subscribe(name) as on_ours, theirs.subscribe(name) as on_theirs:
            await theirs.send(Event(name, {"n": "theirs"}))
            await ours.send(Event(name, {"n": "ours"}))
            # One channel keeps order: had "theirs" crossed over, it would arrive first.
            assert (await next_event(on_ours)).payload == {"n": "ours"}
            assert (await next_event(on_theirs)).payload == {"n": "theirs"}
    finally:
        await ours.stop()
        await theirs.stop()


def test_test_sessions_get_their_own_redis_prefix(linli_settings):
    assert linli_settings.redis_prefix == redis_prefix() != "linli"


# ---------------------------------------------------------------- over GraphQL


SUBSCRIBE = "subscription($slow: Boolean!) { probeEvents(slow: $slow) { topic text } }"


async def test_graphql_subscription_receives_committed_events(gql):
    async with gql.websocket() as ws:
        op = await ws.subscribe(SUBSCRIBE, {"slow": False})
        await wait_for(lambda: len(probe.subscriptions) == 1)
        await gql.query('mutation { probeSay(input: {text: "你好"}) { ok } }')
        message = await ws.next(op)
    assert message["type"] == "next"
    assert message["payload"] == {"data": {"probeEvents": {"topic": probe.TOPIC, "text": "你好"}}}


async def test_graphql_subscription_overflow_is_a_clear_error_and_the_rest_goes_on(gql):
    async with gql.websocket() as ws:
        slow = await ws.subscribe(SUBSCRIBE, {"slow": True})
        fast = await ws.subscribe(SUBSCRIBE, {"slow": False})
        await wait_for(lambda: len(probe.subscriptions) == 2)
        for n in range(QUEUE + 2):
            await events.publish(probe.TOPIC, {"text": str(n)})
            message = await ws.next(fast)
            assert message["payload"]["data"]["probeEvents"]["text"] == str(n)
        slow_sub = next(s for s in probe.subscriptions if s.closed_reason)
        assert "overflow" in slow_sub.closed_reason
        probe.gate.set()  # the slow resolver wakes up to the overflow
        seen = [await ws.next(slow)]
        while seen[-1]["type"] == "next" and "errors" not in seen[-1]["payload"]:
            seen.append(await ws.next(slow))  # events it had taken before falling behind
        error = seen[-1]["payload"]["errors"][0]
        assert error["extensions"]["code"] == "SUBSCRIBER_OVERFLOW"
        assert "订阅" in error["message"]
        assert (await ws.next(slow))["type"] == "complete"
        # Same connection: the fast subscription still receives, new operations still run.
        await events.publish(probe.TOPIC, {"text": "after"})
        assert (await ws.next(fast))["payload"]["data"]["probeEvents"]["text"] == "after"
        again = await ws.subscribe(SUBSCRIBE, {"slow": False})
        await wait_for(lambda: len(probe.subscriptions) == 3)
        await events.publish(probe.TOPIC, {"text": "again"})
        assert (await ws.next(again))["payload"]["data"]["probeEvents"]["text"] == "again"
    assert (await gql.get("/healthz")).status_code == 200
    assert (await gql.query("{ serverInfo { version } }"))["serverInfo"]["version"]
