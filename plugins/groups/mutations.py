"""The group registry's mutations: one input each, a payload with the result and ``errors``
(coded, localized). Global ids are decoded inside ``attempt``, so a bad id is a payload
error too. reviewGroupFiling also has ``warnings`` (BELOW_MINIMUM: the approval stood)."""

from __future__ import annotations

from typing import Any

import strawberry

from linli.core import graphql as g

from . import roster, rules, service
from .api import (
    Group,
    GroupCategory,
    GroupDecision,
    GroupError,
    GroupFiling,
    GroupJoinRequest,
    GroupKind,
    GroupLevel,
)
from .models import Group as GroupRow


def _group(gid: g.GlobalID) -> int:
    return g.pk(gid, "Group", field="groupId")


def _person(gid: g.GlobalID | None, field: str) -> int | None:
    return g.pk(gid, "Person", field=field)


def _communities(ids: list[g.GlobalID] | None) -> tuple[int, ...]:
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


def _form(input: Any, kind: Any = rules.GroupKind.ACTIVITY_TEAM) -> service.Form:
    return service.Form(
        name=input.name,
        category=rules.Category(input.category),
        level=rules.Level(input.level),
        venue=input.venue,
        schedule=input.schedule,
        charter=input.charter,
        kind=rules.GroupKind(kind),
        other_community_ids=_communities(input.other_community_ids),
    )


async def _group_of(row: Any) -> Group | None:
    return row and Group.from_model(await GroupRow.get(pk=row.group_id))


@strawberry.type
class GroupsMutation:
    @strawberry.mutation(description="File a group: a DRAFT with its roster (G1).")
    async def file_group(self, info: g.Info, input: FileGroupInput) -> FileGroupPayload:
        def work():
            return service.file_group(
                info.context.actor,
                g.pk(input.community_id, "Community", field="communityId"),
                _form(input, input.kind),
                _person(input.leader_id, "leaderId"),
                tuple(g.pk(m, "Person", field="memberIds") for m in input.member_ids or ()),
            )

        row, errors = await GroupError.attempt(info, work)
        return FileGroupPayload(group=row and Group.from_model(row), errors=errors)

    @strawberry.mutation(description="Edit a DRAFT or RETURNED filing.")
    async def update_group_filing(
        self, info: g.Info, input: UpdateGroupFilingInput
    ) -> UpdateGroupFilingPayload:
        def work():
            return service.update_filing(info.context.actor, _group(input.group_id), _form(input))

        row, errors = await GroupError.attempt(info, work)
        return UpdateGroupFilingPayload(group=row and Group.from_model(row), errors=errors)

    @strawberry.mutation(description="Submit the filing for review (G3).")
    async def submit_group_filing(
        self, info: g.Info, input: GroupIdInput
    ) -> SubmitGroupFilingPayload:
        row, errors = await GroupError.attempt(
            info, lambda: service.submit(info.context.actor, _group(input.group_id))
        )
        return SubmitGroupFilingPayload(
            filing=row and GroupFiling.from_model(row), group=await _group_of(row), errors=errors
        )

    @strawberry.mutation(
        description="Staff: APPROVE, REJECT (with a reason) or RETURN a "
        "submitted filing (G2, G3, G7)."
    )
    async def review_group_filing(
        self, info: g.Info, input: ReviewGroupFilingInput
    ) -> ReviewGroupFilingPayload:
        def work():
            filing = g.pk(input.filing_id, "GroupFiling", field="filingId")
            decision = rules.Decision(input.decision)
            return service.review(info.context.actor, filing, decision, input.reason)

        result, errors = await GroupError.attempt(info, work)
        if result is None:
            return ReviewGroupFilingPayload(errors=errors)
        warnings = [w for refusal in result.warnings for w in GroupError.of(refusal, info)]
        return ReviewGroupFilingPayload(
            filing=GroupFiling.from_model(result.filing),
            group=await _group_of(result.filing),
            warnings=warnings,
        )

    @strawberry.mutation(description="Change a group's details (G5).")
    async def change_group_details(
        self, info: g.Info, input: ChangeGroupDetailsInput
    ) -> ChangeGroupDetailsPayload:
        def work():
            changes = {
                "name": input.name,
                "leader_person_id": _person(input.leader_id, "leaderId"),
                "venue": input.venue,
                "schedule": input.schedule,
                "charter": input.charter,
            }
            return service.change_details(info.context.actor, _group(input.group_id), changes)

        row, errors = await GroupError.attempt(info, work)
        return ChangeGroupDetailsPayload(group=row and Group.from_model(row), errors=errors)

    @strawberry.mutation(description="Re-file inside the renewal window, or after a lapse (G6).")
    async def renew_group(self, info: g.Info, input: GroupIdInput) -> RenewGroupPayload:
        row, errors = await GroupError.attempt(
            info, lambda: service.renew(info.context.actor, _group(input.group_id))
        )
        return RenewGroupPayload(
            filing=row and GroupFiling.from_model(row), group=await _group_of(row), errors=errors
        )

    @strawberry.mutation(description="Ask to join a group (G8).")
    async def request_to_join_group(
        self, info: g.Info, input: RequestToJoinGroupInput
    ) -> RequestToJoinGroupPayload:
        def work():
            person = _person(input.person_id, "personId")
            return roster.request_to_join(
                info.context.actor, _group(input.group_id), person, input.message
            )

        row, errors = await GroupError.attempt(info, work)
        return RequestToJoinGroupPayload(
            request=row and GroupJoinRequest.from_model(row), errors=errors
        )

    @strawberry.mutation(description="The leader accepts or declines a request to join (G8).")
    async def decide_join_request(
        self, info: g.Info, input: DecideJoinRequestInput
    ) -> DecideJoinRequestPayload:
        def work():
            request = g.pk(input.request_id, "GroupJoinRequest", field="requestId")
            return roster.decide_join(info.context.actor, request, input.accept)

        row, errors = await GroupError.attempt(info, work)
        return DecideJoinRequestPayload(
            request=row and GroupJoinRequest.from_model(row), errors=errors
        )

    @strawberry.mutation(description="Leave a group (the leader hands over first).")
    async def leave_group(self, info: g.Info, input: LeaveGroupInput) -> LeaveGroupPayload:
        def work():
            person = _person(input.person_id, "personId")
            return roster.leave(info.context.actor, _group(input.group_id), person)

        row, errors = await GroupError.attempt(info, work)
        return LeaveGroupPayload(group=row and Group.from_model(row), errors=errors)

    @strawberry.mutation(description="The leader or reviewing staff take a member off.")
    async def remove_group_member(
        self, info: g.Info, input: RemoveGroupMemberInput
    ) -> RemoveGroupMemberPayload:
        def work():
            person = g.pk(input.person_id, "Person", field="personId")
            return roster.remove_member(info.context.actor, _group(input.group_id), person)

        row, errors = await GroupError.attempt(info, work)
        return RemoveGroupMemberPayload(group=row and Group.from_model(row), errors=errors)

    @strawberry.mutation(description="The leader or reviewing staff dissolve a group.")
    async def dissolve_group(self, info: g.Info, input: DissolveGroupInput) -> DissolveGroupPayload:
        def work():
            return service.dissolve(info.context.actor, _group(input.group_id), input.reason)

        row, errors = await GroupError.attempt(info, work)
        return DissolveGroupPayload(group=row and Group.from_model(row), errors=errors)
