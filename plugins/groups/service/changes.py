"""Changes to a group after filing (G4–G6): details and leader, renewal, dissolution.

A material change of an approved group (name, leader, venue) claims the group first, with
the status machine's conditional UPDATE (APPROVED and no filing open → SUBMITTED): of two
concurrent changes exactly one wins and the other is INVALID_TRANSITION, whatever the
interleaving; only the winner goes on to number a filing and touch the roster.
"""

from __future__ import annotations

from typing import Any

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.models import Community

from .. import rules
from ..models import Filing, Group, JoinRequest, RosterEntry
from . import common
from .common import Status
from .filing import FORM_FIELDS, open_filing, submit_in


async def change_details(actor: Actor, group_id: int, changes: dict[str, Any]) -> Group:
    """G5: name, leader or venue of an approved group → a CHANGE filing for review, the group
    back to SUBMITTED (badge hidden), the approved version kept. Other details (schedule,
    charter) change in place, recorded as an approved version of their own. In a DRAFT or
    RETURNED group everything edits the open filing. A new leader takes over in the roster
    at once (G4): the change has happened; the filing asks for its approval."""
    group = await common.group_for(actor, group_id)
    status = Status(group.status)
    if status not in {Status.APPROVED, *rules.EDITABLE}:
        raise Refused("INVALID_TRANSITION", current=str(status), target="CHANGE")
    current = {f: getattr(group, f) for f in (*rules.MATERIAL_FIELDS, "schedule", "charter")}
    wanted = {k: v for k, v in changes.items() if v is not None and v != current.get(k)}
    if not wanted:
        raise Refused("NOTHING_CHANGED")
    texts = {k: v for k, v in wanted.items() if k != "leader_person_id"}
    if texts:
        wanted.update(rules.checked_text(**texts))
        if "name" in wanted:
            rules.check_excluded(group.kind, wanted["name"])
    s = await common.settings_for(group.community_id)
    at, day = common.now(), common.today(s)
    material = rules.material_changes(current, wanted)
    async with db.atomic():
        details = {**wanted, "updated_at": at}
        if status in rules.EDITABLE:
            if "leader_person_id" in wanted:
                await change_leader(group, wanted["leader_person_id"], day)
            filing = await open_filing(group)
            await Filing.filter(pk=filing.pk).update(**wanted)
            await Group.filter(pk=group.pk).update(**details)
        elif material:
            # The claim comes first: the group as read (APPROVED, this leader, no filing open)
            # → SUBMITTED in one conditional UPDATE. Of two concurrent changes the database
            # lets one through; the other is INVALID_TRANSITION before it writes anything.
            await common.move(
                Group,
                group,
                {Status.APPROVED},
                Status.SUBMITTED,
                actor,
                where={"open_filing_id": None, "leader_person_id": group.leader_person_id},
                updated_at=at,
            )
            if "leader_person_id" in wanted:
                await change_leader(group, wanted["leader_person_id"], day)
            filing = await _new_version(actor, group, wanted, material, at)
            await Group.filter(pk=group.pk).update(open_filing_id=filing.pk, **details)
            group.open_filing_id = filing.pk
            await submit_in(actor, group, filing, s, day)
        else:  # schedule or charter: no review needed, the new version approved as it stands
            filing = await _new_version(actor, group, wanted, material, at)
            await (
                Filing.filter(group_id=group.pk, status=Status.APPROVED)
                .exclude(pk=filing.pk)
                .update(status=Status.SUPERSEDED)
            )
            await Filing.filter(pk=filing.pk).update(
                status=Status.APPROVED, valid_until=group.approved_until, decided_at=at
            )
            await Group.filter(pk=group.pk).update(**details)
        await audit.record(
            actor, "groups.change", community_id=group.community_id, obj=group, fields=list(wanted)
        )
        await common.announce_group(group, common.CHANGED, "CHANGED")
    return await Group.get(pk=group.pk)


async def _next_version(
    actor: Actor, group: Group, kind: rules.FilingKind, at: Any, **values: Any
) -> Filing:
    """The group's next filing (a DRAFT): its details as they stand, with ``values`` over them.
    The number is unique per group, so a version numbered concurrently is INVALID_TRANSITION
    (the unique key decides, not the count read before it)."""
    keep = (*FORM_FIELDS, "review_community_id", "leader_person_id")
    return await kit.create_unless_exists(
        Filing,
        refuse=Refused("INVALID_TRANSITION", current=str(group.status), target=str(kind)),
        group_id=group.pk,
        number=await Filing.filter(group_id=group.pk).count() + 1,
        kind=kind,
        status=Status.DRAFT,
        created_by_account_id=actor.account_id,
        created_at=at,
        **{**{f: getattr(group, f) for f in keep}, **values},
    )


async def _new_version(
    actor: Actor, group: Group, wanted: dict[str, Any], material: list[str], at: Any
) -> Filing:
    """A CHANGE filing: the details with ``wanted`` applied, naming what changed."""
    changed = [*material] or list(wanted)
    return await _next_version(
        actor, group, rules.FilingKind.CHANGE, at, changed_fields=changed, **wanted
    )


