"""E4, E5, E10 under real concurrency: a real ``linli serve`` subprocess, parallel HTTP.

Runs on SQLite by default and on PostgreSQL when LINLI_TEST_DATABASE_URL is set. The
in-process app (``gql``) shares the server's database to set up and to count.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest
import strawberry
from part1_helpers import GRANT, NOMINATE, PUBLISH_SLATE, accept, nominate, person, world

from linli.core.clock import FrozenClock
from linli.plugins.elections.models import Candidate, Election, Nomination, Proxy
from linli.testing import make_account


@pytest.fixture
def clock():
    # The server runs on the real clock: tokens and windows must be valid by it.
    return FrozenClock(dt.datetime.now(dt.UTC))


def day_ahead(clock: FrozenClock, days: int = 40) -> str:
    return (clock.now().date() + dt.timedelta(days=days)).isoformat()


async def race(url: str, calls: list[tuple[str, str, dict]]) -> list[dict]:
    """Every (token, query, input) sent at once; the payloads, in order."""
    limits = httpx.Limits(max_connections=len(calls), max_keepalive_connections=len(calls))
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        start = asyncio.Event()

        async def one(token: str, query: str, data: dict) -> dict:
            await start.wait()
            response = await client.post("/graphql", json={
                "query": query, "variables": {"input": data}},
                headers={"authorization": f"Bearer {token}"})
            assert response.status_code == 200, response.text
            body = response.json()
            assert "errors" not in body, body
            (payload,) = body["data"].values()
            return payload

        tasks = [asyncio.create_task(one(*call)) for call in calls]
        start.set()
        return await asyncio.gather(*tasks)


def pk_of(gid: str) -> int:
    return int(strawberry.relay.from_base64(gid)[1])


async def nomination_world(gql, clock, voters: int):
    w = await world(gql, voters=voters, day=day_ahead(clock))
    from part1_helpers import publish_roll

    await publish_roll(gql, w)
    await Election.filter(pk=pk_of(w.election)).update(phase="NOMINATION")
    return w


async def test_E4_20_concurrent_nominations_by_one_voter_for_3_seats(gql, clock, live_server):
    w = await nomination_world(gql, clock, voters=22)
    voter = w.voters[0]
    calls = [(voter.token, NOMINATE, {"electionId": w.election, "post": "MEMBER",
                                      "nomineeId": person(n)}) for n in w.voters[1:21]]
    results = await race(live_server.url, calls)
    made = [r for r in results if not r["errors"]]
    refused = [e["code"] for r in results for e in r["errors"]]
    assert len(made) == 3, live_server.log()[-3000:]
    assert refused == ["TOO_MANY_NOMINATIONS"] * 17
    assert await Nomination.filter(election_id=pk_of(w.election)).count() == 3


async def test_E10_10_concurrent_grants_to_one_proxy_give_3(gql, clock, live_server):
    w = await world(gql, voters=12, day=day_ahead(clock))
    from part1_helpers import publish_roll

    await publish_roll(gql, w)
    holder = w.voters[0]
    calls = [(w.staff.token, GRANT, {"electionId": w.election, "grantorId": person(g),
                                     "holderId": person(holder), "relation": "SIBLING"})
             for g in w.voters[1:11]]
    results = await race(live_server.url, calls)
    granted = [r for r in results if not r["errors"]]
    refused = [e["code"] for r in results for e in r["errors"]]
    assert len(granted) == 3, live_server.log()[-3000:]
    assert refused == ["PROXY_LIMIT"] * 7
    assert await Proxy.filter(election_id=pk_of(w.election), status="GRANTED").count() == 3


async def test_E5_two_staff_publishing_the_slate_at_once_publish_once(gql, clock, live_server):
    w = await nomination_world(gql, clock, voters=10)
    v = w.voters
    for post, people in (("DIRECTOR", v[0:2]), ("DEPUTY_DIRECTOR", v[2:4]),
                         ("MEMBER", v[4:8])):
        for i, nominee in enumerate(people):
            made = await nominate(gql, w, v[8 + i % 2], nominee, post=post)
            assert (await accept(gql, nominee, made["nomination"]["id"]))["errors"] == []
    other = await make_account("staff", w.community)
    data = {"electionId": w.election}
    results = await race(live_server.url, [(w.staff.token, PUBLISH_SLATE, data),
                                           (other.token, PUBLISH_SLATE, data)])
    published = [r for r in results if not r["errors"]]
    refused = [e["code"] for r in results for e in r["errors"]]
    assert len(published) == 1, live_server.log()[-3000:]
    assert refused == ["INVALID_PHASE"]
    assert await Candidate.filter(election_id=pk_of(w.election)).count() == 8
