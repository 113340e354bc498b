"""Demo data for ``linli seed-demo``: a community health service centre with two stations,
the six kinds of service, a week of slots and a few bookings, made through the service as
core's demo staff and residents would. Idempotent: rows are found by their codes first,
slots by their generation key (generate_slots adds nothing twice), bookings skip what is
already booked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from linli.core import kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.models import Account, Community, Person, ProxyGrant
from linli.core.identity.sessions import load_actor

from .models import Schedule, ServiceType, Site, Slot
from .service import appointments, catalogue, common

COMMUNITY = "XHL-FYL"  # 番禺路社区, from core's demo data

SITES = [
    ("FYL-CHC", "番禺路社区卫生服务中心", "centre", "番禺路 100 号"),
    ("FYL-STA-A", "幸福小区卫生服务站", "station", "幸福小区 1 号楼底层"),
    ("FYL-STA-B", "和平花园卫生服务站", "station", "和平花园会所二楼"),
]

# code, site, name, category, minutes, min age, contract, resource, weekly windows
SERVICES = [
    (
        "FYL-ELDER",
        "FYL-CHC",
        "65岁以上老年人年度体检",
        "public_health",
        30,
        65,
        False,
        "体检科",
        [(d, "08:00", "11:00", 30, 3) for d in range(5)],
    ),
    (
        "FYL-CHRONIC",
        "FYL-CHC",
        "慢性病随访（高血压、糖尿病）",
        "medical",
        15,
        None,
        True,
        "家庭医生团队一组",
        [(d, "13:30", "16:30", 15, 1) for d in range(5)],
    ),
    (
        "FYL-VAX",
        "FYL-STA-A",
        "预防接种",
        "public_health",
        10,
        None,
        False,
        "接种室",
        [(d, "09:00", "11:30", 10, 2) for d in (1, 3, 5)],
    ),
    (
        "FYL-REHAB",
        "FYL-STA-B",
        "康复理疗",
        "rehabilitation",
        45,
        None,
        False,
        "康复室",
        [(d, "14:00", "17:00", 45, 2) for d in range(5)],
    ),
    (
        "FYL-EDU",
        "FYL-CHC",
        "健康教育讲座",
        "health_education",
        60,
        None,
        False,
        "多功能厅",
        [(2, "15:00", "16:00", 60, 30)],
    ),
    (
        "FYL-HOME",
        "FYL-CHC",
        "上门服务（70岁以上、残疾人）",
        "home_visit",
        60,
        None,
        False,
        "上门服务队",
        [(d, "09:00", "12:00", 60, 1) for d in (0, 2, 4)],
    ),
]


STAFF_PHONE = "+8613900000002"  # 李娜, staff of 番禺路社区 in core's demo data


async def seed_booking(console: Any) -> None:
    """health centre, stations, services, a week of slots, bookings"""
    community = await Community.get_or_none(code=COMMUNITY)
    staff = await Account.get_or_none(phone=STAFF_PHONE)
    actor = await load_actor(staff.pk) if staff is not None else None
    if community is None or actor is None:
        console.print("  booking: skipped (needs core's demo community and staff)")
        return
    # Through the service, as staff would: rows are found by their codes first.
    sites: dict[str, Site] = {}
    for code, name, kind, address in SITES:
        sites[code] = await Site.get_or_none(code=code) or await catalogue.create_site(
            actor, community.pk, name, kind, address, code
        )
    s = await common.settings_for(community.pk)
    first = kit.today(s.tz) + dt.timedelta(days=1)
    added = 0
    for code, site, name, category, minutes, min_age, contract, resource, windows in SERVICES:
        service = await ServiceType.get_or_none(code=code) or await catalogue.create_service_type(
            actor,
            sites[site].pk,
            name,
            category,
            duration_minutes=minutes,
            min_age=min_age,
            requires_family_doctor_contract=contract,
            code=code,
        )
        row = await Schedule.get_or_none(service_type_id=service.pk, resource=resource)
        if row is None:
            weekly = [
                {"weekday": d, "start": a, "end": b, "slot_minutes": m, "capacity": c}
                for d, a, b, m, c in windows
            ]
            row = await catalogue.create_schedule(actor, service.pk, resource, weekly, [])
        last = first + dt.timedelta(days=6)
        week = Slot.filter(schedule_id=row.pk, local_date__gte=first, local_date__lte=last)
        if not await week.exists():  # a second run adds nothing, not even an audit line
            added += len(await catalogue.generate_slots(actor, row.pk, first, last))
    booked = await _bookings(community)
    console.print(
        f"  booking: {len(sites)} sites, {len(SERVICES)} services, {added} new slots, "
        f"{booked} new bookings"
    )


async def _bookings(community: Community) -> int:
    """A few residents of core's demo book for themselves and for a parent (proxy)."""
    plans = [
        ("+8613900000011", None, "FYL-ELDER"),
        ("+8613900000013", None, "FYL-REHAB"),
        ("+8613900000012", "+8613900000011", "FYL-REHAB"),
        ("+8613900000012", None, "FYL-VAX"),
    ]
    done = 0
    for phone, for_phone, service_code in plans:
        account = await Account.get_or_none(phone=phone)
        target = await Account.get_or_none(phone=for_phone) if for_phone else account
        if account is None or target is None or target.person_id is None:
            continue
        person = await Person.get(id=target.person_id)
        if person.community_id != community.pk:
            continue
        if for_phone and not await ProxyGrant.exists(account_id=account.pk, person_id=person.pk):
            continue
        actor = Actor(
            account_id=account.pk,
            person_id=account.person_id,
            roles={community.pk: frozenset({"resident"})},
        )
        slots = (
            await Slot.filter(service_type__code=service_code, start__gt=kit.now())
            .order_by("start")
            .limit(20)
        )
        for slot in slots:
            try:
                await appointments.book(actor, slot.pk, person.pk)
            except Refused as refusal:
                if refusal.code == "ALREADY_BOOKED_TODAY":
                    break
                continue
            done += 1
            break
    return done
