"""E1, E2 the roll: computed from identity in SQL, its conflicts resolved by staff, published
once, then changed only by decided objections until voting opens.

Who is a voter (E1, ``rules.roll``): a verified person registered in this community, 18 or
more on election day in the community's local day. Registered means the person's community,
and any community (or area of one) where one of the person's accounts is a resident: a
person registered in two is a *conflict* staff resolve (one community only) before the roll
is published. The roll is written by one ``INSERT … SELECT`` (ALL_VOTERS): the same few
statements for 50 voters or 18,000, nothing per person in Python. The representative modes
(households, resident groups) pick voters by ``rules.roll.compute_roll`` over one read of the
community's adults and write them by one INSERT … SELECT of the picked ids.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from tortoise.expressions import F, Q

from linli.core import db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.access import require
from linli.core.identity.models import Membership, Person

from ..models import Election, Representative, RollConflict, RollEntry
from ..rules import roll as rules
from ..rules.deadlines import Act, Phase, check_act, check_window, roll_publication_window
from . import elections
from .common import load_for, ruled, since_creation, today_of


def adult_cutoff(election_day: dt.date) -> dt.date:
    """The latest birth date of a voter on ``election_day`` (E1), checked against the rule's
    own ``age_on`` so the SQL and the rule cannot disagree (29 February included)."""
    try:
        cutoff = election_day.replace(year=election_day.year - rules.VOTING_AGE)
    except ValueError:  # election day on 29 February: 18 years before has no 29th
        cutoff = dt.date(election_day.year - rules.VOTING_AGE, 2, 28)
    while rules.age_on(cutoff, election_day) < rules.VOTING_AGE:
        cutoff -= dt.timedelta(days=1)
    while rules.age_on(cutoff + dt.timedelta(days=1), election_day) >= rules.VOTING_AGE:
        cutoff += dt.timedelta(days=1)
    return cutoff


async def find_conflicts(election: Election) -> int:
    """E1: record every adult registered here and elsewhere (two queries, whatever the size);
    answer how many are still unresolved."""
    c, cutoff = election.community_id, adult_cutoff(election.election_day)
    adults = {"account__person__birth_date__lte": cutoff, "account__person__verified": True}
    found: dict[int, set[int]] = {}
    # Persons of this community who are residents somewhere else too.
    for person, community, parent, kind in await Membership.filter(
        role="resident", account__person__community_id=c, **adults
    ).exclude(community_id=c).values_list(
        "account__person_id", "community_id", "community__parent_id", "community__kind"
    ):
        other = parent if kind == "area" else community
        if other is not None and other != c:
            found.setdefault(person, {c}).add(other)
    # Persons of other communities who are residents here (or in one of its areas).
    for person, home in await Membership.filter(
        Q(community_id=c) | Q(community__parent_id=c), role="resident", **adults
    ).exclude(account__person__community_id=c).values_list(
        "account__person_id", "account__person__community_id"
    ):
        found.setdefault(person, {c}).add(home)
    known = set(await RollConflict.filter(election_id=election.pk).values_list(
        "person_id", flat=True))
    new = [RollConflict(election_id=election.pk, person_id=p, community_ids=sorted(cs))
           for p, cs in found.items() if p not in known]
    if new:
        await RollConflict.bulk_create(new, ignore_conflicts=True)
    return await RollConflict.filter(election_id=election.pk,
                                     resolved_community_id__isnull=True).count()


async def check_conflicts(actor: Actor, election_id: int) -> int:
    """Staff: find the election's registration conflicts now (before publication)."""
    election = await load_for(actor, election_id, "elections.manage")
    with ruled():
        check_act(Act.RESOLVE_CONFLICT, Phase(election.phase))
    return await find_conflicts(election)


async def resolve_conflict(actor: Actor, election_id: int, person_id: int,
                           community_id: int) -> RollConflict:
    """E1: staff decide the one community a person registered in several votes in."""
    election = await load_for(actor, election_id, "elections.manage")
    require(actor, "elections.manage", election.community_id)  # staff, not the committee
    with ruled():
        check_act(Act.RESOLVE_CONFLICT, Phase(election.phase))
    conflict = await RollConflict.get_or_none(election_id=election.pk, person_id=person_id)
    if conflict is None:
        raise Refused("NOT_A_CONFLICT", field="personId")
    if community_id not in conflict.community_ids:
        raise Refused("INVALID_INPUT", field="communityId")
    async with db.atomic():
        await RollConflict.filter(pk=conflict.pk).update(
            resolved_community_id=community_id, resolved_by_account_id=actor.account_id,
            resolved_at=kit.now())
        conflict.resolved_community_id = community_id
        await _audit(actor, election, "elections.roll.resolve_conflict", conflict,
                     person_id=person_id, resolved_community_id=community_id)
    return conflict


