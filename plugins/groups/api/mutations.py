"""The group registry's mutations: a payload with the result and ``errors`` (coded,
localized) each. reviewGroupFiling also has ``warnings`` (BELOW_MINIMUM: the approval stood)."""

from __future__ import annotations

import strawberry

from linli.core import graphql as g

from .. import rules, service
from ..service import roster
from .inputs import (
    ChangeGroupDetailsInput,
    ChangeGroupDetailsPayload,
    DecideJoinRequestInput,
    DecideJoinRequestPayload,
    DissolveGroupInput,
    DissolveGroupPayload,
    FileGroupInput,
    FileGroupPayload,
    GroupIdInput,
    LeaveGroupInput,
    LeaveGroupPayload,
    RemoveGroupMemberInput,
    RemoveGroupMemberPayload,
    RenewGroupPayload,
    RequestToJoinGroupInput,
    RequestToJoinGroupPayload,
    ReviewGroupFilingInput,
    ReviewGroupFilingPayload,
    SubmitGroupFilingPayload,
    UpdateGroupFilingInput,
    UpdateGroupFilingPayload,
    form_of,
    group_of,
    group_pk,
    person_pk,
)
from .types import Group, GroupError, GroupFiling, GroupJoinRequest


@strawberry.type
class GroupsMutation:
    @strawberry.mutation(description="File a group: a DRAFT with its roster (G1).")
    async def file_group(self, info: g.Info, input: FileGroupInput) -> FileGroupPayload:
        def work():
            return service.file_group(
                info.context.actor,
                g.pk(input.community_id, "Community", field="communityId"),
                form_of(input, input.kind),
                person_pk(input.leader_id, "leaderId"),
                tuple(g.pk(m, "Person", field="memberIds") for m in input.member_ids or ()),
            )

        row, errors = await GroupError.attempt(info, work)
        return FileGroupPayload(group=row and Group.from_model(row), errors=errors)

    @strawberry.mutation(description="Edit a DRAFT or RETURNED filing.")
    async def update_group_filing(
        self, info: g.Info, input: UpdateGroupFilingInput
    ) -> UpdateGroupFilingPayload:
        def work():
            return service.update_filing(
                info.context.actor, group_pk(input.group_id), form_of(input)
            )

        row, errors = await GroupError.attempt(info, work)
        return UpdateGroupFilingPayload(group=row and Group.from_model(row), errors=errors)

    @strawberry.mutation(description="Submit the filing for review (G3).")
    async def submit_group_filing(
        self, info: g.Info, input: GroupIdInput
    ) -> SubmitGroupFilingPayload:
        row, errors = await GroupError.attempt(
            info, lambda: service.submit(info.context.actor, group_pk(input.group_id))
        )
        return SubmitGroupFilingPayload(
            filing=row and GroupFiling.from_model(row), group=await group_of(row), errors=errors
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
            group=await group_of(result.filing),
            warnings=warnings,
        )

    @strawberry.mutation(description="Change a group's details (G5).")
    async def change_group_details(
        self, info: g.Info, input: ChangeGroupDetailsInput
    ) -> ChangeGroupDetailsPayload:
        def work():
            changes = {
                "name": input.name,
                "leader_person_id": person_pk(input.leader_id, "leaderId"),
                "venue": input.venue,
                "schedule": input.schedule,
                "charter": input.charter,
            }
            return service.change_details(info.context.actor, group_pk(input.group_id), changes)

        row, errors = await GroupError.attempt(info, work)
        return ChangeGroupDetailsPayload(group=row and Group.from_model(row), errors=errors)

    @strawberry.mutation(description="Re-file inside the renewal window, or after a lapse (G6).")
    async def renew_group(self, info: g.Info, input: GroupIdInput) -> RenewGroupPayload:
        row, errors = await GroupError.attempt(
            info, lambda: service.renew(info.context.actor, group_pk(input.group_id))
        )
        return RenewGroupPayload(
            filing=row and GroupFiling.from_model(row), group=await group_of(row), errors=errors
        )

    @strawberry.mutation(description="Ask to join a group (G8).")
    async def request_to_join_group(
        self, info: g.Info, input: RequestToJoinGroupInput
    ) -> RequestToJoinGroupPayload:
        def work():
            person = person_pk(input.person_id, "personId")
            return roster.request_to_join(
                info.context.actor, group_pk(input.group_id), person, input.message
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
            person = person_pk(input.person_id, "personId")
            return roster.leave(info.context.actor, group_pk(input.group_id), person)

        row, errors = await GroupError.attempt(info, work)
        return LeaveGroupPayload(group=row and Group.from_model(row), errors=errors)

    @strawberry.mutation(description="The leader or reviewing staff take a member off.")
    async def remove_group_member(
        self, info: g.Info, input: RemoveGroupMemberInput
    ) -> RemoveGroupMemberPayload:
        def work():
            person = g.pk(input.person_id, "Person", field="personId")
            return roster.remove_member(info.context.actor, group_pk(input.group_id), person)

        row, errors = await GroupError.attempt(info, work)
        return RemoveGroupMemberPayload(group=row and Group.from_model(row), errors=errors)

    @strawberry.mutation(description="The leader or reviewing staff dissolve a group.")
    async def dissolve_group(self, info: g.Info, input: DissolveGroupInput) -> DissolveGroupPayload:
        def work():
            return service.dissolve(info.context.actor, group_pk(input.group_id), input.reason)

        row, errors = await GroupError.attempt(info, work)
        return DissolveGroupPayload(group=row and Group.from_model(row), errors=errors)
