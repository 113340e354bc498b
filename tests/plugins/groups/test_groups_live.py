"""Live updates over a real websocket: every kind the groups subscriptions publish, heard by a
graphql-transport-ws client (linli_client) of a server listening on a loopback port, the
mutations sent to the same server over HTTP.

The server is uvicorn serving the test's app in this process (the app ``linli serve`` runs,
over TCP), so the test knows from the server itself when a subscription is in place: the
resolver has subscribed to the event bus (linli.testing's BusWatch), never a sleep. The
clock is the test's, so the timed kinds (OVERDUE, RENEWAL_OPEN, LAPSED) come from the
periodic task run after moving it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from groups_helpers import (
    CHANGE,
    DECIDE,
    DISSOLVE,
    FILE,
    JOIN,
    LEAVE,
    REMOVE,
    REVIEW,
    SUBMIT,
    form,
    gid,
)

from linli.testing import free_port, run_periodic_task
from linli.testing.client import BusWatch
from linli_client import GraphQLErrors, LinliClient

REVIEW_FEED = """subscription($c: ID!) { groupReviewUpdates(communityId: $c) {
  kind filing { id status kind group { id } } } }"""
MINE = """subscription { myGroupUpdates { kind group { id status } } }"""
WAIT = 10.0  # seconds an expected event may take on a loaded machine (a bound, not a timing)


@pytest.fixture
async def served(linli_app: Any) -> AsyncIterator[str]:
    config = uvicorn.Config(
        linli_app, host="127.0.0.1", port=free_port(), lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # uvicorn's own flag: the socket is listening
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{config.port}"
    server.should_exit = True
    await task


@contextlib.asynccontextmanager
async def listening(
    url: str, app: Any, token: str, query: str, variables: dict | None = None
) -> AsyncIterator[Any]:
    """A subscription over the socket, returned once the server's resolver is on the bus."""
    watch = BusWatch.of(app)
    assert watch is not None
    opened = watch.opened
    async with LinliClient(url, token=token).subscribe(query, variables) as events:
        await asyncio.wait_for(watch.beyond(opened), WAIT)
        yield events


async def heard(events: Any) -> dict:
    data = await asyncio.wait_for(anext(events), WAIT)
    (update,) = data.values()
    return update


async def send(url: str, token: str, query: str, values: dict) -> dict:
    async with LinliClient(url, token=token) as client:
        payload = await client.mutate(query, {"input": values}, raise_user_errors=False)
    assert payload["errors"] == [], payload["errors"]
    return payload


async def test_G3_review_feed_FILED_DECIDED_OVERDUE_over_a_websocket(
    served, linli_app, world, clock
):
    staff, leader = world.staff.token, world.leader.token
    async with listening(served, linli_app, staff, REVIEW_FEED, {"c": world.home_id}) as feed:
        group = (await send(served, leader, FILE, form(world)))["group"]
        filing = (await send(served, leader, SUBMIT, {"groupId": group["id"]}))["filing"]
        assert await heard(feed) == {
            "kind": "FILED",
            "filing": {
                "id": filing["id"],
                "status": "SUBMITTED",
                "kind": "INITIAL",
                "group": {"id": group["id"]},
            },
        }
        back = {"filingId": filing["id"], "decision": "RETURN", "reason": "请补充花名册"}
        await send(served, staff, REVIEW, back)
        returned = await heard(feed)
        assert (returned["kind"], returned["filing"]["status"]) == ("DECIDED", "RETURNED")
        await send(served, leader, SUBMIT, {"groupId": group["id"]})
        again = await heard(feed)
        assert (again["kind"], again["filing"]["status"]) == ("FILED", "SUBMITTED")
        await send(served, staff, REVIEW, {"filingId": filing["id"], "decision": "APPROVE"})
        approved = await heard(feed)
        assert (approved["kind"], approved["filing"]["status"]) == ("DECIDED", "APPROVED")
        await send(served, leader, CHANGE, {"groupId": group["id"], "venue": "番禺路 200 号"})
        change = await heard(feed)
        assert (change["kind"], change["filing"]["kind"]) == ("FILED", "CHANGE")
    # eight days on (fresh sessions), the periodic task warns of the change's overdue decision
    await world.advance(clock, days=8)
    async with listening(
        served, linli_app, world.staff.token, REVIEW_FEED, {"c": world.home_id}
    ) as feed:
        await run_periodic_task("groups-tick")
        overdue = await heard(feed)
        assert overdue["kind"] == "OVERDUE" and overdue["filing"]["id"] == change["filing"]["id"]


