"""Demo data, part II: a counted twin of the 番禺路社区 election, its bundle published.

The previous term's election (第十一届), held and counted through the ballot box as a real one
is: voters signed in at the polling station, two tellers (李娜 and 周敏, staff) entering each
paper sheet, one mobile-box ballot for 张秀英 at home with two scrutineers, the polls closed,
the count run and the bundle published, which ``linli elections verify`` accepts. Its roll is
the community's demo residents plus forty demo voters of the previous term (no accounts).
Runs after part I's demo; adds nothing when the twin exists.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from linli.core import kit
from linli.core.identity.models import Account, Community, Person
from linli.core.identity.sessions import load_actor

from ..models import Candidate, Election, ElectionPost, RollEntry, Settings
from ..service import ballot_box, count, paper
from ..service import rounds as rounds_service

TITLE = "番禺路社区第十一届居民委员会选举（已计票）"
SEATS = {"DIRECTOR": 1, "DEPUTY_DIRECTOR": 1, "MEMBER": 5}
SURNAMES = "丁王毛方石叶史冯刘许孙李杨吴何汪沈张陆陈范林金周郑姜姚钱徐高郭黄曹龚蒋韩程童傅谢蔡"
GIVEN = ["建华", "秀兰", "国强", "美玲", "志明", "丽华", "卫东", "海燕", "文彬", "佩君"]


async def _voters(community: Community, born: dt.date) -> list[Person]:
    """The forty demo voters of the previous term (made once, found again by name)."""
    people = []
    for k in range(40):
        name = SURNAMES[k % len(SURNAMES)] + GIVEN[k % len(GIVEN)]
        household = f"{10 + k // 4}号楼 {100 + k % 4 + 1}"
        person = await Person.get_or_none(real_name=name, community_id=community.pk,
                                          household=household)
        if person is None:
            person = await Person.create(real_name=name, birth_date=born, community=community,
                                         household=household, verified=True,
                                         verified_at=kit.now(), created_at=kit.now())
        people.append(person)
    return people


async def seed_counted_election(console: Any) -> None:
    """a counted twin of the 番禺路社区 election, its bundle published"""
    community = await Community.get_or_none(code="XHL-FYL")
    tellers = [await Account.get_or_none(phone=p) for p in ("+8613900000002", "+8613900000001")]
    if community is None or None in tellers:
        return  # core's demo first
    if await Election.filter(community_id=community.pk, title=TITLE).exists():
        return
    staff = [await load_actor(t.pk) for t in tellers]
    today = kit.today(community.time_zone)
    day = today.replace(year=today.year - 3)
    generated = await _voters(community, dt.date(1965, 5, 1))
    residents = await Person.filter(community_id=community.pk, birth_date__lte=day.replace(
        year=day.year - 18)).exclude(pk__in=[p.pk for p in generated])
    roll = [*generated, *residents]
    election = await Election.create(
        community_id=community.pk, title=TITLE, election_day=day, phase="VOTING",
        settings=Settings().model_dump(), created_at=kit.now(), roll_size=len(roll),
        created_by_account_id=tellers[0].pk)
    for post, n in SEATS.items():
        await ElectionPost.create(election=election, post=post, seats=n,
                                  slate_size=n + 1, primary_decision="NOT_NEEDED")
    await RollEntry.bulk_create([RollEntry(election_id=election.pk, person_id=p.pk,
                                           name=p.real_name, household=p.household)
                                 for p in roll])
    k = 0
    for post, n in SEATS.items():
        for position in range(n + 1):
            await Candidate.create(election=election, post=post, person_id=generated[k].pk,
                                   name=generated[k].real_name, position=position + 1)
            k += 1
    round_ = await rounds_service.current(election)  # the main round, the slate its ballot
    if round_ is None:
        return
    by_post = {post: [c["id"] for c in round_.candidates if c["post"] == post] for post in SEATS}
    chance = random.Random(2026)  # noqa: S311 (demo marks, not secrets)

    def marks() -> list[tuple[str, str]]:
        out = [(by_post["DIRECTOR"][0 if chance.random() < 0.7 else 1], "FOR"),
               (by_post["DEPUTY_DIRECTOR"][0 if chance.random() < 0.65 else 1], "FOR")]
        members = by_post["MEMBER"]
        out += [(c, "FOR" if chance.random() < (0.8 if i < 5 else 0.3) else "AGAINST")
                for i, c in enumerate(members)]
        member_for = [c for c, ch in out[2:] if ch == "FOR"]
        if len(member_for) > 5:  # a valid ballot: no more FOR than seats
            out = out[:2] + [(c, "FOR" if c in member_for[:5] else "ABSTAIN") for c in members]
        return out

    home = next((p for p in residents if p.disabled), None)
    at_station = [p for p in roll if p is not home][: int(len(roll) * 0.8)]
    for person in at_station:
        await ballot_box.sign_in(staff[0], election.pk, person.pk)
    if home is not None:
        scrutineers = [generated[-1].pk, generated[-2].pk]
        await ballot_box.record_mobile(staff[0], election.pk, home.pk, marks(), [], scrutineers)
    await count.close_polls(staff[0], election.pk)
    for sheet in range(1, len(at_station) + 1):
        sheet_marks = marks()
        for teller in staff:
            await paper.enter(teller, election.pk, sheet, sheet_marks, [])
    published = await count.count_round(staff[0], election.pk)
    console.print(f"  {TITLE}: {len(roll)} on the roll, bundle "
                  f"/elections/{election.pk}/bundles/election.json "
                  f"({published.outcome.get('status')}, sha256 {published.sha256[:12]}…)")
