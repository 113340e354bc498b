"""Helpers of the tests that drive the ballot box over a live server: an election in
NOMINATION with accepted nominees (built through part I's tables: part I's services are
tested in its own tests), requests over HTTP, the standalone verifier on a bundle."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import os
import subprocess
import sys
from typing import Any

import httpx
from part2_helpers import Voter

import linli.plugins.elections as elections_package
from linli.testing import global_id, make_account, make_community

VERIFY = os.path.join(os.path.dirname(elections_package.__file__), "verify.py")
START_PRIMARY = """mutation($input: StartPrimaryInput!) { startPrimary(input: $input) {
  election { phase } errors { code message } } }"""
PUBLISH_SLATE = """mutation($input: PublishSlateInput!) { publishSlate(input: $input) {
  election { phase } errors { code message } } }"""
PHASE = """query($id: ID!) { election(electionId: $id) { phase } }"""
SLATE = """query($id: ID!) { slate(electionId: $id) { post name position personId } }"""

# Names whose surnames differ in strokes: the ballot lists them by stroke order (E5).
NAMES = ["陈一", "丁二", "张三", "王四", "李五", "赵六", "孙七", "周八", "吴九", "郑十",
         "冯甲", "蒋乙", "沈丙", "韩丁", "杨戊", "朱己", "秦庚", "许辛"]


@dataclasses.dataclass
class NominatedWorld:
    community: Any
    election: Any
    staff: Any
    tellers: list[Any]
    voters: list[Voter]
    nominees: dict[str, list[Voter]]

    @property
    def gid(self) -> str:
        return global_id("Election", self.election.pk)


async def nominated_world(voters: int, nominees: dict[str, int], *,
                          seats: dict[str, int] | None = None,
                          days_ahead: int = 10) -> NominatedWorld:
    """An election ``days_ahead`` days away in NOMINATION, its roll of ``voters`` and, per
    post, that many accepted nominees (the first voters)."""
    from linli.core import kit
    from linli.core.identity.models import Person
    from linli.plugins.elections.models import (
        Election,
        ElectionPost,
        Nomination,
        RollEntry,
        Settings,
    )

    seats = seats or {"DIRECTOR": 1, "DEPUTY_DIRECTOR": 1, "MEMBER": 3}
    community = await make_community("番禺路社区")
    staff = await make_account("staff", community)
    tellers = [await make_account("staff", community) for _ in range(2)]
    people = [Voter(await make_account("resident", community, birth_date=dt.date(1960, 1, 1)))
              for _ in range(voters)]
    for k, v in enumerate(people):
        await Person.filter(pk=v.person_id).update(real_name=NAMES[k % len(NAMES)] + str(k))
    settings = Settings()
    election = await Election.create(
        community=community, title="第十二届居民委员会选举",
        election_day=kit.today("Asia/Shanghai") + dt.timedelta(days=days_ahead),
        phase="NOMINATION", settings=settings.model_dump(), created_at=kit.now(),
        roll_size=voters, roll_published_on=kit.today("Asia/Shanghai"))
    count = settings.count()
    for post, n in seats.items():
        await ElectionPost.create(election=election, post=post, seats=n,
                                  slate_size=count.slate_size(post, n))
    for k, v in enumerate(people):
        await RollEntry.create(election=election, person_id=v.person_id,
                               name=NAMES[k % len(NAMES)] + str(k), household=f"H{k}")
    standing: dict[str, list[Voter]] = {}
    k = 0
    for post, n in nominees.items():
        standing[post] = people[k:k + n]
        for v in standing[post]:
            await Nomination.create(election=election, post=post, nominee_person_id=v.person_id,
                                    live_nominee_id=v.person_id, status="ACCEPTED",
                                    created_at=kit.now(), created_by_account_id=staff.id)
        k += n
    return NominatedWorld(community, election, staff, tellers, people, standing)


async def call(client: httpx.AsyncClient, query: str, variables: dict, token: str,
               inputs: bool = True) -> dict:
    """One GraphQL request; a mutation's (or query's) one root field."""
    response = await client.post("/graphql", json={
        "query": query, "variables": {"input": variables} if inputs else variables},
        headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    return payload


async def race(url: str, requests: list[tuple[str, dict, str]]) -> list[dict]:
    """Send every (query, input, token) at once, each on its own connection."""
    n = len(requests)
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    async with httpx.AsyncClient(base_url=url, timeout=900, limits=limits) as client:
        start = asyncio.Event()

        async def one(query: str, variables: dict, token: str) -> dict:
            await start.wait()
            return await call(client, query, variables, token)

        tasks = [asyncio.create_task(one(*r)) for r in requests]
        start.set()
        return await asyncio.gather(*tasks)


async def verify_bundle(path) -> subprocess.CompletedProcess:
    """The standalone verifier, isolated from site-packages (-I -S): standard library only."""
    return await asyncio.to_thread(
        subprocess.run, [sys.executable, "-I", "-S", VERIFY, str(path)], capture_output=True,
        text=True, timeout=300)