async def change_leader(group: Group, new_leader: int, day: Any) -> None:
    """G4: the old leader's entry closes and reopens as a member, the new leader's member
    entry closes and reopens as leader, all on ``day``. The first conditional UPDATE is the
    guard: of two leader changes at once, one finds the leader entry already closed."""
    at = common.now()
    old = group.leader_person_id
    leader = await RosterEntry.get_or_none(group_id=group.pk, role="LEADER", until=None)
    member = await RosterEntry.get_or_none(
        group_id=group.pk, person_id=new_leader, role="MEMBER", until=None
    )
    if member is None:
        raise Refused("NOT_A_MEMBER", field="leaderId")
    if leader is None or leader.person_id != old:
        raise Refused("ONE_LEADER", field="leaderId")
    for entry, why in ((leader, "leader"), (member, "leader")):
        closed = await RosterEntry.filter(pk=entry.pk, until=None).update(
            until=rules.closing_day(entry.since, day), ended_by=why
        )
        if closed != 1:
            raise Refused("ONE_LEADER", field="leaderId")
    await RosterEntry.create(
        group_id=group.pk, person_id=new_leader, role="LEADER", since=day, created_at=at
    )
    await RosterEntry.create(
        group_id=group.pk, person_id=old, role="MEMBER", since=day, created_at=at
    )
    moved = await Group.filter(pk=group.pk, leader_person_id=old).update(
        leader_person_id=new_leader
    )
    if moved != 1:
        raise Refused("ONE_LEADER", field="leaderId")
    group.leader_person_id = new_leader


async def renew(actor: Actor, group_id: int) -> Filing:
    """G6: the annual re-filing inside the renewal window (or a re-filing after a lapse), the
    current details and roster as they stand."""
    group = await common.group_for(actor, group_id)
    s = await common.settings_for(group.community_id)
    at, day = common.now(), common.today(s)
    rules.check_renewal(group.status, group.approved_until, day, s)
    async with db.atomic():
        filing = await _next_version(actor, group, rules.FilingKind.RENEWAL, at)
        changed = await Group.filter(pk=group.pk, status=group.status, open_filing_id=None).update(
            open_filing_id=filing.pk, updated_at=at
        )
        if changed != 1:
            raise Refused("INVALID_TRANSITION", current=str(group.status), target="RENEWAL")
        await submit_in(actor, group, filing, s, day)
        await audit.record(actor, "groups.renew", community_id=group.community_id, obj=filing)
    return filing


async def dissolve(actor: Actor, group_id: int, reason: str | None = None) -> Group:
    """The leader or the reviewing staff end a group: its open filing and every open roster
    entry close, pending join requests are declined."""
    group = await common.group_for(actor, group_id)
    s = await common.settings_for(group.community_id)
    at, day = common.now(), common.today(s)
    text = (reason or "").strip()[:1000]
    async with db.atomic():
        await common.announce_group(group, common.DISSOLVED, "DISSOLVED")
        live = set(Status) - {Status.DISSOLVED, Status.SUPERSEDED}
        await common.move(
            Group, group, live, Status.DISSOLVED, actor, text, open_filing_id=None, updated_at=at
        )
        open_statuses = [*rules.EDITABLE, Status.SUBMITTED]
        for filing in await Filing.filter(group_id=group.pk, status__in=open_statuses):
            await common.move(Filing, filing, {Status(filing.status)}, Status.DISSOLVED, actor)
        for entry in await RosterEntry.filter(group_id=group.pk, until=None):
            await RosterEntry.filter(pk=entry.pk, until=None).update(
                until=rules.closing_day(entry.since, day), ended_by="dissolved"
            )
        await JoinRequest.filter(group_id=group.pk, status="PENDING").update(
            status="DECLINED", decided_at=at, decided_by_account_id=actor.account_id
        )
        await audit.record(actor, "groups.dissolve", community_id=group.community_id, obj=group)
    return group


async def may_organise(
    group_id: int, community_id: int, day: Any = None, person_id: int | None = None
) -> bool:
    """The answer to ``may_organise_from_group``, read from the database (never from events):
    an approved group inside its term (G6), active in that community (G2); with
    ``person_id``, that person also leads it today (G4: the group's one leader; a member
    does not organise for the group)."""
    group = await Group.get_or_none(pk=group_id)
    community = await Community.get_or_none(pk=community_id)
    if group is None or community is None:
        return False
    if person_id is not None and not rules.leads(group.leader_person_id, person_id):
        return False
    if day is None:
        day = rules.local_day(common.now(), community.time_zone)
    return rules.may_organise(group.status, group.approved_until, day) and rules.may_organise_in(
        group.level,
        group.community_id,
        group.street_office_id,
        group.other_community_ids,
        community.pk,
        community.parent_id,
    )


async def group_named(community_id: int, name: str) -> int | None:
    """The answer to ``group_named``: the community's own group of that name, not dissolved
    (the newest, should two share a name)."""
    found = (
        await Group.filter(community_id=community_id, name=name)
        .exclude(status=Status.DISSOLVED)
        .order_by("-id")
        .first()
        .values_list("id", flat=True)
    )
    return found