async def publish(actor: Actor, election_id: int) -> Election:
    """publishVoterRoll (E1, E2): staff or the election committee, in SETUP, at least
    ``roll_days_before`` days before election day, with every conflict resolved. Of two
    concurrent publications one wins (the phase move is guarded)."""
    election = await load_for(actor, election_id, "elections.manage")
    settings = election.rules_settings()
    today = await today_of(election)
    window = await since_creation(
        roll_publication_window(election.election_day, settings.deadlines()), election)
    with ruled():
        check_act(Act.PUBLISH_ROLL, Phase(election.phase))
        check_window(window, today)
    unresolved = await find_conflicts(election)
    if unresolved:
        raise Refused("ROLL_HAS_CONFLICTS", count=unresolved)
    async with db.atomic() as conn:
        await elections.move(election, Phase.ROLL_PUBLISHED, by=actor, kind="ROLL_PUBLISHED",
                             audit="elections.roll.publish",
                             changes={"roll_published_on": today})
        if election.electorate_mode == rules.ElectorateMode.ALL_VOTERS:
            await _insert_all_voters(conn, election)
        else:
            await _insert_representatives(conn, election,
                                          settings.roll(election.electorate_mode))
        size = await RollEntry.filter(election_id=election.pk).count()
        await Election.filter(pk=election.pk).update(roll_size=size)
    election.roll_size, election.roll_published_on = size, today
    return election


# The roll in one statement: this community's verified adults, minus those whose conflict is
# unresolved or resolved elsewhere, plus residents of other communities resolved here.
# A parameter in the select list is typed by its CAST (PostgreSQL would take it as text).
# Parameters: election, community, cutoff, election, community, election, election,
# community, community, cutoff.
_ROLL_SQL = (
    "INSERT INTO elections_roll_entry (election_id, person_id, name, household, resident_group) "
    "SELECT CAST(? AS BIGINT), p.id, p.real_name, p.household, COALESCE(a.name, '') "
    "FROM core_person p LEFT JOIN core_community a ON a.id = p.area_id "
    "WHERE p.community_id = ? AND p.verified AND p.birth_date <= ? "
    "AND p.id NOT IN (SELECT person_id FROM elections_roll_conflict WHERE election_id = ? "
    "AND (resolved_community_id IS NULL OR resolved_community_id <> ?)) "
    "UNION ALL "
    "SELECT CAST(? AS BIGINT), p.id, p.real_name, p.household, COALESCE(a.name, '') "
    "FROM core_person p LEFT JOIN core_community a ON a.id = p.area_id "
    "JOIN elections_roll_conflict k ON k.person_id = p.id AND k.election_id = ? "
    "AND k.resolved_community_id = ? "
    "WHERE p.community_id <> ? AND p.verified AND p.birth_date <= ?"
)


def _numbered(sql: str) -> str:
    """PostgreSQL's placeholders ($1, $2 …) for SQLite's (?)."""
    parts = sql.split("?")
    return "".join(part + (f"${i}" if i < len(parts) else "") for i, part in
                   enumerate(parts, start=1))


async def _insert_all_voters(conn: Any, election: Election) -> None:
    postgres = conn.capabilities.dialect == "postgres"
    cutoff: Any = adult_cutoff(election.election_day)
    cutoff = cutoff if postgres else cutoff.isoformat()
    e, c = election.pk, election.community_id
    params = [e, c, cutoff, e, c, e, e, c, c, cutoff]
    await conn.execute_query(_numbered(_ROLL_SQL) if postgres else _ROLL_SQL, params)


# The voters the rule picked, written by one statement whatever their number: their ids go
# as one parameter (a JSON array on SQLite, a bigint[] on PostgreSQL).
_PICKED_SQL = (
    "INSERT INTO elections_roll_entry (election_id, person_id, name, household, resident_group) "
    "SELECT CAST(? AS BIGINT), p.id, p.real_name, p.household, COALESCE(a.name, '') "
    "FROM core_person p LEFT JOIN core_community a ON a.id = p.area_id "
    "WHERE p.id IN ({ids}) ORDER BY p.id"
)
_PICKED_IDS = {"sqlite": "SELECT CAST(value AS INTEGER) FROM json_each(?)",
               "postgres": "SELECT unnest(CAST(? AS BIGINT[]))"}


