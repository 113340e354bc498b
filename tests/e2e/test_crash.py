"""``kill -9`` of a server between commit and relay: after a restart the event reaches
subscribers, and each plugin's ``on_event`` acts on it exactly once. Real processes, on
SQLite and on PostgreSQL + Redis."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/e2e: the durable helpers
from durable import (
    IN_PROCESS,
    heard_counts,
    live_subscription,
    logged_in,
    notice_events,
    post,
    receive_until,
    serve,
)

from linli.core.models import OutboxEvent
from linli.testing import stop_server

pytestmark = pytest.mark.timeout(300)  # two server starts on a shared, busy machine


@pytest.fixture
def linli_settings_overrides():
    return IN_PROCESS


async def commit_then_kill_9(url: str, tmp_path, hood, titles: list[str]) -> list[str]:
    """Post ``titles`` through a server that commits but never relays (the test hook), as if
    it died right after each commit, then ``kill -9`` it; the notices' ids. Its events' grace
    (the time they are its own) is long, so only the test ends it."""
    doomed = serve(
        url, tmp_path, "doomed", events_hold_relay="1", events_relay_grace_seconds="3600"
    )
    try:
        async with await logged_in(doomed, hood.staff) as staff:
            posted = [await post(staff, hood, title) for title in titles]
        doomed.process.kill()  # SIGKILL: no shutdown, no relay
        doomed.process.wait()
    finally:
        stop_server(doomed)
    return posted


async def test_an_event_committed_before_kill_9_is_delivered_once_after_restart(
    linli_settings, hood, tmp_path
):
    url = linli_settings.database_url
    (held,) = await commit_then_kill_9(url, tmp_path, hood, ["kill -9 之前提交"])
    (waiting,) = [row for row in await notice_events() if row.relayed is None]
    assert (await heard_counts())[waiting.event_id] == 0

    restarted = serve(url, tmp_path, "restarted", events_relay_interval_seconds="0.2")
    try:
        staff = await logged_in(restarted, hood.staff)
        resident = await logged_in(restarted, hood.resident)
        async with staff, resident, live_subscription(resident, staff, hood) as events:
            # The grace of the dead instance's event runs out (the test moves it, not a clock).
            await OutboxEvent.filter(event_id=waiting.event_id).update(lease_until=0)
            got = await receive_until(events, {held}, within=30)
        assert got.count(held) == 1
        deadline = time.monotonic() + 30
        while (await OutboxEvent.get(event_id=waiting.event_id)).relayed is None:
            assert time.monotonic() < deadline, "the restarted instance never marked it relayed"
            await asyncio.sleep(0.1)
    finally:
        stop_server(restarted)
    counts = await heard_counts()
    assert counts[waiting.event_id] == 1
    # Every notice event (the sentinels too) was acted on exactly once by the plugin.
    assert {counts[row.event_id] for row in await notice_events()} == {1}


async def test_two_instances_relay_a_dead_instances_backlog_each_event_acted_on_once(
    linli_settings, hood, tmp_path
):
    url = linli_settings.database_url
    await commit_then_kill_9(url, tmp_path, hood, [f"积压 {n}" for n in range(BACKLOG)])
    backlog = [row.event_id for row in await notice_events() if row.relayed is None]
    assert len(backlog) == BACKLOG
    relays = [
        serve(
            url, tmp_path, name, events_relay_interval_seconds="0.05", events_relay_batch_size="3"
        )
        for name in ("relay-a", "relay-b")
    ]
    try:
        await OutboxEvent.filter(event_id__in=backlog).update(lease_until=0)  # grace over
        deadline = time.monotonic() + 60
        while await OutboxEvent.filter(event_id__in=backlog, relayed=None).exists():
            assert time.monotonic() < deadline, "the backlog was never relayed"
            await asyncio.sleep(0.1)
    finally:
        for server in relays:
            stop_server(server)
    counts = await heard_counts()
    assert [counts[event_id] for event_id in backlog] == [1] * BACKLOG


BACKLOG = 30
