"""The actor cache: a warm cache never outlives what it caches. Logout, refresh-token reuse,
a password change, a role given or taken, a deactivated account: the very next request sees
it. Across instances the eviction travels as an event on the bus (RedisBus: through Redis)."""

from __future__ import annotations

import asyncio

import pytest

from linli.core import events
from linli.core.identity import actor_cache, sessions
from linli.core.identity.models import Account
from linli.testing import TEST_PASSWORD, global_id, make_account, make_community, redis_url

ME = "{ me { account { phone } } }"
LOGOUT = "mutation { logout { ok errors { code } } }"
LOGIN = """mutation($input: LoginInput!) { login(input: $input) {
  accessToken refreshToken errors { code } } }"""
REFRESH = """mutation($input: RefreshTokenInput!) { refreshToken(input: $input) {
  accessToken refreshToken errors { code } } }"""
CHANGE = """mutation($input: ChangePasswordInput!) { changePassword(input: $input) {
  ok errors { code field } } }"""
SET_ROLE = """mutation($input: SetRoleInput!) { setRole(input: $input) {
  membership { role } errors { code } } }"""


@pytest.fixture
def loads(monkeypatch):
    """Counts the actors built from the database (cache misses)."""
    calls: list[int] = []
    original = sessions.load_actor

    async def counting(account_id, session=None):
        calls.append(account_id)
        return await original(account_id, session)

    monkeypatch.setattr(sessions, "load_actor", counting)
    return calls


async def warm(gql, token):
    assert (await gql.execute(ME, token=token)).errors is None
    assert (await gql.execute(ME, token=token)).errors is None


async def test_a_token_is_authenticated_from_the_cache(gql, loads):
    user = await make_account()
    for _ in range(3):
        assert (await gql.execute(ME, token=user.token)).errors is None
    assert loads == [user.id]
    assert len(actor_cache.current()) == 1


async def test_logout_with_a_warm_cache_is_at_once(gql, loads):
    user = await make_account()
    await warm(gql, user.token)
    assert (await gql.mutate(LOGOUT, token=user.token))["ok"] is True
    assert (await gql.execute(ME, token=user.token)).codes == ["UNAUTHENTICATED"]


async def test_refresh_token_reuse_with_a_warm_cache_ends_the_session(gql, clock):
    user = await make_account()
    first = await gql.mutate(REFRESH, {"refreshToken": user.refresh_token})
    await warm(gql, first["accessToken"])
    await warm(gql, user.token)
    replay = await gql.mutate(REFRESH, {"refreshToken": user.refresh_token})
    assert replay["errors"][0]["code"] == "INVALID_TOKEN"
    assert (await gql.execute(ME, token=first["accessToken"])).codes == ["UNAUTHENTICATED"]
    assert (await gql.execute(ME, token=user.token)).codes == ["UNAUTHENTICATED"]


async def test_password_change_with_a_warm_cache_ends_other_sessions(gql):
    user = await make_account()
    other = await gql.mutate(LOGIN, {"phone": user.phone, "password": TEST_PASSWORD})
    await warm(gql, other["accessToken"])
    changed = await gql.mutate(
        CHANGE,
        {"currentPassword": TEST_PASSWORD, "newPassword": "a new password"},
        token=user.token,
    )
    assert changed == {"ok": True, "errors": []}
    assert (await gql.execute(ME, token=user.token)).errors is None
    assert (await gql.execute(ME, token=other["accessToken"])).codes == ["UNAUTHENTICATED"]


async def test_a_role_given_or_taken_counts_on_the_next_request(gql):
    community = await make_community()
    admin = await make_account(admin=True)
    user = await make_account("resident", community)
    target = await make_account("resident", community)

    def role_input(account, role="VOLUNTEER", granted=True):
        return {
            "accountId": global_id("Account", account.id),
            "communityId": global_id("Community", community.pk),
            "role": role,
            "granted": granted,
        }

    # A resident may not give roles: refused, and the actor that says so is now cached.
    refused = await gql.mutate(SET_ROLE, role_input(target), token=user.token)
    assert refused["errors"] == [{"code": "FORBIDDEN"}]
    made_staff = await gql.mutate(SET_ROLE, role_input(user, "STAFF"), token=admin.token)
    assert made_staff["errors"] == []
    given = await gql.mutate(SET_ROLE, role_input(target), token=user.token)
    assert given == {"membership": {"role": "VOLUNTEER"}, "errors": []}
    taken = await gql.mutate(SET_ROLE, role_input(user, "STAFF", granted=False), token=admin.token)
    assert taken["errors"] == []
    again = await gql.mutate(SET_ROLE, role_input(target, granted=False), token=user.token)
    assert again["errors"] == [{"code": "FORBIDDEN"}]


