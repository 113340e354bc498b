"""linli.testing as plugin authors use it: a subscription is in place when ``subscribe``
returns (the server's resolver has subscribed to the bus), periodic tasks run now on the
frozen clock, and a fresh token after moving the clock past a token's lifetime."""

from __future__ import annotations

import pytest

from linli import Manifest, hookimpl
from linli.core import runtime
from linli.core.tasks import PeriodicTask
from linli.testing import make_account, run_periodic_task

SUBSCRIBE = "subscription { probeEvents { topic text } }"
SAY = "mutation($input: ProbeSayInput!) { probeSay(input: $input) { ok } }"


class Timed:
    """A plugin with a periodic task that records the clock it ran at."""

    def __init__(self) -> None:
        self.ran_at: list = []

    @hookimpl
    def plugin_manifest(self) -> Manifest:
        return Manifest(name="timed", version="1.0")

    @hookimpl
    def register_periodic_tasks(self) -> list[PeriodicTask]:
        async def expire() -> str:
            self.ran_at.append(runtime.current().clock.now())
            return "expired"

        return [PeriodicTask("timed-expire", 3600, expire)]


@pytest.fixture
def linli_extra_plugins():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from plugins_for_tests import probe

    probe.reset()
    return {"probe": probe, "timed": Timed()}


async def test_subscribe_returns_once_the_subscription_is_on_the_bus(gql, linli_app):
    hub = linli_app.state.runtime.bus.hub
    async with gql.websocket() as ws:
        before = hub.subscriber_count
        op = await ws.subscribe(SUBSCRIBE)
        # The server's signal, not a sleep: its resolver has subscribed to the bus.
        assert hub.subscriber_count == before + 1
        await gql.query(SAY, {"input": {"text": "once"}})  # one publish, no retry loop
        message = await ws.next(op)
    assert message["payload"]["data"]["probeEvents"]["text"] == "once"


async def test_subscribe_returns_when_the_server_refuses_the_subscription(gql):
    async with gql.websocket() as ws:
        op = await ws.subscribe("subscription { noSuchField }")
        message = await ws.next(op)
    assert message["type"] == "error"


async def test_run_periodic_task_runs_it_now_on_the_frozen_clock(linli_app, clock):
    timed = linli_app.state.plugins.module("timed")
    clock.advance(hours=5)
    assert await run_periodic_task("timed-expire") == "expired"
    assert timed.ran_at == [clock.now()]
    with pytest.raises(LookupError, match="no periodic task 'nope'; the enabled plugins have"):
        await run_periodic_task("nope")


async def test_fresh_token_after_moving_the_clock_past_the_tokens_lifetime(gql, clock):
    me = "{ me { account { phone } } }"
    made = await make_account()
    old = made.token
    clock.advance(hours=1)
    assert (await gql.execute(me, token=old)).codes == ["UNAUTHENTICATED"]
    fresh = await made.fresh_token()
    assert fresh == made.token != old
    assert (await gql.execute(me, token=made.token)).errors is None
