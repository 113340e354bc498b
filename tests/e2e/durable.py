"""Helpers for the crash and outage tests: servers with the ``heard`` plugin installed by entry
point (its ``on_event`` writes to the audit log, so this process counts what each server's
plugins acted on), a subscription known to be live, and the outbox as the servers left it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from linli.core.models import AuditEntry, OutboxEvent
from linli.core.settings import EventSettings
from linli.testing import TEST_PASSWORD, LiveServer, start_server
from linli_client import LinliClient

TESTS_CORE = Path(__file__).resolve().parent.parent / "core"
sys.path.insert(0, str(TESTS_CORE))
from plugins_for_tests import fake_distribution, heard  # noqa: E402

POST = """
mutation Post($input: PostNoticeInput!) {
  postNotice(input: $input) { notice { id title } errors { code field message } }
}"""
FOLLOW = "subscription Follow($c: ID!) { noticePosted(communityId: $c) { id title } }"

# The test process's own app only reads the database: it never relays (the servers do).
IN_PROCESS = {"events": EventSettings(hold_relay=True)}


def serve(database_url: str, tmp_path: Path, name: str, **settings: str) -> LiveServer:
    """``linli serve`` with the ``heard`` plugin and ``LINLI_<KEY>=value`` for each setting."""
    site = fake_distribution(
        tmp_path / "site", "linli_test_heard", {"heard": "plugins_for_tests.heard"}
    )
    paths = [str(TESTS_CORE), str(site), os.environ.get("PYTHONPATH", "")]
    env = {"PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    env.update({f"LINLI_{key.upper()}": value for key, value in settings.items()})
    return start_server(database_url, tmp_path / f"{name}.log", env=env)


async def logged_in(server: LiveServer, account: Any) -> LinliClient:
    client = LinliClient(server.url)
    await client.login(account.phone, TEST_PASSWORD)
    return client


async def post(writer: LinliClient, hood: Any, title: str) -> str:
    """Post a notice; its id. Fails the test if the write was refused."""
    payload = await writer.mutate(
        POST, {"input": {"communityId": hood.id, "title": title, "body": "停水通知"}}
    )
    assert payload["errors"] == [] and payload["notice"]["title"] == title
    return payload["notice"]["id"]


@contextlib.asynccontextmanager
async def live_subscription(
    listener: LinliClient, writer: LinliClient, hood: Any
) -> AsyncIterator[Any]:
    """A noticePosted subscription the server has registered (see :func:`until_heard`)."""
    async with listener.subscribe(FOLLOW, {"c": hood.id}) as events:
        await until_heard([events], writer, hood)
        yield events


async def until_heard(subscriptions: list[Any], writer: LinliClient, hood: Any) -> None:
    """Post sentinel notices until each subscription has received one of them: then the
    server has registered it (graphql-transport-ws does not acknowledge a subscribe). Other
    events received meanwhile are skipped."""
    posted: set[str] = set()
    waiting = {n: asyncio.ensure_future(anext(sub)) for n, sub in enumerate(subscriptions)}
    for attempt in range(40):
        posted.add(await post(writer, hood, f"哨兵 {attempt}"))
        await asyncio.wait(waiting.values(), timeout=0.25)
        for n, future in list(waiting.items()):
            if not future.done():
                continue
            if future.result()["noticePosted"]["id"] in posted:
                del waiting[n]
            else:
                waiting[n] = asyncio.ensure_future(anext(subscriptions[n]))
        if not waiting:
            return
    for future in waiting.values():
        future.cancel()
    raise AssertionError("a subscription never received a sentinel")


async def receive_until(events: Any, wanted: set[str], within: float) -> list[str]:
    """Notice ids received (in order, repeats included) until every one of ``wanted`` came."""
    got: list[str] = []

    async def collect() -> None:
        while not wanted <= set(got):
            got.append((await anext(events))["noticePosted"]["id"])

    await asyncio.wait_for(collect(), within)
    return got


async def heard_counts() -> Counter[str]:
    """How many times the servers' ``heard`` plugin acted on each event id."""
    ids = await AuditEntry.filter(action=heard.ACTION).values_list("object_id", flat=True)
    return Counter(ids)


async def notice_events() -> list[OutboxEvent]:
    return await OutboxEvent.filter(topic__startswith="notices.posted").order_by("id")
