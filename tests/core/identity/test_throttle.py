"""Throttling of login and code attempts per phone and per IP, counted per GraphQL operation:
aliases and batches cannot multiply tries."""

from __future__ import annotations

import json

import pytest

from linli.core.settings import Limits
from linli.testing import TEST_PASSWORD, make_account


@pytest.fixture
def linli_settings_overrides():
    return {"limits": Limits(login_attempts_per_ip=12)}


LOGIN = """mutation($input: LoginInput!) { login(input: $input) {
  accessToken errors { code field message } } }"""


def aliased_logins(phone: str, password: str, n: int) -> str:
    fields = "\n".join(
        f'a{i}: login(input: {{phone: "{phone}", password: "{password}"}}) '
        "{ accessToken errors { code } }"
        for i in range(n)
    )
    return f"mutation {{ {fields} }}"


async def test_five_attempts_per_phone_then_refused_even_with_the_right_password(gql, clock):
    user = await make_account()
    for _ in range(5):
        bad = await gql.mutate(LOGIN, {"phone": user.phone, "password": "wrong password"})
        assert bad["errors"][0]["code"] == "INVALID_CREDENTIALS"
    refused = await gql.mutate(LOGIN, {"phone": user.phone, "password": TEST_PASSWORD}, locale="en")
    assert refused["errors"][0]["code"] == "RATE_LIMITED"
    assert refused["accessToken"] is None
    assert "seconds" in refused["errors"][0]["message"]
    clock.advance(minutes=15)  # the next window
    ok = await gql.mutate(LOGIN, {"phone": user.phone, "password": TEST_PASSWORD})
    assert ok["errors"] == []


async def test_aliases_get_one_try_per_operation(gql):
    user = await make_account()
    result = await gql.execute(aliased_logins(user.phone, "wrong password", 20))
    codes = [payload["errors"][0]["code"] for payload in result.data.values()]
    assert codes.count("INVALID_CREDENTIALS") == 1
    assert codes.count("RATE_LIMITED") == 19
    # The one real try counted: four more operations reach the limit.
    for _ in range(4):
        await gql.mutate(LOGIN, {"phone": user.phone, "password": "wrong password"})
    refused = await gql.mutate(LOGIN, {"phone": user.phone, "password": TEST_PASSWORD})
    assert refused["errors"][0]["code"] == "RATE_LIMITED"


async def test_a_right_password_among_aliases_does_not_get_through(gql):
    user = await make_account()
    query = aliased_logins(user.phone, "wrong password", 5).replace(
        f'a4: login(input: {{phone: "{user.phone}", password: "wrong password"}})',
        f'a4: login(input: {{phone: "{user.phone}", password: "{TEST_PASSWORD}"}})',
    )
    result = await gql.execute(query)
    assert result.data["a4"]["errors"][0]["code"] == "RATE_LIMITED"
    assert all(p["accessToken"] is None for p in result.data.values())


async def test_batches_share_one_try(gql):
    user = await make_account()
    operation = {
        "query": LOGIN,
        "variables": {"input": {"phone": user.phone, "password": "wrong password"}},
    }
    response = await gql.post_raw(json.dumps([operation] * 8))
    assert response.status_code == 200
    codes = [item["data"]["login"]["errors"][0]["code"] for item in response.json()]
    assert codes.count("INVALID_CREDENTIALS") == 1
    assert codes.count("RATE_LIMITED") == 7
    # Batches of aliases: still one try per HTTP request.
    aliased = {"query": aliased_logins(user.phone, "wrong password", 5)}
    response = await gql.post_raw(json.dumps([aliased] * 3))
    codes = [p["errors"][0]["code"] for item in response.json() for p in item["data"].values()]
    assert codes.count("INVALID_CREDENTIALS") == 1


async def test_code_requests_are_throttled_per_phone(gql):
    user = await make_account()
    query = """mutation($input: RequestLoginCodeInput!) { requestLoginCode(input: $input) {
      ok errors { code } } }"""
    for _ in range(3):
        assert (await gql.mutate(query, {"phone": user.phone}))["ok"] is True
    refused = await gql.mutate(query, {"phone": user.phone})
    assert refused["errors"][0]["code"] == "RATE_LIMITED"


async def test_per_ip_limit_spans_phones(gql, linli_app):
    settings = linli_app.state.settings
    limit = settings.limits.login_attempts_per_ip
    refused = 0
    for i in range(limit + 2):
        payload = await gql.mutate(LOGIN, {"phone": f"+861370000{i:04d}", "password": "x" * 8})
        refused += payload["errors"][0]["code"] == "RATE_LIMITED"
    assert refused == 2
