"""Core's demo data (``linli seed-demo``): a street office, two communities with residential
areas, staff, residents (some over 65, some over 70), families with proxy grants.

Idempotent: everything is looked up by its code or phone first, so a second run adds nothing.
Demo passwords are printed; ID numbers never are.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from linli.core import clock
from linli.core.db import atomic
from linli.core.identity import rules, tokens
from linli.core.identity.models import (
    Account,
    Community,
    CommunityKind,
    Gender,
    GrantStatus,
    Membership,
    Person,
    ProxyGrant,
    Relation,
    Role,
)

DEMO_PASSWORD = "linli-demo-2026"  # noqa: S105 (printed on purpose: demo data)

TREE = [
    # code, kind, name, parent code
    ("XHL", CommunityKind.STREET_OFFICE, "新华路街道", None),
    ("XHL-FYL", CommunityKind.COMMUNITY, "番禺路社区", "XHL"),
    ("XHL-FYL-A", CommunityKind.AREA, "幸福小区", "XHL-FYL"),
    ("XHL-FYL-B", CommunityKind.AREA, "和平花园", "XHL-FYL"),
    ("XHL-FXL", CommunityKind.COMMUNITY, "法华镇路社区", "XHL"),
    ("XHL-FXL-A", CommunityKind.AREA, "春晖苑", "XHL-FXL"),
]

# phone, name, birth date, gender, community, area, household, roles, disabled
PEOPLE = [
    ("+8613900000001", "周敏", date(1985, 4, 2), Gender.FEMALE, "XHL", None, "", ["staff"], False),
    (
        "+8613900000002",
        "李娜",
        date(1990, 6, 18),
        Gender.FEMALE,
        "XHL-FYL",
        None,
        "",
        ["staff"],
        False,
    ),
    (
        "+8613900000003",
        "陈刚",
        date(1988, 9, 9),
        Gender.MALE,
        "XHL-FXL",
        None,
        "",
        ["staff"],
        False,
    ),
    (
        "+8613900000011",
        "王建国",
        date(1950, 3, 12),
        Gender.MALE,
        "XHL-FYL",
        "XHL-FYL-A",
        "3号楼 201",
        ["resident"],
        False,
    ),
    (
        "+8613900000012",
        "王小明",
        date(1978, 11, 30),
        Gender.MALE,
        "XHL-FYL",
        "XHL-FYL-A",
        "3号楼 201",
        ["resident", "volunteer"],
        False,
    ),
    (
        "+8613900000013",
        "张秀英",
        date(1958, 7, 21),
        Gender.FEMALE,
        "XHL-FYL",
        "XHL-FYL-B",
        "8号楼 502",
        ["resident"],
        True,
    ),
    (
        "+8613900000014",
        "赵丽",
        date(1995, 1, 5),
        Gender.FEMALE,
        "XHL-FXL",
        "XHL-FXL-A",
        "12号楼 101",
        ["resident"],
        False,
    ),
    (
        "+8613900000015",
        "孙伟",
        date(1952, 12, 1),
        Gender.MALE,
        "XHL-FXL",
        "XHL-FXL-A",
        "12号楼 101",
        ["resident"],
        False,
    ),
]

# A person with no account of their own, and who acts for them.
DEPENDENTS = [
    ("刘桂兰", date(1941, 5, 8), Gender.FEMALE, "XHL-FYL", "XHL-FYL-A", "3号楼 201", True),
]

# grantee phone, person (phone or dependent name), relation
GRANTS = [
    ("+8613900000012", "+8613900000011", Relation.PARENT),
    ("+8613900000012", "刘桂兰", Relation.OTHER_RELATIVE),
    ("+8613900000014", "+8613900000015", Relation.PARENT),
]


async def _community(
    code: str, kind: CommunityKind, name: str, parent: Community | None, now: Any
) -> Community:
    existing = await Community.get_or_none(code=code)
    if existing is not None:
        return existing
    return await Community.create(code=code, kind=kind, name=name, parent=parent, created_at=now)


async def seed_identity(console: Any) -> None:
    """communities, staff, residents and families"""
    now = clock.now()
    password_hash = await tokens.hash_password(DEMO_PASSWORD)
    logins: list[tuple[str, str, str]] = []
    async with atomic():
        by_code: dict[str, Community] = {}
        for code, kind, name, parent in TREE:
            by_code[code] = await _community(code, kind, name, by_code.get(parent or ""), now)
        persons: dict[str, Person] = {}
        for phone, name, born, gender, cc, area, household, roles, disabled in PEOPLE:
            account = await Account.get_or_none(phone=phone)
            if account is None:
                person = await Person.create(
                    real_name=name,
                    birth_date=born,
                    gender=gender,
                    community=by_code[cc if cc != "XHL" else "XHL-FYL"],
                    area=by_code.get(area or ""),
                    household=household,
                    disabled=disabled,
                    verified=True,
                    verified_at=now,
                    created_at=now,
                )
                account = await Account.create(
                    phone=phone, password_hash=password_hash, person=person, created_at=now
                )
            person = await Person.get(pk=account.person_id)
            persons[phone] = person
            for role in roles:
                await Membership.get_or_create(
                    account=account,
                    community=by_code[cc],
                    role=Role(role),
                    defaults={"created_at": now},
                )
            age = rules.age_on(born, rules.local_date(now, "Asia/Shanghai"))
            logins.append((phone, f"{name} ({'/'.join(roles)}, {by_code[cc].name})", f"{age}岁"))
        for name, born, gender, cc, area, household, disabled in DEPENDENTS:
            person = await Person.filter(real_name=name, birth_date=born).first()
            if person is None:
                person = await Person.create(
                    real_name=name,
                    birth_date=born,
                    gender=gender,
                    community=by_code[cc],
                    area=by_code.get(area or ""),
                    household=household,
                    disabled=disabled,
                    verified=True,
                    verified_at=now,
                    created_at=now,
                )
            persons[name] = person
        for grantee_phone, who, relation in GRANTS:
            grantee = await Account.get(phone=grantee_phone)
            await ProxyGrant.get_or_create(
                account=grantee,
                person=persons[who],
                defaults={
                    "relation": relation,
                    "status": GrantStatus.VERIFIED,
                    "verified_via": "staff",
                    "created_at": now,
                    "verified_at": now,
                },
            )
    console.print(f"  demo logins (password [bold]{DEMO_PASSWORD}[/bold]):")
    for phone, who, age in logins:
        console.print(f"    {phone}  {who}, {age}")
