"""Filing use cases (G1–G3, G7): file a group, edit and submit its filing, review it.

One transaction each; the audit line commits with the act and events go out after the commit.
The conditional UPDATEs of the status machine decide concurrent requests (common.move).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from linli.core import audit, db
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.access import acting_for, can
from linli.core.identity.models import Community, CommunityKind

from .. import rules
from ..models import Filing, Group, GroupPlace, RosterEntry
from . import common
from .common import Status

FORM_FIELDS = ("name", "category", "level", "venue", "schedule", "charter", "other_community_ids")


@dataclasses.dataclass(frozen=True)
class Form:
    """The filing form (核准备案表) as the leader fills it in."""

    name: str
    category: rules.Category
    level: rules.Level
    venue: str
    schedule: str
    charter: str = ""
    kind: rules.GroupKind = rules.GroupKind.ACTIVITY_TEAM
    other_community_ids: tuple[int, ...] = ()


@dataclasses.dataclass(frozen=True)
class Review:
    filing: Filing
    warnings: list[Refused]


async def _check_form(form: Form, community: Community) -> dict[str, Any]:
    """G1 and the places the group is active (all communities of the same street office)."""
    rules.check_excluded(form.kind, form.name)
    text = rules.checked_text(
        name=form.name, venue=form.venue, schedule=form.schedule, charter=form.charter
    )
    others = sorted(set(form.other_community_ids) - {community.pk})
    if others and (
        await Community.filter(
            pk__in=others, kind=CommunityKind.COMMUNITY, parent_id=community.parent_id
        ).count()
        != len(others)
    ):
        raise Refused("INVALID_INPUT", field="otherCommunityIds", detail="otherCommunityIds")
    return {
        **text,
        "category": rules.Category(form.category),
        "level": rules.Level(form.level),
        "other_community_ids": others,
        "review_community_id": rules.reviewing_community(
            form.level, community.pk, community.parent_id, others
        ),
    }


async def file_group(
    actor: Actor,
    community_id: int,
    form: Form,
    leader_person_id: int | None = None,
    member_person_ids: tuple[int, ...] = (),
) -> Group:
    """G1: a DRAFT group with its first filing and its roster (the leader, and members the
    caller may act for: themselves, verified proxies' persons, or anyone for staff)."""
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    if not can(actor, "groups.file", community_id):
        raise Refused("FORBIDDEN", field="communityId")
    community = await Community.get_or_none(pk=community_id, kind=CommunityKind.COMMUNITY)
    if community is None:
        raise Refused("NOT_FOUND", field="communityId")
    leader_id = leader_person_id or actor.person_id
    if leader_id is None:
        raise Refused("INVALID_INPUT", field="leaderId", detail="leaderId")
    for field, ids in (("leaderId", (leader_id,)), ("memberIds", member_person_ids)):
        for person_id in ids:
            try:
                await acting_for(actor, person_id)
            except Refused as refusal:
                raise Refused(refusal.code, field=field) from refusal
    values = await _check_form(form, community)
    s = await common.settings_for(community.pk)
    at, day = common.now(), common.today(s)
    async with db.atomic():
        group = await Group.create(
            community_id=community.pk,
            street_office_id=community.parent_id,
            kind=form.kind,
            leader_person_id=leader_id,
            status=Status.DRAFT,
            created_at=at,
            updated_at=at,
            **values,
        )
        filing = await Filing.create(
            group=group,
            number=1,
            kind=rules.FilingKind.INITIAL,
            status=Status.DRAFT,
            leader_person_id=leader_id,
            created_by_account_id=actor.account_id,
            created_at=at,
            **values,
        )
        await Group.filter(pk=group.pk).update(open_filing_id=filing.pk)
        group.open_filing_id = filing.pk
        await common.GROUP_MACHINE.created(group, by=actor)
        await common.FILING_MACHINE.created(filing, by=actor)
        await set_places(group.pk, values["other_community_ids"])
        members = [pid for pid in dict.fromkeys(member_person_ids) if pid != leader_id]
        await RosterEntry.bulk_create(
            [RosterEntry(group=group, person_id=leader_id, role="LEADER", since=day, created_at=at)]
            + [
                RosterEntry(group=group, person_id=pid, role="MEMBER", since=day, created_at=at)
                for pid in members
            ]
        )
        await audit.record(actor, "groups.file", community_id=community.pk, obj=group)
    return group


async def set_places(group_id: int, others: list[int]) -> None:
    await GroupPlace.filter(group_id=group_id).delete()
    await GroupPlace.bulk_create([GroupPlace(group_id=group_id, community_id=c) for c in others])


async def open_filing(group: Group, editable: bool = True) -> Filing:
    wanted = rules.EDITABLE if editable else {Status.SUBMITTED}
    filing = await Filing.get_or_none(pk=group.open_filing_id) if group.open_filing_id else None
    if filing is None or Status(filing.status) not in wanted:
        raise Refused("INVALID_TRANSITION", current=str(group.status), target="EDIT")
    return filing


async def update_filing(actor: Actor, group_id: int, form: Form) -> Group:
    """Edit a DRAFT or RETURNED filing (and the group's details with it)."""
    group = await common.group_for(actor, group_id)
    filing = await open_filing(group)
    community = await Community.get(pk=group.community_id)
    values = await _check_form(form, community)
    async with db.atomic():
        changed = await Filing.filter(pk=filing.pk, status=filing.status).update(**values)
        if changed != 1:
            raise Refused("INVALID_TRANSITION", current=str(filing.status), target="EDIT")
        await Group.filter(pk=group.pk).update(updated_at=common.now(), **values)
        await set_places(group.pk, values["other_community_ids"])
        await audit.record(actor, "groups.update", community_id=group.community_id, obj=filing)
    return await Group.get(pk=group.pk)


async def member_count(group_id: int) -> int:
    return await RosterEntry.filter(group_id=group_id, until=None).count()


async def submit(actor: Actor, group_id: int) -> Filing:
    """G3: DRAFT or RETURNED → SUBMITTED, with its decision deadline."""
    group = await common.group_for(actor, group_id)
    filing = await open_filing(group)
    s = await common.settings_for(group.community_id)
    day = common.today(s)
    async with db.atomic():
        await submit_in(actor, group, filing, s, day)
        await audit.record(actor, "groups.submit", community_id=group.community_id, obj=filing)
    return filing


async def filing_for_review(actor: Actor, filing_id: int) -> Filing:
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    filing = await Filing.get_or_none(pk=filing_id)
    if filing is None:
        raise Refused("NOT_FOUND", field="filingId")
    if not common.reviews(actor, filing):
        raise Refused("OUTSIDE_JURISDICTION", field="filingId")  # G2
    return filing


async def review(
    actor: Actor, filing_id: int, decision: rules.Decision, reason: str | None
) -> Review:
    """G3: APPROVE, REJECT (with a reason) or RETURN (with comments) a submitted filing.

    The conditional UPDATE on SUBMITTED is the guard: of two staff deciding at once one wins,
    the other gets INVALID_TRANSITION. An approval below the category's minimum still
    succeeds, with a BELOW_MINIMUM warning (G7)."""
    filing = await filing_for_review(actor, filing_id)
    text = rules.decision_text(decision, reason)
    group = await Group.get(pk=filing.group_id)
    s = await common.settings_for(group.community_id)
    day, at = common.today(s), common.now()
    decided = rules.DECISION_STATUS[rules.Decision(decision)]
    warnings: list[Refused] = []
    async with db.atomic():
        values: dict[str, Any] = {
            "decision": decision,
            "decision_reason": text,
            "decided_at": at,
            "decided_by_account_id": actor.account_id,
        }
        if decided is Status.APPROVED:
            values["valid_until"] = rules.valid_until(day, s)
        await common.move(Filing, filing, {Status.SUBMITTED}, decided, actor, text, **values)
        after = rules.group_status_after(filing.kind, decided)
        group_values: dict[str, Any] = {"updated_at": at}
        if decided is not Status.RETURNED:
            group_values["open_filing_id"] = None
        if after is Status.APPROVED:
            await (
                Filing.filter(group_id=group.pk, status=Status.APPROVED)
                .exclude(pk=filing.pk)
                .update(status=Status.SUPERSEDED)
            )
            group_values.update(
                approved_at=at,
                approved_until=filing.valid_until,
                **{f: getattr(filing, f) for f in FORM_FIELDS},
            )
            await set_places(group.pk, filing.other_community_ids)
            count = await member_count(group.pk)
            if not rules.compliant(group.category, count, s):
                minimum = s.minimum_for(group.category)
                warnings.append(Refused("BELOW_MINIMUM", members=count, minimum=minimum))
        if after == group.status:
            await Group.filter(pk=group.pk).update(**group_values)
        else:
            await common.move(Group, group, {Status(group.status)}, after, actor, **group_values)
        await audit.record(
            actor,
            f"groups.review.{rules.Decision(decision).value.lower()}",
            community_id=group.community_id,
            obj=filing,
        )
        await common.announce_review(filing, "DECIDED")
        topic = {Status.APPROVED: common.APPROVED, Status.LAPSED: common.LAPSED}.get(after)
        await common.announce_group(group, topic, f"FILING_{decided.value}")
    return Review(filing, warnings)


async def submit_in(
    actor: Actor, group: Group, filing: Filing, s: rules.GroupSettings, day: Any
) -> None:
    """G3: the filing (DRAFT or RETURNED) → SUBMITTED with its deadline, inside the caller's
    transaction; the group goes with it, except an approved group's renewal (it stays valid
    while the renewal waits, G6)."""
    await common.move(
        Filing,
        filing,
        rules.EDITABLE,
        Status.SUBMITTED,
        actor,
        submitted_at=common.now(),
        submitted_day=day,
        deadline=rules.decision_deadline(day, s),
        member_count=await member_count(group.pk),
        overdue_announced_at=None,
    )
    renewing = filing.kind == rules.FilingKind.RENEWAL and group.status == Status.APPROVED
    if not renewing and group.status != Status.SUBMITTED:  # a change claimed it already
        await common.move(Group, group, {Status(group.status)}, Status.SUBMITTED, actor)
    await common.announce_review(filing, "FILED")
