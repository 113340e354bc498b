"""The inputs and payloads of the group registry's mutations (one input each, named after
the mutation), and the decoding of their global ids (inside ``attempt``: a bad id is a payload
error too)."""

from __future__ import annotations

from typing import Any

import strawberry

from linli.core import graphql as g

from .. import rules, service
from ..models import Group as GroupRow
from .types import (
    Group,
    GroupCategory,
    GroupDecision,
    GroupError,
    GroupFiling,
    GroupJoinRequest,
    GroupKind,
    GroupLevel,
)


def group_pk(gid: g.GlobalID) -> int:
    return g.pk(gid, "Group", field="groupId")


def person_pk(gid: g.GlobalID | None, field: str) -> int | None:
    return g.pk(gid, "Person", field=field)


def community_pks(ids: list[g.GlobalID] | None) -> tuple[int, ...]:
    return tuple(g.pk(gid, "Community", field="otherCommunityIds") for gid in ids or ())


@strawberry.input(description="The filing form (核准备案表) and its first roster (花名册).")
class FileGroupInput:
    community_id: g.GlobalID
    name: str
    category: GroupCategory
    level: GroupLevel
    venue: str
    schedule: str
    charter: str = ""
    kind: GroupKind = strawberry.field(
        default=rules.GroupKind.ACTIVITY_TEAM,
        description="What the group is (G1): owners' committees and profit-making groups are "
        "refused.",
    )
    other_community_ids: list[g.GlobalID] | None = strawberry.field(
        default=None,
        description="Other communities where it is active (then the street office reviews it, G2).",
    )
    leader_id: g.GlobalID | None = strawberry.field(
        default=None, description="The leader's Person (default: the caller's own)."
    )
    member_ids: list[g.GlobalID] | None = strawberry.field(
        default=None, description="Persons the caller may act for; others ask to join."
    )


@strawberry.input
class UpdateGroupFilingInput:
    group_id: g.GlobalID
    name: str
    category: GroupCategory
    level: GroupLevel
    venue: str
    schedule: str
    charter: str = ""
    other_community_ids: list[g.GlobalID] | None = None


@strawberry.input
class GroupIdInput:
    group_id: g.GlobalID


@strawberry.input
class ReviewGroupFilingInput:
    filing_id: g.GlobalID
    decision: GroupDecision
    reason: str | None = strawberry.field(
        default=None, description="Required to REJECT (the reason) and to RETURN (comments)."
    )


@strawberry.input(
    description="Changes to an approved group (G5: name, leader or venue go "
    "back to review). Omitted fields stay as they are."
)
class ChangeGroupDetailsInput:
    group_id: g.GlobalID
    name: str | None = None
    leader_id: g.GlobalID | None = None
    venue: str | None = None
    schedule: str | None = None
    charter: str | None = None


@strawberry.input
class RequestToJoinGroupInput:
    group_id: g.GlobalID
    person_id: g.GlobalID | None = strawberry.field(
        default=None, description="Who joins (default: the caller's own person)."
    )
    message: str = ""


@strawberry.input
class DecideJoinRequestInput:
    request_id: g.GlobalID
    accept: bool


@strawberry.input
class LeaveGroupInput:
    group_id: g.GlobalID
    person_id: g.GlobalID | None = None


@strawberry.input
class RemoveGroupMemberInput:
    group_id: g.GlobalID
    person_id: g.GlobalID


@strawberry.input
class DissolveGroupInput:
    group_id: g.GlobalID
    reason: str | None = None


FileGroupPayload = g.payload_type("FileGroupPayload", GroupError, group=Group)
UpdateGroupFilingPayload = g.payload_type("UpdateGroupFilingPayload", GroupError, group=Group)
SubmitGroupFilingPayload = g.payload_type(
    "SubmitGroupFilingPayload", GroupError, filing=GroupFiling, group=Group
)
ChangeGroupDetailsPayload = g.payload_type("ChangeGroupDetailsPayload", GroupError, group=Group)
RenewGroupPayload = g.payload_type("RenewGroupPayload", GroupError, filing=GroupFiling, group=Group)
RequestToJoinGroupPayload = g.payload_type(
    "RequestToJoinGroupPayload", GroupError, request=GroupJoinRequest
)
DecideJoinRequestPayload = g.payload_type(
    "DecideJoinRequestPayload", GroupError, request=GroupJoinRequest
)
LeaveGroupPayload = g.payload_type("LeaveGroupPayload", GroupError, group=Group)
RemoveGroupMemberPayload = g.payload_type("RemoveGroupMemberPayload", GroupError, group=Group)
DissolveGroupPayload = g.payload_type("DissolveGroupPayload", GroupError, group=Group)


@strawberry.type(description="The decision, and warnings about an approval that stood (G7).")
class ReviewGroupFilingPayload:
    filing: GroupFiling | None = None
    group: Group | None = None
    warnings: list[GroupError] = strawberry.field(default_factory=list)
    errors: list[GroupError] = strawberry.field(default_factory=list)


def form_of(input: Any, kind: Any = rules.GroupKind.ACTIVITY_TEAM) -> service.Form:
    return service.Form(
        name=input.name,
        category=rules.Category(input.category),
        level=rules.Level(input.level),
        venue=input.venue,
        schedule=input.schedule,
        charter=input.charter,
        kind=rules.GroupKind(kind),
        other_community_ids=community_pks(input.other_community_ids),
    )


async def group_of(row: Any) -> Group | None:
    return row and Group.from_model(await GroupRow.get(pk=row.group_id))