async def test_a_deactivated_account_is_refused_at_once(gql):
    user = await make_account()
    await warm(gql, user.token)
    account = await Account.get(pk=user.id)
    account.is_active = False
    await account.save()  # any code path saving the account evicts it (a model signal)
    assert (await gql.execute(ME, token=user.token)).codes == ["UNAUTHENTICATED"]


async def test_a_change_announced_on_the_bus_evicts(gql, loads):
    user = await make_account()
    await warm(gql, user.token)
    # What another instance's logout sends: this instance hears it through its bus.
    await events.dispatch(events.Event(topic=actor_cache.TOPIC, payload={"account": user.id}))
    # (On RedisBus the echo from Redis may evict once more later: only the next request counts.)
    assert (await gql.execute(ME, token=user.token)).errors is None
    assert loads == [user.id, user.id]


# ---------------------------------------------------------------- the cache on its own


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def loader(answers):
    async def load():
        answers.append("loaded")
        return sessions.Actor(account_id=1, session_id="s")

    return load


async def test_entries_expire_after_the_ttl():
    clock, answers = Clock(), []
    cache = actor_cache.ActorCache(30, clock=clock)
    await cache.get(1, "s", loader(answers))
    clock.now = 29.9
    await cache.get(1, "s", loader(answers))
    clock.now = 30.0
    await cache.get(1, "s", loader(answers))
    assert answers == ["loaded", "loaded"]


async def test_a_load_overtaken_by_an_eviction_is_not_stored():
    cache = actor_cache.ActorCache(30)
    started, release = asyncio.Event(), asyncio.Event()

    async def slow_load():
        started.set()
        await release.wait()  # meanwhile the change commits and is announced
        return sessions.Actor(account_id=1, session_id="s")

    loading = asyncio.create_task(cache.get(1, "s", slow_load))
    await started.wait()
    cache.evict_account(1)
    release.set()
    assert (await loading).account_id == 1
    assert len(cache) == 0


async def test_nothing_is_cached_for_a_refused_token_or_with_a_zero_ttl():
    cache = actor_cache.ActorCache(30)

    async def gone():
        return None

    assert await cache.get(1, "s", gone) is None
    assert len(cache) == 0
    off = actor_cache.ActorCache(0)
    await off.get(1, "s", loader([]))
    assert len(off) == 0


async def test_the_cache_is_bounded():
    cache = actor_cache.ActorCache(30, max_entries=3)
    for account in range(10):
        await cache.get(account, "s", loader([]))
    assert len(cache) == 3


async def test_a_bus_reset_empties_the_cache():
    bus = events.LocalBus()
    cache = actor_cache.ActorCache(30, bus=bus)
    await cache.get(1, "s", loader([]))
    bus.hub.notify(events.Event(topic=events.BUS_RESET, payload={}))
    assert len(cache) == 0
    cache.close()


@pytest.mark.skipif(not redis_url(), reason="needs LINLI_TEST_REDIS_URL")
async def test_an_eviction_reaches_every_instance_through_redis():
    one, two = events.RedisBus(redis_url()), events.RedisBus(redis_url())
    await one.start()
    await two.start()
    here, there = actor_cache.ActorCache(30, bus=one), actor_cache.ActorCache(30, bus=two)
    try:
        for cache in (here, there):
            await cache.get(7, "s", loader([]))
            await cache.get(8, "s", loader([]))
        await one.send(events.Event(topic=actor_cache.TOPIC, payload={"account": 7}))
        assert len(here) == 1  # the sender's own cache at once
        for _ in range(200):
            if len(there) == 1:
                break
            await asyncio.sleep(0.01)
        assert len(there) == 1 and (8, "s") in there._entries
    finally:
        here.close()
        there.close()
        await one.stop()
        await two.stop()
