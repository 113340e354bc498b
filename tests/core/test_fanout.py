"""Shared subscriptions (core/graphql/fanout.py): the subscribers asking the same thing share
one execution of each event, and none ever gets a result computed for another visibility
(another community, another person, staff for a resident) — with the ``tally`` test plugin,
whose subscription follows one topic for every community."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

import pytest
from httpx_ws import WebSocketDisconnect

from linli.core.graphql import fanout
from linli.testing import global_id, make_account, make_community

sys.path.insert(0, str(Path(__file__).parent))  # tests/core: the plugins_for_tests package
from plugins_for_tests import tally

TALLY = "subscription($c: ID!) { tally(communityId: $c) { value community staffNote } }"
VIEWER = "subscription($c: ID!) { tally(communityId: $c) { value viewer } }"
LOGOUT = "mutation { logout { ok errors { code } } }"
SET_ROLE = """mutation($input: SetRoleInput!) { setRole(input: $input) {
  membership { role } errors { code } } }"""


@pytest.fixture
def linli_extra_plugins():
    return {"tally": tally}


def counts() -> dict[str, int]:
    return dict(fanout.stats)


def since(before: dict[str, int]) -> dict[str, int]:
    return {name: fanout.stats[name] - before[name] for name in before}


@contextlib.asynccontextmanager
async def subscribed(gql, accounts, query, community_of):
    """A socket per account, each subscribed to ``query`` for ``community_of(account)``."""
    async with contextlib.AsyncExitStack() as stack:
        pairs = []
        for account in accounts:
            ws = await stack.enter_async_context(gql.websocket(account.token))
            variables = {"c": global_id("Community", community_of(account).pk)}
            pairs.append((ws, await ws.subscribe(query, variables)))
        yield pairs


async def heard(pairs) -> list[dict]:
    messages = [await ws.next(op) for ws, op in pairs]
    assert all(m["type"] == "next" for m in messages), messages
    return [m["payload"] for m in messages]


async def test_one_execution_for_the_subscribers_asking_the_same(gql):
    community = await make_community()
    residents = [await make_account("resident", community) for _ in range(5)]
    before = counts()
    async with subscribed(gql, residents, TALLY, lambda _: community) as pairs:
        await tally.count(7)
        answers = await heard(pairs)
    expected = {"data": {"tally": {"value": 7, "community": community.pk, "staffNote": None}}}
    assert answers == [expected] * 5
    assert since(before) == {"executions": 1, "frames": 5, "personal": 0}


async def test_staff_and_residents_each_get_their_own_view(gql):
    community = await make_community()
    residents = [await make_account("resident", community) for _ in range(2)]
    staff = [await make_account("staff", community) for _ in range(2)]
    before = counts()
    async with subscribed(gql, residents + staff, TALLY, lambda _: community) as pairs:
        await tally.count(1)
        answers = [a["data"]["tally"]["staffNote"] for a in await heard(pairs)]
    note = f"note for staff of {community.pk}"
    assert answers == [None, None, note, note]
    assert since(before) == {"executions": 2, "frames": 4, "personal": 0}  # one per visibility


async def test_two_communities_on_one_topic_never_see_each_other(gql):
    east, west = await make_community(), await make_community()
    accounts = [await make_account("resident", c) for c in (east, west, east, west)]
    home = {a.account.id: c for a, c in zip(accounts, (east, west, east, west), strict=True)}
    before = counts()
    async with subscribed(gql, accounts, TALLY, lambda a: home[a.account.id]) as pairs:
        await tally.count(3)
        answers = [a["data"]["tally"]["community"] for a in await heard(pairs)]
    assert answers == [east.pk, west.pk, east.pk, west.pk]
    assert since(before) == {"executions": 2, "frames": 4, "personal": 0}


async def test_a_community_one_is_not_in_is_refused_before_any_sharing(gql):
    east, west = await make_community(), await make_community()
    insider, outsider = await make_account("resident", east), await make_account("resident", west)
    async with subscribed(gql, [insider], TALLY, lambda _: east):
        async with gql.websocket(outsider.token) as ws:
            op = await ws.subscribe(TALLY, {"c": global_id("Community", east.pk)})
            message = await ws.next(op)
            assert message["type"] == "error"
            assert message["payload"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_field_that_reads_the_caller_is_never_shared(gql):
    community = await make_community()
    residents = [await make_account("resident", community) for _ in range(3)]
    before = counts()
    async with subscribed(gql, residents, VIEWER, lambda _: community) as pairs:
        for n in (1, 2):  # the first event finds it personal; the second is resolved so at once
            await tally.count(n)
            answers = await heard(pairs)
            assert [a["data"]["tally"] for a in answers] == [
                {"value": n, "viewer": r.person.pk} for r in residents
            ]
    assert since(before)["frames"] == 0
    assert since(before)["personal"] == 1


async def test_a_later_subscriber_of_a_personal_query_resolves_its_own(gql):
    community = await make_community()
    first, later = (
        await make_account("resident", community),
        await make_account("resident", community),
    )
    async with subscribed(gql, [first], VIEWER, lambda _: community) as pairs:
        await tally.count(1)
        await heard(pairs)
        async with subscribed(gql, [later], VIEWER, lambda _: community) as more:
            await tally.count(2)
            answers = await heard(pairs + more)
    assert [a["data"]["tally"]["viewer"] for a in answers] == [first.person.pk, later.person.pk]


async def test_a_member_whose_roles_change_leaves_the_shared_answer(gql):
    community = await make_community()
    moving, staying = (
        await make_account("resident", community),
        await make_account("resident", community),
    )
    admin = await make_account(None, admin=True)
    async with subscribed(gql, [moving, staying], TALLY, lambda _: community) as pairs:
        await tally.count(1)
        await heard(pairs)
        granted = await gql.mutate(
            SET_ROLE,
            {
                "accountId": global_id("Account", moving.account.id),
                "communityId": global_id("Community", community.pk),
                "role": "STAFF",
                "granted": True,
            },
            token=admin.token,
        )
        assert granted["errors"] == []
        before = counts()
        await tally.count(2)
        answers = await heard(pairs)
        # Its roles changed: not one of the group any more, it resolved the event itself
        # (as its own execution always would have: the note was decided as it subscribed).
        assert [a["data"]["tally"]["value"] for a in answers] == [2, 2]
        assert since(before) == {"executions": 1, "frames": 1, "personal": 0}


async def test_a_shared_subscriber_whose_session_ends_gets_nothing_more(gql):
    community = await make_community()
    leaving, staying = (
        await make_account("resident", community),
        await make_account("resident", community),
    )
    async with subscribed(gql, [leaving, staying], TALLY, lambda _: community) as pairs:
        await tally.count(1)
        await heard(pairs)
        assert (await gql.mutate(LOGOUT, token=leaving.token))["ok"] is True
        await tally.count(2)
        (ws, _), (other, op) = pairs
        assert (await other.next(op))["payload"]["data"]["tally"]["value"] == 2
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                message = await ws.receive(timeout=5)
                assert message["type"] != "next", f"an event after the session ended: {message}"
        assert closed.value.code == 4403


async def test_the_group_ends_when_its_last_subscriber_leaves(gql):
    community = await make_community()
    resident = await make_account("resident", community)
    async with subscribed(gql, [resident], TALLY, lambda _: community) as [(ws, op)]:
        await tally.count(1)
        await ws.next(op)
        assert any(group.topic == tally.TOPIC for group in fanout._groups.values())
        await ws.complete(op)
        for _ in range(100):
            if not any(group.topic == tally.TOPIC for group in fanout._groups.values()):
                break
            await asyncio.sleep(0.01)
    assert not any(group.topic == tally.TOPIC for group in fanout._groups.values())


async def test_an_error_of_the_bus_reaches_every_member_as_its_own(gql):
    from linli.core import runtime

    community = await make_community()
    residents = [await make_account("resident", community) for _ in range(3)]
    async with subscribed(gql, residents, TALLY, lambda _: community) as pairs:
        await tally.count(1)
        await heard(pairs)
        runtime.current().bus.hub.resync_all("the bus lost Redis (a test)")
        for ws, op in pairs:
            message = await ws.next(op)
            assert message["type"] == "next"
            assert message["payload"]["data"] is None
            assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == ["RESYNC"]
            assert (await ws.next(op))["type"] == "complete"


async def test_the_settler_freezes_idle_subscribers_and_thaws_once_they_left():
    import gc

    from linli.core.graphql.collector import Settler

    settler = Settler()
    settler.DELAY = 0.01
    gc.unfreeze()
    try:
        for _ in range(Settler.EVERY):
            settler.joined()
        await asyncio.sleep(0.2)
        assert gc.get_freeze_count() > 0
        assert settler.frozen == Settler.EVERY
        for _ in range(Settler.EVERY):  # they all left: the next settle thaws and collects
            settler.left()
        for _ in range(Settler.EVERY):
            settler.joined()
        await asyncio.sleep(0.2)
        assert (settler.frozen, settler.gone) == (Settler.EVERY, 0)
    finally:
        gc.unfreeze()
