"""Demo data for ``linli seed-demo``: the volunteer activities of 番禺路社区, made through the
service as its staff and its demo volunteer would (on a clock set back for what happened a
month ago). Idempotent: activities are found by their codes first.

- 露天电影放映 (the outdoor film night the 志愿服务队 runs) next Saturday: set-up, ushers,
  clean-up;
- 社区消毒 (community disinfection) and 高龄老人上门探访 (elderly home visits), by staff;
- a disinfection a month ago that 王小明 served: approved hours and a certificate;
- the time bank turned on in 番禺路社区.

The film night is the 志愿服务队's activity: its group id comes from the groups module through
the ``group_named`` hook (never its tables), and the groups module, asked through
``may_organise_from_group`` as for any activity, lets the approved team organise (the groups
demo runs first: plugins seed in load order). Without the groups module, or with the team
not approved, the film night is the staff's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from linli.core import kit, runtime
from linli.core.errors import Refused
from linli.core.identity.models import Account, Community
from linli.core.identity.sessions import load_actor

from .models import Activity, Profile, Settings
from .service import activities, certificates, hours, profiles, signups

COMMUNITY = "XHL-FYL"  # 番禺路社区, from core's demo data
TEAM = "志愿服务队"  # the groups demo's volunteer service team, which runs the film night
STAFF_PHONE = "+8613900000002"  # 李娜, its staff
VOLUNTEER_PHONE = "+8613900000012"  # 王小明

# code, title, description, [(title, weekday, start, end, capacity, skills, min age, adults)]
ACTIVITIES = [
    ("FYL-V-FILM", "露天电影放映", "志愿服务队组织的社区露天电影之夜。", [
        ("布场", 5, "17:30", "19:00", 4, [], 16, False),
        ("引导员", 5, "19:00", "21:30", 6, [], 14, False),
        ("清场", 5, "21:30", "22:30", 4, [], 16, False),
    ]),
    ("FYL-V-DISINFECT", "社区消毒", "楼道、电梯和健身器材消毒。", [
        ("上午消毒", 2, "09:00", "11:00", 8, ["消毒"], None, True),
    ]),
    ("FYL-V-VISIT", "高龄老人上门探访", "陪伴独居高龄老人，了解需求。", [
        ("下午探访", 3, "14:00", "16:00", 6, [], 16, False),
    ]),
]  # fmt: skip


def _at(day: dt.date, hhmm: str, tz: str) -> dt.datetime:
    from zoneinfo import ZoneInfo

    hour, minute = (int(x) for x in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(tz))


async def seed_volunteers(console: Any) -> None:
    """volunteer activities of 番禺路社区 (film night, disinfection, home visits, hours)"""
    community = await Community.get_or_none(code=COMMUNITY)
    staff_account = await Account.get_or_none(phone=STAFF_PHONE)
    volunteer_account = await Account.get_or_none(phone=VOLUNTEER_PHONE)
    if community is None or staff_account is None or volunteer_account is None:
        console.print("  volunteers: core's demo community is missing; nothing added")
        return
    staff = await load_actor(staff_account.pk)
    me = await load_actor(volunteer_account.pk)
    if not (await kit.settings_of(Settings, community.pk)).time_bank:  # again: no new audit line
        await kit.update_settings(staff, Settings, community.pk, {"time_bank": True})
    if not await Profile.exists(person_id=volunteer_account.person_id):
        await profiles.register(me, None, ["消毒", "急救"], ["番禺路社区"], [])
    tz = community.time_zone
    today = kit.today(tz)
    added = []
    for code, title, description, shifts in ACTIVITIES:
        if await Activity.exists(code=code):
            continue
        group_id = await _team(community.pk) if code == "FYL-V-FILM" else None
        try:
            activity = await activities.create_activity(
                staff, community.pk, title, description, group_id, code=code
            )
        except Refused:  # the team may not organise (not approved): staff run it themselves
            activity = await activities.create_activity(
                staff, community.pk, title, description, code=code
            )
        for name, weekday, start, end, capacity, skills, min_age, adults in shifts:
            day = today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)
            await activities.add_shift(
                staff, activity.pk, name, _at(day, start, tz), _at(day, end, tz),
                "番禺路社区广场" if code == "FYL-V-FILM" else "番禺路社区",
                capacity, skills, min_age, adults,
            )  # fmt: skip
        await activities.publish(staff, activity.pk)
        added.append(title)
    served = await _served_last_month(staff, me, community.pk, today, tz)
    console.print(
        f"  volunteers: added {', '.join(added) or 'nothing'}; time bank on; "
        f"王小明's certificate {served or 'already there'}"
    )


async def _team(community_id: int) -> int | None:
    """The 志愿服务队's group id, from whichever plugin answers ``group_named`` (groups)."""
    answer = runtime.current().plugins.pm.hook.group_named(community_id=community_id, name=TEAM)
    return await answer if answer is not None else None


async def _served_last_month(
    staff: Any, me: Any, community_id: int, today: dt.date, tz: str
) -> str:
    """A disinfection a month ago that 王小明 served: approved hours, then a certificate."""
    if await Activity.exists(code="FYL-V-PAST"):
        return ""
    day = today - dt.timedelta(days=30)
    start, end = _at(day, "09:00", tz), _at(day, "12:00", tz)
    with runtime.clock_at(start - dt.timedelta(days=3)):
        activity = await activities.create_activity(
            staff, community_id, "社区消毒（上月）", "楼道消毒。", code="FYL-V-PAST"
        )
        shift = await activities.add_shift(
            staff, activity.pk, "上午消毒", start, end, "番禺路社区", 8, ["消毒"], None, True
        )
        await activities.publish(staff, activity.pk)
        await signups.sign_up(me, shift.pk)
    with runtime.clock_at(end + dt.timedelta(hours=1)):
        record = await hours.record_attendance(staff, shift.pk, me.person_id, start, end)
        await hours.approve(staff, record.pk)
    certificate = await certificates.issue(me, None, day, today)
    return certificate.number
