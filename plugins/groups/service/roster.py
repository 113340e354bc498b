"""Membership use cases (G4, G8): join requests, accepting, leaving, removing, the roster as
of a day, and who may see contact details.

The roster is history (G4): an entry is closed, never changed or deleted. What must hold
under concurrency is held by the database: the accept is a conditional UPDATE of the
request (one winner among concurrent accepts) and the entry an insert under the partial
unique index "one open entry per member".
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from tortoise.functions import Count

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.access import acting_for
from linli.core.identity.models import Account, Person

from .. import rules
from ..models import Group, JoinRequest, RosterEntry
from . import common
from .common import Status


async def request_to_join(
    actor: Actor, group_id: int, person_id: int | None = None, message: str = ""
) -> JoinRequest:
    """G8: ask to join a group (for oneself or a person one acts for)."""
    group = await common.group_for(actor, group_id, manage=False)
    target = person_id or actor.person_id
    if target is None:
        raise Refused("INVALID_INPUT", field="personId", detail="personId")
    person = (await acting_for(actor, target)).person
    if Status(group.status) not in rules.JOINABLE:
        raise Refused("GROUP_NOT_ACTIVE", field="groupId")
    if await RosterEntry.exists(group_id=group.pk, person_id=person.pk, until=None):
        raise Refused("ALREADY_MEMBER", field="groupId")
    text = (message or "").strip()
    if len(text) > 200:
        raise Refused("TEXT_TOO_LONG", field="message", max=200)
    async with db.atomic():
        request = await kit.create_unless_exists(  # one pending request per person and group
            JoinRequest,
            refuse=Refused("ALREADY_REQUESTED", field="groupId"),
            group_id=group.pk,
            person_id=person.pk,
            message=text,
            requested_by_account_id=actor.account_id,
            created_at=common.now(),
        )
        await common.announce_group(group, None, "JOIN_REQUESTED")
    return request


async def decide_join(actor: Actor, request_id: int, accept: bool) -> JoinRequest:
    """The leader (or reviewing staff) accepts or declines; of concurrent accepts exactly one
    moves the request and adds the roster entry, the others get INVALID_TRANSITION."""
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    request = await JoinRequest.get_or_none(pk=request_id)
    if request is None:
        raise Refused("NOT_FOUND", field="requestId")
    group = await Group.get(pk=request.group_id)
    if not common.manages(actor, group):
        raise Refused("NOT_FOUND", field="requestId")
    if accept and Status(group.status) not in rules.JOINABLE:
        raise Refused("GROUP_NOT_ACTIVE", field="requestId")
    s = await common.settings_for(group.community_id)
    at, day = common.now(), common.today(s)
    status = "ACCEPTED" if accept else "DECLINED"
    async with db.atomic():
        moved = await JoinRequest.filter(pk=request.pk, status="PENDING").update(
            status=status, decided_at=at, decided_by_account_id=actor.account_id
        )
        if moved != 1:
            raise Refused("INVALID_TRANSITION", current=request.status, target=status)
        if accept:  # one open entry per member: the partial unique index decides
            await kit.create_unless_exists(
                RosterEntry,
                refuse=Refused("ALREADY_MEMBER", field="requestId"),
                group_id=group.pk,
                person_id=request.person_id,
                role="MEMBER",
                since=day,
                created_at=at,
            )
            await audit.record(
                actor,
                "groups.member.add",
                community_id=group.community_id,
                obj=group,
                person_id=request.person_id,
            )
        await common.announce_group(group, None, f"JOIN_{status}")
    request.status = status
    return request


async def _close(actor: Actor, group: Group, person_id: int, why: str) -> None:
    s = await common.settings_for(group.community_id)
    day = common.today(s)
    entry = await RosterEntry.get_or_none(group_id=group.pk, person_id=person_id, until=None)
    if entry is None:
        raise Refused("NOT_A_MEMBER", field="personId")
    if entry.role == rules.Role.LEADER:
        raise Refused("ONE_LEADER", field="personId")  # hand over first: one leader always
    async with db.atomic():
        closed = await RosterEntry.filter(pk=entry.pk, until=None).update(
            until=rules.closing_day(entry.since, day), ended_by=why
        )
        if closed != 1:
            raise Refused("NOT_A_MEMBER", field="personId")
        await audit.record(
            actor,
            f"groups.member.{why}",
            community_id=group.community_id,
            obj=group,
            person_id=person_id,
        )
        await common.announce_group(group, None, f"MEMBER_{why.upper()}")


async def leave(actor: Actor, group_id: int, person_id: int | None = None) -> Group:
    """A member leaves (or one acting for them takes them out)."""
    group = await common.group_for(actor, group_id, manage=False)
    target = person_id or actor.person_id
    if target is None:
        raise Refused("INVALID_INPUT", field="personId", detail="personId")
    person = (await acting_for(actor, target)).person
    await _close(actor, group, person.pk, "left")
    return group


async def remove_member(actor: Actor, group_id: int, person_id: int) -> Group:
    """The leader or reviewing staff take a member off the roster."""
    group = await common.group_for(actor, group_id)
    await _close(actor, group, person_id, "removed")
    return group


# ---------------------------------------------------------------- reading the roster


@dataclasses.dataclass(frozen=True)
class RosterLine:
    entry: RosterEntry
    name: str
    phone: str | None


def may_see_roster(actor: Actor, group: Group) -> bool:
    """The roster with contact details: the group's leader and its reviewing staff only."""
    return common.manages(actor, group)


async def roster(actor: Actor, group_id: int, as_of: dt.date | None = None) -> list[RosterLine]:
    """G4: the roster at the end of ``as_of`` (today by default), leader first."""
    group = await common.group_for(actor, group_id)
    if as_of is None:
        as_of = common.today(await common.settings_for(group.community_id))
    return await roster_lines(group.pk, as_of)


async def roster_lines(group_id: int, as_of: dt.date) -> list[RosterLine]:
    entries = await RosterEntry.filter(group_id=group_id, since__lte=as_of).filter(
        db_or_open(as_of)
    )
    entries = [e for e in entries if rules.active_on(_plain(e), as_of)]  # [since, until)
    entries.sort(key=lambda e: (e.role != rules.Role.LEADER, e.person_id))
    ids = [e.person_id for e in entries]
    names = dict(await Person.filter(pk__in=ids).values_list("id", "real_name")) if ids else {}
    phones: dict[int, str] = {}
    if ids:
        for person_id, phone in (
            await Account.filter(person_id__in=ids).order_by("id").values_list("person_id", "phone")
        ):
            phones.setdefault(person_id, phone)
    return [RosterLine(e, names.get(e.person_id, ""), phones.get(e.person_id)) for e in entries]


async def member_counts(group_ids: list[int]) -> list[int]:
    """Open roster entries per group, in one grouped query (the directory's page)."""
    rows = (
        await RosterEntry.filter(group_id__in=group_ids, until=None)
        .annotate(n=Count("id"))
        .group_by("group_id")
        .values_list("group_id", "n")
    )
    counts = dict(rows)
    return [counts.get(gid, 0) for gid in group_ids]


def db_or_open(as_of: dt.date):
    from tortoise.expressions import Q

    return Q(until=None) | Q(until__gt=as_of)


def _plain(entry: RosterEntry) -> rules.Entry:
    return rules.Entry(entry.person_id, entry.role, entry.since, entry.until)
