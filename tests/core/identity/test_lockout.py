"""Targeted lockout (issue 8, finding 7): wrong passwords typed for someone else's phone must not
lock its owner out. A client is locked out of one phone after five wrong passwords; other
clients are not; a botnet reaching the phone's ceiling closes the password path only, and the
owner logs in with a one-time code."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from linli.core.settings import Limits
from linli.testing import TEST_PASSWORD, login_codes, make_account

LOGIN = """mutation($input: LoginInput!) { login(input: $input) {
  accessToken errors { code } } }"""
REQUEST_CODE = """mutation($input: RequestLoginCodeInput!) { requestLoginCode(input: $input) {
  ok errors { code } } }"""
CODE_LOGIN = """mutation($input: LoginWithCodeInput!) { loginWithCode(input: $input) {
  accessToken errors { code } } }"""


@pytest.fixture
def linli_settings_overrides():
    return {"limits": Limits(login_attempts_per_phone_all_clients=12)}


@pytest.fixture
async def client_at(linli_app) -> AsyncIterator[Callable[[str], Any]]:
    """``client_at(ip)``: a function posting one mutation as a client at that address."""
    clients: dict[str, httpx.AsyncClient] = {}

    async def post(ip: str, query: str, input: dict[str, Any]) -> dict[str, Any]:
        if ip not in clients:
            transport = httpx.ASGITransport(app=linli_app, client=(ip, 40000))
            clients[ip] = httpx.AsyncClient(transport=transport, base_url="http://linli.test")
        response = await clients[ip].post(
            "/graphql", json={"query": query, "variables": {"input": input}}
        )
        (payload,) = response.json()["data"].values()
        return payload

    yield post
    for client in clients.values():
        await client.aclose()


def code_of(payload: dict[str, Any]) -> str:
    return payload["errors"][0]["code"] if payload["errors"] else "ok"


async def test_wrong_passwords_from_one_client_do_not_lock_the_owner_out(client_at):
    owner = await make_account()
    attacker, home = "203.0.113.7", "198.51.100.20"
    for _ in range(5):
        wrong = await client_at(attacker, LOGIN, {"phone": owner.phone, "password": "wrong pass"})
        assert code_of(wrong) == "INVALID_CREDENTIALS"
    # The attacker's client is locked out of this phone, even with the right password ...
    right = {"phone": owner.phone, "password": TEST_PASSWORD}
    assert code_of(await client_at(attacker, LOGIN, right)) == "RATE_LIMITED"
    # ... the owner, on their own client, is not.
    ok = await client_at(home, LOGIN, right)
    assert code_of(ok) == "ok" and ok["accessToken"]


async def test_many_clients_reach_the_ceiling_and_the_code_path_stays_open(client_at, linli_app):
    owner = await make_account()
    ceiling = linli_app.state.settings.limits.login_attempts_per_phone_all_clients
    wrong = {"phone": owner.phone, "password": "wrong pass"}
    codes = [code_of(await client_at(f"203.0.113.{i // 4}", LOGIN, wrong)) for i in range(16)]
    # Four tries from each of four addresses: the twelve first are tried, the rest refused.
    assert codes == ["INVALID_CREDENTIALS"] * ceiling + ["RATE_LIMITED"] * (16 - ceiling)
    right = {"phone": owner.phone, "password": TEST_PASSWORD}
    assert code_of(await client_at("198.51.100.20", LOGIN, right)) == "RATE_LIMITED"
    # The one-time-code path counts apart: the owner logs in with a code.
    assert code_of(await client_at("198.51.100.20", REQUEST_CODE, {"phone": owner.phone})) == "ok"
    (code,) = login_codes(owner.phone)[-1:]
    ok = await client_at("198.51.100.20", CODE_LOGIN, {"phone": owner.phone, "code": code})
    assert code_of(ok) == "ok" and ok["accessToken"]


async def test_a_locked_out_client_does_not_move_the_phones_ceiling(client_at, linli_app):
    """Refused tries of one client are not counted against the phone: one address cannot
    close the password path for everyone, however long it keeps trying."""
    owner = await make_account()
    ceiling = linli_app.state.settings.limits.login_attempts_per_phone_all_clients
    for _ in range(ceiling * 2):
        await client_at("203.0.113.9", LOGIN, {"phone": owner.phone, "password": "wrong pass"})
    right = {"phone": owner.phone, "password": TEST_PASSWORD}
    assert code_of(await client_at("198.51.100.20", LOGIN, right)) == "ok"


async def test_success_clears_only_its_own_clients_count(client_at, clock):
    owner = await make_account()
    wrong = {"phone": owner.phone, "password": "wrong pass"}
    right = {"phone": owner.phone, "password": TEST_PASSWORD}
    for _ in range(4):
        await client_at("203.0.113.5", LOGIN, wrong)
    for _ in range(2):
        await client_at("198.51.100.20", LOGIN, wrong)
    assert code_of(await client_at("198.51.100.20", LOGIN, right)) == "ok"
    # The owner's success reset the owner's count, not the other client's.
    for _ in range(4):
        assert code_of(await client_at("198.51.100.20", LOGIN, wrong)) == "INVALID_CREDENTIALS"
    assert code_of(await client_at("203.0.113.5", LOGIN, wrong)) == "INVALID_CREDENTIALS"
    assert code_of(await client_at("203.0.113.5", LOGIN, right)) == "RATE_LIMITED"
    clock.advance(minutes=15)  # the next window
    assert code_of(await client_at("203.0.113.5", LOGIN, right)) == "ok"
