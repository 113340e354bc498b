"""V2 with the groups module, end to end over HTTP against a running server: a group's leader
organises volunteer activities for it, a plain member is refused, a lapsed group refuses.

The volunteers plugin asks only ``may_organise_from_group`` (with the actor's person); the
groups are made here through the groups GraphQL API, as residents and staff would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from volunteer_helpers import ADD_SHIFT, CREATE, PUBLISH, REGISTER, SIGN_UP, codes

from linli.core.clock import FrozenClock
from linli.testing import make_account, run_periodic_task

FILE = """mutation($input: FileGroupInput!) { fileGroup(input: $input) {
  group { id status } errors { code field message } } }"""
JOIN = """mutation($input: RequestToJoinGroupInput!) { requestToJoinGroup(input: $input) {
  request { id } errors { code message } } }"""
DECIDE = """mutation($input: DecideJoinRequestInput!) { decideJoinRequest(input: $input) {
  request { id status } errors { code message } } }"""
SUBMIT = """mutation($input: GroupIdInput!) { submitGroupFiling(input: $input) {
  filing { id } errors { code message } } }"""
ADULT = dt.date(1980, 1, 1)
REVIEW = """mutation($input: ReviewGroupFilingInput!) { reviewGroupFiling(input: $input) {
  group { id status } errors { code message } } }"""


@pytest.fixture
def clock():
    # The server runs on the real clock: tokens, terms and shifts must be valid by it.
    return FrozenClock(dt.datetime.now(dt.UTC).replace(microsecond=0))


async def approved_group(gql: Any, world: Any, name: str) -> tuple[str, Any, list[Any]]:
    """A committee-level public-welfare group of the community, filed by a resident who leads
    it, four members accepted (the minimum is five, leader included), approved by staff."""
    leader = await make_account("resident", world.community, birth_date=ADULT)
    filed = await gql.mutate(
        FILE,
        {
            "communityId": world.cid,
            "name": name,
            "category": "PUBLIC_WELFARE",
            "level": "COMMUNITY",
            "venue": "社区党群服务站",
            "schedule": "每周六 8:30-11:30",
            "charter": "自愿参加，服务社区。",
        },
        token=leader.token,
    )
    assert filed["errors"] == [], filed
    group = filed["group"]["id"]
    members = []
    for _ in range(4):
        member = await make_account("resident", world.community, birth_date=ADULT)
        asked = await gql.mutate(JOIN, {"groupId": group}, token=member.token)
        assert asked["errors"] == [], asked
        done = await gql.mutate(
            DECIDE, {"requestId": asked["request"]["id"], "accept": True}, token=leader.token
        )
        assert done["errors"] == [], done
        members.append(member)
    filing = await gql.mutate(SUBMIT, {"groupId": group}, token=leader.token)
    assert filing["errors"] == [], filing
    review = await gql.mutate(
        REVIEW,
        {"filingId": filing["filing"]["id"], "decision": "APPROVE"},
        token=world.staff.token,
    )
    assert review["errors"] == [] and review["group"]["status"] == "APPROVED", review
    return group, leader, members


async def send(url: str, token: str, query: str, data: dict) -> dict:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": {"input": data}},
            headers={"authorization": f"Bearer {token}"},
        )
    assert response.status_code == 200, response.text
    (payload,) = response.json()["data"].values()
    return payload


async def test_V2_a_group_leader_organises_for_the_group(world, gql, live_server, clock):
    group, leader, members = await approved_group(gql, world, "番禺路志愿服务队")
    url = live_server.url
    film = {"communityId": world.cid, "title": "露天电影放映", "groupId": group}
    created = await send(url, leader.token, CREATE, film)
    assert created["errors"] == [], live_server.log()[-3000:]
    aid = created["activity"]["id"]
    start = clock.now() + dt.timedelta(days=3)
    shift = await send(
        url,
        leader.token,
        ADD_SHIFT,
        {
            "activityId": aid,
            "title": "引导员",
            "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=2)).isoformat(),
            "capacity": 6,
        },
    )
    assert shift["errors"] == [], shift
    published = await send(url, leader.token, PUBLISH, {"activityId": aid})
    assert published["errors"] == [] and published["activity"]["status"] == "PUBLISHED"
    # a member of the group volunteers for it like anyone: the activity is open
    helper = members[0]
    registered = await send(url, helper.token, REGISTER, {})
    assert registered["errors"] == [], registered
    signed = await send(url, helper.token, SIGN_UP, {"shiftId": shift["shift"]["id"]})
    assert signed["signUp"]["status"] == "CONFIRMED", signed


async def test_V2_a_plain_member_does_not_organise_for_the_group(world, gql, live_server, clock):
    from linli.plugins.volunteers.models import Activity

    group, _, members = await approved_group(gql, world, "番禺路志愿服务队")
    url = live_server.url
    member = members[1]
    film = {"communityId": world.cid, "title": "露天电影放映", "groupId": group}
    refused = await send(url, member.token, CREATE, film)
    assert refused["activity"] is None
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("FORBIDDEN", ["groupId"])]
    assert refused["errors"][0]["message"]  # localized, never empty
    alone = await send(url, member.token, CREATE, {"communityId": world.cid, "title": "清扫"})
    assert codes(alone) == ["FORBIDDEN"]
    assert await Activity.all().count() == 0


async def test_V2_a_lapsed_group_is_ORGANISER_NOT_ACTIVE(world, gql, live_server, clock):
    now = clock.now()
    clock.set(now - dt.timedelta(days=400))  # approved 400 days ago, a one-year term
    world.staff.token = await world.staff.fresh_token()
    group, leader, _ = await approved_group(gql, world, "番禺路志愿服务队")
    earlier = await gql.mutate(
        CREATE,
        {"communityId": world.cid, "title": "社区清扫", "groupId": group},
        token=leader.token,
    )
    assert earlier["errors"] == [], earlier  # while the group was active
    clock.set(now)
    world.staff.token = await world.staff.fresh_token()
    await run_periodic_task("groups-tick")  # the lapse (G6), as the server's task would
    leader.token = await leader.fresh_token()
    url = live_server.url
    film = {"communityId": world.cid, "title": "露天电影放映", "groupId": group}
    refused = await send(url, leader.token, CREATE, film)
    assert refused["activity"] is None
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("ORGANISER_NOT_ACTIVE", ["groupId"])
    ]
    # what it posted before it lapsed cannot be published now
    late = await send(url, leader.token, PUBLISH, {"activityId": earlier["activity"]["id"]})
    assert codes(late) == ["ORGANISER_NOT_ACTIVE"], late
    # staff posting for the lapsed group are refused the same way
    staff = await send(url, world.staff.token, CREATE, film)
    assert codes(staff) == ["ORGANISER_NOT_ACTIVE"]
