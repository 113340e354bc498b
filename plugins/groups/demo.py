"""Demo data for ``linli seed-demo``: five residents' groups of 番禺路社区 in the states a
reviewer meets, made through the real use cases (on a clock set back to when each step
happened), so the demo shows exactly what the service writes.

- 广场舞队: approved two months ago;
- 老年合唱团: approved 340 days ago, inside its renewal window;
- 书画社: approved, then a venue change awaiting review (G5);
- 志愿服务队: approved a month ago (the volunteers demo's film night is its activity);
- 环保宣传队: a first filing submitted ten days ago, overdue (G3);
- 太极拳队: approved 400 days ago, never renewed: lapsed (G6).

Idempotent: a group already there (by name, in the community) is skipped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from linli.core import clock, runtime
from linli.core.identity.models import Account, Community, Person
from linli.core.identity.sessions import load_actor

from . import rules, service
from .models import Group
from .service import tick

COMMUNITY = "XHL-FYL"  # 番禺路社区, from core's demo data
STAFF_PHONE = "+8613900000002"  # 李娜, its staff
ROSTER_NAMES = [
    "张桂英", "李秀兰", "王淑芬", "赵玉梅", "孙建华", "周丽华", "吴志强", "郑美玲",
    "冯国庆", "陈秀珍", "褚卫东", "卫红梅", "蒋文静", "沈国强", "韩玉兰", "杨德明",
]  # fmt: skip

# name, category, venue, schedule, leader phone (or a roster name), members, days ago, story
GROUPS = [
    ("广场舞队", "CULTURE_SPORTS", "番禺路社区广场", "每天 19:00-20:30", "+8613900000013", 8, 60,
     "approved"),
    ("老年合唱团", "CULTURE_SPORTS", "社区文化活动室", "每周二、四 9:00-11:00", "+8613900000011",
     10, 340, "approved"),
    ("书画社", "CULTURE_SPORTS", "社区老年活动室", "每周三 14:00-16:30", "+8613900000012", 6, 120,
     "change"),
    ("志愿服务队", "PUBLIC_WELFARE", "社区党群服务站", "每周六 8:30-11:30", "吴志强", 7, 30,
     "approved"),
    ("环保宣传队", "PUBLIC_WELFARE", "社区党群服务站", "每月第一个周日 9:00-11:00", "郑美玲", 6,
     10, "submitted"),
    ("太极拳队", "CULTURE_SPORTS", "幸福小区中心花园", "每天 6:30-7:30", "周丽华", 5, 400,
     "approved"),
]  # fmt: skip


async def _roster_people(community: Community) -> dict[str, Person]:
    """The demo roster's residents (persons without accounts: the staff file for them)."""
    people = {}
    for i, name in enumerate(ROSTER_NAMES, start=1):
        household = f"团队演示 {i}号"
        person = await Person.get_or_none(community_id=community.pk, household=household)
        if person is None:
            person = await Person.create(
                real_name=name,
                community=community,
                household=household,
                created_at=clock.now(),
            )
        people[name] = person
    return people


async def seed_groups(console: Any) -> None:
    """residents' groups of 番禺路社区 (filing, review, renewal, lapse)"""
    community = await Community.get_or_none(code=COMMUNITY)
    staff_account = await Account.get_or_none(phone=STAFF_PHONE)
    if community is None or staff_account is None:
        console.print("  groups: core's demo community is missing; nothing added")
        return
    staff = await load_actor(staff_account.pk)
    people = await _roster_people(community)
    now = clock.now()
    added = []
    for name, category, venue, schedule, leader, members, days_ago, story in GROUPS:
        if await Group.exists(community_id=community.pk, name=name):
            continue
        account = await Account.get_or_none(phone=leader) if leader.startswith("+") else None
        leader_id = account.person_id if account else people[leader].pk
        roster = [p.pk for p in list(people.values())[:members] if p.pk != leader_id]
        form = service.Form(
            name=name,
            category=rules.Category(category),
            level=rules.Level.COMMUNITY,
            venue=venue,
            schedule=schedule,
            charter=f"{name}章程：自愿参加，文明活动，服从社区管理。",
        )
        with runtime.clock_at(now - dt.timedelta(days=days_ago)):
            group = await service.file_group(staff, community.pk, form, leader_id, tuple(roster))
            filing = await service.submit(staff, group.pk)
            if story != "submitted":
                await service.review(staff, filing.pk, rules.Decision.APPROVE, None)
        if story == "change":
            with runtime.clock_at(now - dt.timedelta(days=1)):
                await service.change_details(staff, group.pk, {"venue": "番禺路 200 号书画室"})
        added.append(name)
    result = await tick.tick()  # the lapse, the overdue warning, the renewal window
    console.print(
        f"  groups: added {', '.join(added) or 'nothing'}; lapsed {result.lapsed}, "
        f"overdue {result.overdue}, renewal windows {result.renewal_opened}"
    )