async def test_G2_review_feed_is_staff_of_the_reviewing_community_only(served, world):
    resident = await world.resident()
    callers = [(None, "UNAUTHENTICATED"), (resident.token, "FORBIDDEN")]
    callers.append((world.sibling_staff.token, "FORBIDDEN"))  # staff of a sibling community
    for token, code in callers:
        with pytest.raises(GraphQLErrors) as refused:
            async with LinliClient(served, token=token).subscribe(
                REVIEW_FEED, {"c": world.home_id}
            ) as events:
                await asyncio.wait_for(anext(events), WAIT)
        assert refused.value.codes == [code]


async def test_G8_my_group_updates_every_kind_over_a_websocket(served, linli_app, world, clock):
    leader = world.leader.token
    joiner, other = await world.resident(), await world.resident()
    group = (await send(served, leader, FILE, form(world)))["group"]
    gid_ = group["id"]
    async with (
        listening(served, linli_app, leader, MINE) as mine,
        listening(served, linli_app, joiner.token, MINE) as theirs,
    ):

        async def both(kind: str, status: str) -> None:
            for events in (mine, theirs):
                assert await heard(events) == {
                    "kind": kind,
                    "group": {"id": gid_, "status": status},
                }

        asked = await send(served, joiner.token, JOIN, {"groupId": gid_})
        assert await heard(mine) == {
            "kind": "JOIN_REQUESTED",
            "group": {"id": gid_, "status": "DRAFT"},
        }
        await send(served, leader, DECIDE, {"requestId": asked["request"]["id"], "accept": True})
        await both("JOIN_ACCEPTED", "DRAFT")
        declined = await send(served, other.token, JOIN, {"groupId": gid_})
        for events in (mine, theirs):
            assert (await heard(events))["kind"] == "JOIN_REQUESTED"
        await send(
            served, leader, DECIDE, {"requestId": declined["request"]["id"], "accept": False}
        )
        for events in (mine, theirs):
            assert (await heard(events))["kind"] == "JOIN_DECLINED"
        filing = (await send(served, leader, SUBMIT, {"groupId": gid_}))["filing"]
        approve = {"filingId": filing["id"], "decision": "APPROVE"}
        await send(served, world.staff.token, REVIEW, approve)
        await both("FILING_APPROVED", "APPROVED")
        await send(served, leader, CHANGE, {"groupId": gid_, "schedule": "每周六 9:00"})
        await both("CHANGED", "APPROVED")
    # a year on (fresh sessions): the renewal window opens, then the group lapses
    await world.advance(clock, days=340)
    async with listening(served, linli_app, world.leader.token, MINE) as mine:
        await run_periodic_task("groups-tick")
        assert await heard(mine) == {
            "kind": "RENEWAL_OPEN",
            "group": {"id": gid_, "status": "APPROVED"},
        }
        await world.advance(clock, days=30)
    async with listening(served, linli_app, world.leader.token, MINE) as mine:
        await run_periodic_task("groups-tick")
        assert await heard(mine) == {"kind": "LAPSED", "group": {"id": gid_, "status": "LAPSED"}}


async def test_G8_leaving_removal_and_dissolving_reach_the_members(served, linli_app, world):
    leader = world.leader.token
    stays, goes, removed = await world.resident(), await world.resident(), await world.resident()
    group = (await send(served, leader, FILE, form(world)))["group"]
    gid_ = group["id"]
    for person in (stays, goes, removed):
        asked = await send(served, person.token, JOIN, {"groupId": gid_})
        await send(served, leader, DECIDE, {"requestId": asked["request"]["id"], "accept": True})
    async with (
        listening(served, linli_app, leader, MINE) as mine,
        listening(served, linli_app, stays.token, MINE) as theirs,
    ):
        await send(served, goes.token, LEAVE, {"groupId": gid_})
        for events in (mine, theirs):
            assert (await heard(events))["kind"] == "MEMBER_LEFT"
        removing = {"groupId": gid_, "personId": gid("Person", removed.person.pk)}
        await send(served, leader, REMOVE, removing)
        for events in (mine, theirs):
            assert (await heard(events))["kind"] == "MEMBER_REMOVED"
        await send(served, leader, DISSOLVE, {"groupId": gid_, "reason": "解散"})
        for events in (mine, theirs):
            assert await heard(events) == {
                "kind": "DISSOLVED",
                "group": {"id": gid_, "status": "DISSOLVED"},
            }
