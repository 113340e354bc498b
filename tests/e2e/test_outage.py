"""Redis killed and restarted under two real servers (a redis-server of the test's own, on its
own port; never the shared one): every write during the outage succeeds, subscribers get
RESYNC, login works throughout, the events committed during the outage reach subscribers when
Redis is back, and the plugins act on each exactly once. On SQLite and on PostgreSQL.

The run's figures are printed (``-s`` shows them) for the closing note."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import sys
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/e2e: the durable helpers
from durable import (
    FOLLOW,
    IN_PROCESS,
    heard_counts,
    live_subscription,
    logged_in,
    notice_events,
    post,
    receive_until,
    serve,
    until_heard,
)

from linli.core.models import OutboxEvent
from linli.testing import free_port, stop_server
from linli.testing.redis_server import requires_redis_server, start_redis
from linli_client import GraphQLErrors

pytestmark = [requires_redis_server, pytest.mark.timeout(400)]

WRITES_DURING_OUTAGE = 20
LOGINS_DURING_OUTAGE = 6


@pytest.fixture
def linli_settings_overrides():
    return IN_PROCESS


@contextlib.asynccontextmanager
async def clients(servers: list[Any], hood: Any) -> AsyncIterator[tuple[Any, list[Any]]]:
    """Staff logged in on the second server (the writes go through it), and a resident
    listening on each."""
    staff = await logged_in(servers[1], hood.staff)
    listeners = [await logged_in(server, hood.resident) for server in servers]
    async with staff, listeners[0], listeners[1]:
        yield staff, listeners


async def waiting_between(start: float, end: float) -> int:
    """Notice events committed between ``start`` and ``end`` (wall clock) still unrelayed."""
    rows = await notice_events()
    return sum(row.relayed is None and start <= row.created < end for row in rows)


async def resynced(events) -> list[str]:
    """The codes a subscription ended with (it must end, and say why)."""
    with pytest.raises(GraphQLErrors) as ended:
        while True:
            await asyncio.wait_for(anext(events), 15)
    return ended.value.codes


async def test_redis_outage_loses_no_write_no_login_and_no_event(linli_settings, hood, tmp_path):
    redis = start_redis(tmp_path / "redis")
    settings = {
        "redis_url": redis.url,
        "events_relay_interval_seconds": "0.2",
        # Events that could not go out stay their instance's until the test says otherwise:
        # it releases them once it knows the new subscriptions are registered.
        "events_relay_grace_seconds": "3600",
    }
    url = linli_settings.database_url
    servers = [serve(url, tmp_path, name, **settings) for name in ("one", "two")]
    try:
        async with clients(servers, hood) as (staff, listeners):
            # Live subscriptions on both instances; the writes go through the second.
            async with (
                live_subscription(listeners[0], staff, hood) as on_one,
                live_subscription(listeners[1], staff, hood) as on_two,
            ):
                killed = time.time()
                redis.kill()
                codes = [await resynced(on_one), await resynced(on_two)]
            assert codes == [["RESYNC"], ["RESYNC"]]

            # The clients subscribe again at once, while Redis is still away.
            async with (
                listeners[0].subscribe(FOLLOW, {"c": hood.id}) as again_one,
                listeners[1].subscribe(FOLLOW, {"c": hood.id}) as again_two,
            ):
                written, logins = [], 0
                for n in range(WRITES_DURING_OUTAGE):
                    writer = staff if n % 2 else await logged_in(servers[n % 2], hood.staff)
                    written.append(await post(writer, hood, f"停电期间 {n}"))
                    if writer is not staff:
                        await writer.aclose()
                for n in range(LOGINS_DURING_OUTAGE):
                    async with await logged_in(servers[n % 2], hood.resident) as client:
                        assert client.token
                        logins += 1
                back, back_wall = time.monotonic(), time.time()
                redis.start()
                # The first writes after the outage are heard (the pooled connections recover),
                # and tell the test the new subscriptions are registered; then the outage's
                # events may go (their grace ends: the test moves it, not a clock).
                await until_heard([again_one, again_two], staff, hood)
                heard_again = time.monotonic() - back
                # Every event of the outage waited in the outbox (none was lost or sent).
                assert await waiting_between(killed, back_wall) == WRITES_DURING_OUTAGE
                await OutboxEvent.filter(relayed=None).update(lease_until=0)
                released = time.monotonic()
                got_one = await receive_until(again_one, set(written), within=60)
                got_two = await receive_until(again_two, set(written), within=60)
                delivered = time.monotonic() - released
    finally:
        for server in servers:
            stop_server(server)
        redis.kill()

    rows = await notice_events()
    assert all(row.relayed is not None for row in rows)
    counts = await heard_counts()
    assert {counts[row.event_id] for row in rows} == {1}  # each plugin acted once per event
    for got in (got_one, got_two):
        assert set(written) <= set(got)
    before = [row.relayed - row.created for row in rows if row.created < killed]
    after = [row.relayed - row.created for row in rows if row.created > back_wall]
    print(
        f"\noutage figures ({'PostgreSQL' if url.startswith('postgres') else 'SQLite'}):"
        f" writes during outage {len(written)}/{WRITES_DURING_OUTAGE} succeeded,"
        f" logins {logins}/{LOGINS_DURING_OUTAGE},"
        f" RESYNCs seen {sum(c == ['RESYNC'] for c in codes)}/2,"
        f" delivered after Redis returned: {len(set(got_one) & set(written))} on one,"
        f" {len(set(got_two) & set(written))} on two (repeats {len(got_one) - len(set(got_one))}"
        f" and {len(got_two) - len(set(got_two))}), all within {delivered:.2f}s of their release;"
        f" subscribers heard new writes {heard_again:.2f}s after Redis restarted;"
        f" fast-path relay latency (commit to relayed) before the outage median"
        f" {statistics.median(before) * 1000:.1f} ms over {len(before)} events, after it"
        f" {statistics.median(after) * 1000:.1f} ms over {len(after)}"
    )


class Cable:
    """A TCP proxy in front of the test's redis-server, for one instance only: ``cut()`` drops
    that instance's connections and refuses new ones (its Redis is gone, the other instance's
    is not), ``mend()`` lets it connect again. It runs its own event loop in a thread: the
    test's loop blocks while ``serve`` waits for a server to be ready."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(10)

    def mend(self) -> None:
        self._run(self._listen())

    def cut(self) -> None:
        self._run(self._cut())

    def close(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, up_writer))

        async def copy(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (OSError, asyncio.IncompleteReadError):
                pass
            finally:
                sink.transport.abort()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))