async def _insert_representatives(conn: Any, election: Election,
                                  settings: rules.RollSettings) -> None:
    """E1's representative modes through the rule: one read of the community's adults, one
    of the named representatives, one INSERT of the voters it picks (the statements are the
    same for 10 households or 10,000)."""
    rows = await Person.filter(community_id=election.community_id, verified=True,
                               birth_date__isnull=False).values(
        "id", "birth_date", "household", "area_id")
    c = str(election.community_id)
    persons = [rules.Person(str(r["id"]), r["birth_date"], frozenset({c}),
                            r["household"] or None,
                            str(r["area_id"]) if r["area_id"] else None) for r in rows]
    named: dict[str, list[str]] = {}
    for unit, person in await Representative.filter(election_id=election.pk).values_list(
            "unit", "person_id"):
        named.setdefault(unit, []).append(str(person))
    roll = rules.compute_roll(persons, c, election.election_day, settings,
                              representatives=named)
    if not roll.voters:
        return
    dialect = conn.capabilities.dialect
    picked = [int(v) for v in roll.voters]
    sql = _PICKED_SQL.format(ids=_PICKED_IDS[dialect])
    if dialect == "postgres":
        await conn.execute_query(_numbered(sql), [election.pk, picked])
    else:
        await conn.execute_query(sql, [election.pk, json.dumps(picked)])


async def name_representatives(actor: Actor, election_id: int, unit: str,
                               person_ids: list[int]) -> int:
    """E1: staff record whom a household (or resident group) named, before publication."""
    election = await load_for(actor, election_id, "elections.manage")
    with ruled():
        check_act(Act.RESOLVE_CONFLICT, Phase(election.phase))
    unit = unit.strip()
    if not 1 <= len(unit) <= 100 or not 1 <= len(person_ids) <= 10:
        raise Refused("INVALID_INPUT", field="unit")
    found = await Person.filter(pk__in=person_ids, community_id=election.community_id).count()
    if found != len(set(person_ids)):
        raise Refused("NOT_FOUND", field="personIds")
    async with db.atomic():
        await Representative.filter(election_id=election.pk, unit=unit).delete()
        for person in dict.fromkeys(person_ids):
            await kit.create_unless_exists(
                Representative, refuse=Refused("INVALID_INPUT", field="personIds"),
                election_id=election.pk, unit=unit, person_id=person)
        await _audit(actor, election, "elections.roll.representatives", election, unit=unit,
                     count=len(set(person_ids)))
    return len(set(person_ids))


async def roll_status(actor: Actor, election_id: int) -> tuple[bool, str | None]:
    """amIOnTheRoll: (on the roll, why not: UNDER_18, OTHER_COMMUNITY, NOT_ON_ROLL, or
    ROLL_NOT_PUBLISHED)."""
    election = await load_for(actor, election_id)
    if election.roll_published_on is None:
        return False, "ROLL_NOT_PUBLISHED"
    person = actor.person_id
    if person is None:
        return False, "NOT_ON_ROLL"
    if await _entry(election_id=election.pk, person_id=person):
        return True, None
    row = await Person.get_or_none(pk=person).values("community_id", "birth_date")
    if row is None or row["community_id"] != election.community_id:
        return False, str(rules.Code.OTHER_COMMUNITY)
    if row["birth_date"] is None or rules.age_on(row["birth_date"], election.election_day) < 18:
        return False, str(rules.Code.UNDER_18)
    return False, str(rules.Code.NOT_ON_ROLL)


# The resident app's hot read: one statement, built once per database.
_entry = kit.hot_read(RollEntry, where=("election_id", "person_id"), limit=1)


async def on_roll(election_id: int, person_ids: list[int]) -> set[int]:
    """Which of ``person_ids`` are on the roll (one query): the rules' Container."""
    return set(await RollEntry.filter(election_id=election_id, person_id__in=person_ids)
               .values_list("person_id", flat=True))


async def change_size(election: Election, by: int) -> None:
    await Election.filter(pk=election.pk).update(roll_size=F("roll_size") + by)


async def _audit(actor: Actor, election: Election, action: str, obj: Any, **detail: Any) -> None:
    from linli.core import audit

    await audit.record(actor, action, community_id=election.community_id, obj=obj,
                       election_id=election.pk, **detail)

