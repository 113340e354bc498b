"""The response cache on booking's hot read (core/response_cache.py): a repeated ``slots`` read
is replayed to the same caller, and never once a write could have changed it, nor to anyone
else. The TTL is an hour here, so only invalidation can make an answer fresh: a test that
passed because an entry expired would prove nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from booking_helpers import BOOK, CANCEL, gid

from linli.testing import make_account, make_community

TOMORROW_10 = dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
SLOTS = """query S($st: ID!, $date: Date!) {
  slots(serviceTypeId: $st, date: $date) { id booked remaining } }"""
WITH_ME = """query S($st: ID!, $date: Date!) {
  me { account { phone } } slots(serviceTypeId: $st, date: $date) { id booked remaining } }"""
LOGOUT = "mutation { logout { ok errors { code } } }"


@pytest.fixture
def linli_settings_overrides():
    return {"response_cache_seconds": 3600.0}


def cache_of(gql):
    return gql.app.state.response_cache


async def read(gql, token, world, query=SLOTS):
    variables = {"st": gid("BookingServiceType", world.service.pk), "date": "2026-03-03"}
    return await gql.execute(query, variables, token=token)


async def book(gql, token, slot):
    return await gql.mutate(BOOK, {"slotId": gid("BookingSlot", slot.pk)}, token=token)


async def test_a_repeated_read_is_replayed_to_the_same_caller(gql, world):
    await world.slot(TOMORROW_10, capacity=3)
    alice = await world.resident()
    cache = cache_of(gql)
    first = await read(gql, alice.token, world)
    hits = cache.hits
    second = await read(gql, alice.token, world)
    assert cache.hits == hits + 1
    assert second.data == first.data and first.data["slots"][0]["remaining"] == 3


async def test_another_residents_booking_is_seen_at_once(gql, world):
    slot = await world.slot(TOMORROW_10, capacity=3)
    alice, bob = await world.resident(), await world.resident()
    await read(gql, alice.token, world)
    await read(gql, alice.token, world)
    assert (await book(gql, bob.token, slot))["errors"] == []
    after = await read(gql, alice.token, world)
    assert after.data["slots"][0]["booked"] == 1 and after.data["slots"][0]["remaining"] == 2


async def test_the_writers_own_next_read_is_fresh(gql, world):
    slot = await world.slot(TOMORROW_10, capacity=3)
    alice = await world.resident()
    await read(gql, alice.token, world)
    booked = await book(gql, alice.token, slot)
    assert (await read(gql, alice.token, world)).data["slots"][0]["booked"] == 1
    cancelled = await gql.mutate(
        CANCEL, {"appointmentId": booked["appointment"]["id"]}, token=alice.token
    )
    assert cancelled["errors"] == []
    assert (await read(gql, alice.token, world)).data["slots"][0]["booked"] == 0


async def test_a_row_written_through_the_orm_empties_the_cache(gql, world):
    await world.slot(TOMORROW_10, capacity=3)
    alice = await world.resident()
    await read(gql, alice.token, world)
    await world.slot(TOMORROW_10 + dt.timedelta(hours=1), capacity=2)  # no event, no mutation
    assert len((await read(gql, alice.token, world)).data["slots"]) == 2


async def test_an_answer_is_never_replayed_to_another_caller(gql, world):
    """The same bytes from a resident of another community, from anonymous and from a
    resident of the same community: each gets their own answer, never the first one's."""
    await world.slot(TOMORROW_10, capacity=3)
    alice = await world.resident()
    elsewhere = await make_account("resident", await make_community("法华镇路社区"))
    await read(gql, alice.token, world)
    await read(gql, alice.token, world)
    assert (await read(gql, elsewhere.token, world)).codes == ["NOT_FOUND"]
    assert (await read(gql, elsewhere.token, world)).codes == ["NOT_FOUND"]  # errors never kept
    assert (await read(gql, None, world)).codes == ["UNAUTHENTICATED"]
    neighbour = await world.resident()
    hits = cache_of(gql).hits
    assert (await read(gql, neighbour.token, world)).data["slots"][0]["remaining"] == 3
    assert cache_of(gql).hits == hits  # computed for the neighbour, not replayed


async def test_a_logged_out_token_is_not_answered_from_the_cache(gql, world):
    await world.slot(TOMORROW_10, capacity=3)
    alice = await world.resident()
    await read(gql, alice.token, world)
    await read(gql, alice.token, world)
    assert (await gql.mutate(LOGOUT, token=alice.token))["ok"] is True
    assert (await read(gql, alice.token, world)).codes == ["UNAUTHENTICATED"]


async def test_an_operation_with_a_field_not_declared_pure_is_not_kept(gql, world):
    await world.slot(TOMORROW_10, capacity=3)
    alice = await world.resident()
    cache = cache_of(gql)
    hits = cache.hits
    for _ in range(3):
        assert (await read(gql, alice.token, world, WITH_ME)).errors is None
    assert cache.hits == hits and len(cache) == 0


async def test_a_cached_read_still_counts_against_the_rate_limit(linli_settings, world, clock):
    from linli.core.app import create_app
    from linli.testing import GraphQLClient

    limits = linli_settings.limits.model_copy(update={"requests_per_minute": 3})
    settings = linli_settings.model_copy(update={"limits": limits})
    await world.slot(TOMORROW_10, capacity=3)
    alice = await world.resident()
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        client = GraphQLClient(app)
        codes = [(await read(client, alice.token, world)).codes for _ in range(5)]
        await client.aclose()
    assert codes[:3] == [[], [], []] and codes[3:] == [["RATE_LIMITED"]] * 2
