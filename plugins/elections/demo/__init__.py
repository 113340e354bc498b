"""Demo data for ``linli seed-demo``, made through the real use cases on a clock set back to
when each step happened:

- 番禺路社区: 第十二届居民委员会换届选举, voting in six days: the roll published 25 days ago,
  nominations, a primary held for the member seats (8 nominees for a slate of 6; 20 voters
  cast into the ballot box, staff close and count it, its bundle published), and the
  published slate of 7 seats (1 director, 1 deputy, 5 members), every
  post competitive;
- 法华镇路社区: a small election (5 seats), its roll published, still in nomination.

The voters are demo residents with accounts (番禺路社区 +8613900000200…221, 法华镇路社区
+8613900000250…259, core's demo password) so the nominations are theirs. Idempotent: an
election already there (by title, in the community) is skipped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from linli.core import clock, runtime
from linli.core.identity import tokens
from linli.core.identity.demo import DEMO_PASSWORD
from linli.core.identity.models import Account, Community, Membership, Person
from linli.core.identity.sessions import load_actor

from ..models import Election
from ..service import ballot_box, count, elections, nominations, roll, slate

TITLE = "第十二届居民委员会换届选举"
# community code, staff phone, phone block, names, seats, election day in days from today
DEMOS = [
    ("XHL-FYL", "+8613900000002", 200, [
        "马丽华", "朱建国", "胡秀英", "郭志明", "何淑珍", "高玉兰", "林海波", "罗红梅",
        "梁国栋", "宋美华", "谢文斌", "唐秀云", "韩立新", "冯雪梅", "曹振华", "邓桂芳",
        "许明亮", "傅玉珍", "沈德胜", "曾丽娟", "彭家豪", "吕淑英",
    ], (1, 1, 5), 6),
    ("XHL-FXL", "+8613900000003", 250, [
        "田志刚", "董桂兰", "袁晓东", "潘秀梅", "蒋建华", "蔡丽萍", "余国华", "杜春燕",
        "叶文军", "程美玉",
    ], (1, 1, 3), 30),
]  # fmt: skip


async def _voters(community: Community, block: int, names: list[str]) -> list[Any]:
    """The demo voters (adults, verified, with accounts and core's demo password), as actors."""
    actors = []
    password = await tokens.hash_password(DEMO_PASSWORD)
    for i, name in enumerate(names):
        phone = f"+86139000{block + i:05d}"
        account = await Account.get_or_none(phone=phone)
        if account is None:
            person = await Person.create(
                real_name=name, birth_date=dt.date(1950 + i * 2, 1 + i % 12, 1 + i),
                community=community, household=f"{1 + i % 9}号楼 {101 + i}", verified=True,
                verified_at=clock.now(), created_at=clock.now())
            account = await Account.create(phone=phone, person=person, password_hash=password,
                                           created_at=clock.now())
            await Membership.create(account=account, community=community, role="resident",
                                    created_at=clock.now())
        actors.append(await load_actor(account.pk))
    return actors


async def _nominate(election: Election, post: str, nominees: list[Any],
                    proposers: list[Any]) -> None:
    for i, nominee in enumerate(nominees):
        made = await nominations.nominate(proposers[i % len(proposers)], election.pk, post=post,
                                          nominee=nominee.person_id)
        await nominations.answer(nominee, made.pk, accept=True)


async def _held_primary(staff: Any, election: Election, voters: list[Any]) -> None:
    """The member primary, through the ballot box: 20 voters cast online, staff close the
    polls and count (its bundle is published, and its result fixes the members' slate)."""
    round_ = await slate.primary_round(election)
    ids = [c.id for c in round_.candidates]
    size = round_.posts[0].seats
    # 20 ballots, each FOR ``size`` nominees: every nominee gets its share of the totals.
    need = dict(zip(ids, [20, 19, 18, 17, 16, 15, 10, 5], strict=False))
    for voter in voters[:20]:
        chosen = sorted(need, key=lambda c: -need[c])[:size]
        for c in chosen:
            need[c] -= 1
        await ballot_box.cast(voter, election.pk, [(c, "FOR") for c in chosen], [])
    await count.close_polls(staff, election.pk)
    await count.count_round(staff, election.pk)


async def seed_elections(console: Any) -> None:
    """committee elections: 番禺路社区 with a published slate, 法华镇路社区 in nomination"""
    added = []
    for code, staff_phone, block, names, seats, ahead in DEMOS:
        community = await Community.get_or_none(code=code)
        staff_account = await Account.get_or_none(phone=staff_phone)
        if community is None or staff_account is None:
            console.print("  elections: core's demo community is missing; nothing added")
            return
        if await Election.exists(community_id=community.pk, title=TITLE):
            continue
        staff = await load_actor(staff_account.pk)
        now = clock.now()
        with runtime.clock_at(now - dt.timedelta(days=25)):
            voters = await _voters(community, block, names)
            day = clock.today(community.time_zone) + dt.timedelta(days=25 + ahead)
            election = await elections.create(
                staff, community.pk, title=TITLE, election_day=day,
                seats={"DIRECTOR": seats[0], "DEPUTY_DIRECTOR": seats[1], "MEMBER": seats[2]},
                committee=[v.person_id for v in voters[-3:]], chair=voters[-1].person_id)
            election = await roll.publish(staff, election.pk)
        with runtime.clock_at(now - dt.timedelta(days=18)):
            await elections.move_due_phases()  # the objection window has closed
        proposers = voters[-6:-3]
        with runtime.clock_at(now - dt.timedelta(days=15)):
            election = await Election.get(pk=election.pk)
            await _nominate(election, "DIRECTOR", voters[0:2], proposers)
            await _nominate(election, "DEPUTY_DIRECTOR", voters[2:4], proposers)
            members = 8 if seats[2] == 5 else 3
            await _nominate(election, "MEMBER", voters[4:4 + members], proposers)
        if code == "XHL-FYL":
            with runtime.clock_at(now - dt.timedelta(days=10)):
                await slate.start_primary(staff, election.pk)
                await _held_primary(staff, await Election.get(pk=election.pk), voters)
            with runtime.clock_at(now - dt.timedelta(days=2)):
                await slate.publish(staff, election.pk)
        added.append(community.name)
    console.print(f"  elections: added {', '.join(added) or 'nothing'}")
