"""One-time codes allow 5 tries each (the per-phone throttle raised out of the way here)."""

from __future__ import annotations

import pytest

from linli.core.settings import Limits
from linli.testing import login_codes, make_account

REQUEST = """mutation($input: RequestLoginCodeInput!) { requestLoginCode(input: $input) {
  ok errors { code } } }"""
LOGIN = """mutation($input: LoginWithCodeInput!) { loginWithCode(input: $input) {
  accessToken errors { code } } }"""


@pytest.fixture
def linli_settings_overrides():
    return {"limits": Limits(login_attempts_per_phone=100)}


async def test_a_code_dies_after_5_wrong_tries(gql):
    user = await make_account()
    await gql.mutate(REQUEST, {"phone": user.phone})
    (code,) = login_codes(user.phone)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        bad = await gql.mutate(LOGIN, {"phone": user.phone, "code": wrong})
        assert bad["errors"][0]["code"] == "INVALID_CODE"
    late = await gql.mutate(LOGIN, {"phone": user.phone, "code": code})
    assert late == {"accessToken": None, "errors": [{"code": "INVALID_CODE"}]}


async def test_a_new_code_replaces_the_old(gql):
    user = await make_account()
    await gql.mutate(REQUEST, {"phone": user.phone})
    await gql.mutate(REQUEST, {"phone": user.phone})
    first, second = login_codes(user.phone)
    if first != second:
        old = await gql.mutate(LOGIN, {"phone": user.phone, "code": first})
        assert old["errors"][0]["code"] == "INVALID_CODE"
    ok = await gql.mutate(LOGIN, {"phone": user.phone, "code": second})
    assert ok["errors"] == []
