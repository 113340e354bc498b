"""``linli serve --workers N``: refused without Redis (what each process would keep to itself);
with PostgreSQL and Redis, N processes on one port share events, sessions and limits."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from linli.testing import (
    TEST_PASSWORD,
    TEST_SECRET,
    requires_postgres_and_redis,
    start_server,
    stop_server,
)
from linli_client import LinliClient

POST = """mutation Post($input: PostNoticeInput!) {
  postNotice(input: $input) { notice { id title } errors { code } } }"""
FOLLOW = "subscription Follow($c: ID!) { noticePosted(communityId: $c) { id title } }"


def test_workers_without_redis_are_refused(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("LINLI_REDIS_URL", "LINLI_WORKERS")}
    env.update(
        LINLI_DATABASE_URL=f"sqlite://{tmp_path / 'db.sqlite3'}", LINLI_SECRET_KEY=TEST_SECRET
    )
    done = subprocess.run(
        [sys.executable, "-m", "linli.core.cli", "serve", "--workers", "2", "--no-migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    said = " ".join((done.stdout + done.stderr).split())
    assert "needs LINLI_REDIS_URL" in said
    assert "events" in said and "actor-cache eviction" in said and "rate limit" in said


def worker_processes(pid: int) -> int:
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid and b"spawn_main" in cmdline:
            count += 1
    return count


async def heard_across(writer: LinliClient, listener: LinliClient, community: str) -> None:
    async with listener.subscribe(FOLLOW, {"c": community}) as events:
        heard = asyncio.ensure_future(anext(events))
        posted = set()
        for attempt in range(40):
            notice = {"communityId": community, "title": f"通知 {attempt}", "body": "内容"}
            payload = await writer.mutate(POST, {"input": notice})
            posted.add(payload["notice"]["id"])
            done, _ = await asyncio.wait({heard}, timeout=0.25)
            if done:
                break
        assert (await asyncio.wait_for(heard, 10))["noticePosted"]["id"] in posted


@requires_postgres_and_redis
async def test_two_workers_share_events_and_sessions(linli_settings: Any, hood, tmp_path) -> None:
    server = start_server(
        linli_settings.database_url, tmp_path / "server.log", env={"LINLI_WORKERS": "2"},
        timeout=120,
    )  # fmt: skip
    try:
        deadline = asyncio.get_running_loop().time() + 30
        while worker_processes(server.process.pid) < 2:
            assert asyncio.get_running_loop().time() < deadline, server.log()
            await asyncio.sleep(0.2)
        # Each client is its own connection: the kernel spreads them over the two processes,
        # so some subscriptions hear writes made in the other process (through Redis).
        staff = LinliClient(server.url)
        await staff.login(hood.staff.phone, TEST_PASSWORD)
        for _ in range(4):
            listener = LinliClient(server.url)
            await listener.login(hood.resident.phone, TEST_PASSWORD)
            async with listener:
                await heard_across(staff, listener, hood.id)
        await staff.aclose()
    finally:
        stop_server(server)