DEAF_WRITES = 10


async def test_one_deaf_instance_resyncs_and_catches_up(linli_settings, hood, tmp_path):
    """Two instances on one Redis; the first loses its connection (its own redis link cut,
    the other's intact). Its subscribers are told RESYNC, the other's are not; the events the
    other instance relays meanwhile reach the deaf instance's new subscribers once it hears
    Redis again (caught up from the outbox), each plugin acting on each event once."""
    redis = start_redis(tmp_path / "redis")
    cable = Cable(redis.port)
    cable.mend()
    url = linli_settings.database_url
    common = {"events_relay_interval_seconds": "0.2"}
    servers = [
        serve(url, tmp_path, "deaf", redis_url=cable.url, **common),
        serve(url, tmp_path, "hearing", redis_url=redis.url, **common),
    ]
    try:
        async with clients(servers, hood) as (staff, listeners):
            async with (
                live_subscription(listeners[0], staff, hood) as on_deaf,
                live_subscription(listeners[1], staff, hood) as on_hearing,
            ):
                cable.cut()
                assert await resynced(on_deaf) == ["RESYNC"]
                # The hearing instance's subscriber goes on hearing, and is not told to resync.
                sentinel = await post(staff, hood, "另一实例照常")
                assert sentinel in await receive_until(on_hearing, {sentinel}, within=15)
            async with listeners[0].subscribe(FOLLOW, {"c": hood.id}) as again:
                written = [await post(staff, hood, f"失聪期间 {n}") for n in range(DEAF_WRITES)]
                # Relayed by the hearing instance while the deaf one heard nothing.
                for _ in range(150):
                    rows = (await notice_events())[-DEAF_WRITES:]
                    if all(row.relayed is not None for row in rows):
                        break
                    await asyncio.sleep(0.1)
                assert all(row.relayed is not None for row in rows)
                mended = time.monotonic()
                cable.mend()
                got = await receive_until(again, set(written), within=30)
                caught_up = time.monotonic() - mended
    finally:
        for server in servers:
            stop_server(server)
        cable.close()
        redis.kill()
    assert set(written) <= set(got)
    counts = await heard_counts()
    assert {counts[row.event_id] for row in await notice_events()} == {1}
    print(
        f"\none deaf instance ({'PostgreSQL' if url.startswith('postgres') else 'SQLite'}):"
        f" {len(set(got) & set(written))}/{DEAF_WRITES} events relayed while it was deaf"
        f" delivered to its new subscriber {caught_up:.2f}s after its link came back"
        f" (repeats {len(got) - len(set(got))})"
    )
