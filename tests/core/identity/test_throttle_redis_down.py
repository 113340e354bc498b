"""The login throttle with Redis down (issue 8, finding 8): counters fall back to the database,
the outage is logged once, Redis is used again when it returns, and login works throughout.
The Redis is the test's own (started on a free port, killed, started again)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from linli.testing import TEST_PASSWORD, make_account
from linli.testing.redis_server import requires_redis_server, start_redis

LOGIN = """mutation($input: LoginInput!) { login(input: $input) {
  accessToken errors { code } } }"""

pytestmark = requires_redis_server


@pytest.fixture
def own_redis(tmp_path):
    server = start_redis(tmp_path / "redis")
    yield server
    server.kill()


@pytest.fixture
def linli_settings_overrides(own_redis):
    return {"redis_url": own_redis.url}


def throttle_keys(server, app) -> list[bytes]:
    import redis

    prefix = app.state.settings.redis_prefix
    return redis.Redis(port=server.port).keys(f"{prefix}:throttle:*")


def code_of(payload) -> str:
    return payload["errors"][0]["code"] if payload["errors"] else "ok"


def outage_lines(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "linli.identity.throttle" and r.levelno >= logging.WARNING
    ]


async def test_login_works_while_redis_is_down_and_counting_returns_to_redis(
    gql, own_redis, caplog, linli_app
):
    caplog.set_level(logging.INFO, logger="linli.identity.throttle")
    user = await make_account()
    other = await make_account()  # made now: the event bus (not this test's) needs Redis
    right = {"phone": user.phone, "password": TEST_PASSWORD}
    assert code_of(await gql.mutate(LOGIN, right)) == "ok"
    assert throttle_keys(own_redis, linli_app)  # counted in Redis while it is up

    own_redis.kill()
    for _ in range(3):
        assert code_of(await gql.mutate(LOGIN, right)) == "ok"
    (down,) = outage_lines(caplog)  # once per outage, not once per login
    assert "Redis unreachable" in down and "database" in down
    # Still throttled during the outage: the database counts.
    wrong = {"phone": other.phone, "password": "wrong pass"}
    codes = [code_of(await gql.mutate(LOGIN, wrong)) for _ in range(6)]
    assert codes == ["INVALID_CREDENTIALS"] * 5 + ["RATE_LIMITED"]
    assert code_of(await gql.mutate(LOGIN, {**wrong, "password": TEST_PASSWORD})) == (
        "RATE_LIMITED"
    )

    own_redis.start()  # empty: nothing was counted there during the outage
    await asyncio.sleep(2.2)  # the backend tries Redis again after 2 s
    assert code_of(await gql.mutate(LOGIN, right)) == "ok"
    assert throttle_keys(own_redis, linli_app), "counting did not return to Redis"
    lines = outage_lines(caplog)
    assert len(lines) == 2 and "answers again" in lines[1]
    for _ in range(2):
        assert code_of(await gql.mutate(LOGIN, right)) == "ok"
    assert len(outage_lines(caplog)) == 2
