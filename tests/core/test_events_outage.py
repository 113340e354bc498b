"""Redis killed under a running app (a redis-server of the test's own, never the shared one):
committed writes succeed, subscribers get RESYNC, the events wait in the outbox and reach
subscribers when Redis is back; the rate limiter counts locally meanwhile, saying so once."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from pathlib import Path

import pytest

from linli.core import events, runtime
from linli.core.events import Resync
from linli.core.identity import actor_cache
from linli.core.models import OutboxEvent
from linli.core.ratelimit import RequestRateLimiter
from linli.core.settings import EventSettings
from linli.testing import make_account
from linli.testing.redis_server import RedisServer, requires_redis_server, start_redis
from linli.testing.server import free_port

sys.path.insert(0, str(Path(__file__).parent))  # tests/core: the plugins_for_tests package
from plugins_for_tests import listeners, probe

pytestmark = requires_redis_server

SAY = "mutation($t: String!) { probeSay(input: {text: $t}) { ok } }"


@pytest.fixture
def own_redis(tmp_path):
    server = start_redis(tmp_path / "redis")
    yield server
    server.kill()


@pytest.fixture
def recording() -> listeners.Recording:
    return listeners.Recording()


@pytest.fixture
def linli_extra_plugins(recording):
    probe.reset()
    return {"probe": probe, "recording": recording}


@pytest.fixture
def linli_settings_overrides(own_redis):
    return {
        "redis_url": own_redis.url,
        "events": EventSettings(relay_interval_seconds=0.1, relay_grace_seconds=0.2),
    }


async def until(condition, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def test_writes_during_a_redis_outage_commit_and_their_events_arrive_after_it(
    gql, own_redis: RedisServer, recording, caplog
):
    caplog.set_level(logging.INFO, logger="linli")
    bus = runtime.current().bus
    assert bus.connected
    async with events.subscribe(probe.TOPIC) as before:
        await gql.query(SAY, {"t": "before"})
        assert (await asyncio.wait_for(anext(before), 10)).payload == {"text": "before"}
        own_redis.kill()
        with pytest.raises(Resync) as raised:
            await asyncio.wait_for(anext(before), 10)
        assert raised.value.code == "RESYNC"
    assert not bus.connected

    async with events.subscribe(probe.TOPIC) as during:
        texts = [f"outage-{n}" for n in range(5)]
        for text in texts:
            # Committed, and reported so: the bus being down is not the request's failure.
            assert await gql.query(SAY, {"t": text}) == {"probeSay": {"ok": True}}
        assert await OutboxEvent.filter(topic=probe.TOPIC, relayed=None).count() == len(texts)
        # The plugins heard each one at once (they do not need Redis).
        assert [e.payload["text"] for e in recording.events][-len(texts) :] == texts

        own_redis.start()
        got = [(await asyncio.wait_for(anext(during), 20)).payload["text"] for _ in texts]
        assert got == texts

    async def all_relayed() -> bool:
        return not await OutboxEvent.filter(relayed=None).exists()

    await until(all_relayed)
    assert [e.payload["text"] for e in recording.events] == ["before", *texts]  # once each
    # The first write after the outage goes out on the fast path: the sender's pooled
    # connection, dead since Redis was killed, is replaced on use, not reported as a failure.
    async with events.subscribe(probe.TOPIC) as after:
        assert await gql.query(SAY, {"t": "after"}) == {"probeSay": {"ok": True}}
        (row,) = [
            r for r in await OutboxEvent.filter(topic=probe.TOPIC) if r.payload["text"] == "after"
        ]
        assert row.relayed is not None  # relayed before the request returned
        assert (await asyncio.wait_for(anext(after), 10)).payload == {"text": "after"}
    bus_lines = [r.getMessage() for r in caplog.records if r.name == "linli.events"]
    assert sum("redis unreachable" in line for line in bus_lines) <= 2  # listener + sender
    assert any("reachable again" in line for line in bus_lines)


ME = "{ me { account { phone } } }"


async def test_the_actor_cache_stores_nothing_while_redis_is_away(gql, own_redis: RedisServer):
    """Other instances' evictions cannot reach this one meanwhile: every request reads the
    database, so a logout or a role change elsewhere counts at once."""
    user = await make_account()
    cache = actor_cache.current()
    assert (await gql.execute(ME, token=user.token)).errors is None
    assert len(cache) == 1
    own_redis.kill()

    async def deaf() -> bool:
        return not runtime.current().bus.connected

    await until(deaf)
    assert len(cache) == 0  # emptied when the bus lost Redis
    for _ in range(3):
        assert (await gql.execute(ME, token=user.token)).errors is None
    assert len(cache) == 0
    own_redis.start()

    async def connected() -> bool:
        return runtime.current().bus.connected

    await until(connected)
    assert (await gql.execute(ME, token=user.token)).errors is None
    assert len(cache) == 1


async def test_the_rate_limiter_counts_locally_while_redis_is_away_and_says_so_once(
    tmp_path, caplog
):
    caplog.set_level(logging.INFO, logger="linli.ratelimit")
    port = free_port()  # nothing listens there yet
    limiter = RequestRateLimiter(3, f"redis://127.0.0.1:{port}/0", "ns", prefix="t")
    try:
        answers = [await limiter.retry_after("a1") for _ in range(5)]
        # Neither refused nor let through unlimited: the same limit, counted here.
        assert answers[:3] == [None, None, None]
        assert all(isinstance(seconds, int) and seconds >= 1 for seconds in answers[3:])
        assert limiter.outage.down
        down = [r for r in caplog.records if "unreachable" in r.getMessage()]
        assert len(down) == 1 and "ConnectionError" in down[0].getMessage()
        assert str(port) not in down[0].getMessage()  # no URL (it may hold a password)

        server = RedisServer(port, tmp_path / "redis").start()
        try:
            # After a short pause the limiter tries Redis again, and stays there.
            polls = iter(range(1000))

            async def back() -> bool:
                assert await limiter.retry_after(f"poll{next(polls)}") is None
                return not limiter.outage.down

            await until(back)
            assert any("reachable again" in r.getMessage() for r in caplog.records)
        finally:
            server.kill()
    finally:
        await limiter.close()
