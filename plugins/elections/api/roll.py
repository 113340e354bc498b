"""The roll (E1, E2): publishVoterRoll, conflicts and representatives (staff), objections,
voterRoll (names and household/group only: never an ID number or a phone), amIOnTheRoll."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterable

import strawberry
from strawberry.relay import to_base64
from strawberry.types import Info

from linli.core import graphql as g
from linli.core.graphql import (
    Connection,
    GlobalID,
    ModelNode,
    api_errors,
    connection,
    from_row,
    mapped,
    model_nodes,
    pk,
)

from .. import models
from ..service import roll
from ..service import roll_objections as objections_service
from .elections import election_for
from .types import Election, ElectionError


@strawberry.type(name="ElectionRollEntry", description="A voter on a published roll (E1).")
class RollEntry:
    name: str
    household: str
    resident_group: str = strawberry.field(description="The resident group (小区) of the voter.")
    # A plain attribute filled once per row (the executor's leaf fast path: a page is a hot
    # read), not a resolver per row.
    person_id: strawberry.ID = strawberry.field(
        description="The voter's person (for an objection or a nomination): its global id.")

    @classmethod
    def from_model(cls, row: models.RollEntry) -> RollEntry:
        return cls(name=row.name, household=row.household, resident_group=row.resident_group,
                   person_id=to_base64("Person", row.person_id))


@strawberry.type(name="ElectionRollStatus")
class RollStatus:
    on_roll: bool
    reason: str | None = strawberry.field(
        description="Why not: UNDER_18, OTHER_COMMUNITY, NOT_ON_ROLL or ROLL_NOT_PUBLISHED."
    )


@strawberry.type(name="ElectionRollConflict",
                 description="E1 a person registered in several communities (staff resolve).")
class RollConflict:
    resolved_community_pk: strawberry.Private[int | None]
    community_pks: strawberry.Private[list[int]]
    person_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.RollConflict) -> RollConflict:
        return cls(resolved_community_pk=row.resolved_community_id,
                   community_pks=list(row.community_ids), person_pk=row.person_id)

    @strawberry.field
    def person_id(self) -> GlobalID:
        return GlobalID("Person", str(self.person_pk))

    @strawberry.field
    def community_ids(self) -> list[GlobalID]:
        return [GlobalID("Community", str(c)) for c in self.community_pks]

    @strawberry.field
    def resolved_community_id(self) -> GlobalID | None:
        c = self.resolved_community_pk
        return None if c is None else GlobalID("Community", str(c))


async def _objection_visible(actor, row) -> bool:
    from linli.core.identity.access import can

    election = await models.Election.get_or_none(pk=row.election_id)
    return election is not None and can(actor, "elections.view", election.community_id)


@strawberry.type(name="ElectionRollObjection",
                 description="E2 an objection to the roll and its published decision.")
class RollObjection(ModelNode):
    kind: str = strawberry.field(description="MISSING or NOT_ELIGIBLE.")
    reason: str
    status: str = strawberry.field(description="FILED, UPHELD or REJECTED.")
    filed_on: dt.date
    decided_on: dt.date | None
    decision_note: str
    subject_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.RollObjection) -> RollObjection:
        return from_row(cls, row, subject_pk=row.subject_person_id)

    @strawberry.field
    def subject_person_id(self) -> GlobalID:
        return GlobalID("Person", str(self.subject_pk))

    resolve_nodes = model_nodes(models.RollObjection, visible_to=_objection_visible)


@strawberry.input
class ElectionInput:
    election_id: GlobalID


PublishVoterRollInput = strawberry.input(type("PublishVoterRollInput", (ElectionInput,), {}))
CheckRollConflictsInput = strawberry.input(type("CheckRollConflictsInput", (ElectionInput,), {}))


@strawberry.input
class ResolveRollConflictInput:
    election_id: GlobalID
    person_id: GlobalID
    community_id: GlobalID = strawberry.field(description="The one community the person votes in.")


@strawberry.input
class NameRollRepresentativesInput:
    election_id: GlobalID
    unit: str = strawberry.field(description="The household, or the resident group (its id).")
    person_ids: list[GlobalID]


@strawberry.input
class FileRollObjectionInput:
    election_id: GlobalID
    kind: str = strawberry.field(description="MISSING (someone left out) or NOT_ELIGIBLE.")
    subject_person_id: GlobalID
    reason: str = ""


@strawberry.input
class DecideRollObjectionInput:
    objection_id: GlobalID
    uphold: bool
    note: str = ""


def _election(input: ElectionInput) -> int:
    return pk(input.election_id, "Election", field="electionId")


@g.mutation(election=Election, error=ElectionError,
            description="Staff or the election committee: publish the voter roll, computed "
            "from identity (E1, E2).")
async def publish_voter_roll(info: Info, input: PublishVoterRollInput) -> models.Election:  # type: ignore[valid-type]
    return await roll.publish(info.context.actor, _election(input))


@g.mutation(unresolved=int, error=ElectionError,
            description="Staff: find the registration conflicts (E1) before publishing.")
async def check_roll_conflicts(info: Info, input: CheckRollConflictsInput) -> int:  # type: ignore[valid-type]
    return await roll.check_conflicts(info.context.actor, _election(input))


@g.mutation(conflict=RollConflict, error=ElectionError,
            description="Staff: the one community a person registered in several votes in (E1).")
async def resolve_roll_conflict(info: Info, input: ResolveRollConflictInput
                                ) -> models.RollConflict:
    return await roll.resolve_conflict(
        info.context.actor, _election(input), pk(input.person_id, "Person", field="personId"),
        pk(input.community_id, "Community", field="communityId"))


@g.mutation(named=int, error=ElectionError,
            description="Staff: whom a household or resident group named to vote (E1's "
            "representative modes).")
async def name_roll_representatives(info: Info, input: NameRollRepresentativesInput) -> int:
    people = [pk(gid, "Person", field="personIds") for gid in input.person_ids]
    return await roll.name_representatives(info.context.actor, _election(input), input.unit,
                                           people)


@g.mutation(objection=RollObjection, error=ElectionError,
            description="Any voter or resident: object to the roll within its window (E2).")
async def file_roll_objection(info: Info, input: FileRollObjectionInput) -> models.RollObjection:
    return await objections_service.file(
        info.context.actor, _election(input), kind=input.kind, reason=input.reason,
        subject_person_id=pk(input.subject_person_id, "Person", field="subjectPersonId"))


@g.mutation(objection=RollObjection, error=ElectionError,
            description="Staff or the election committee: decide an objection within its "
            "window; the decision is published (E2).")
async def decide_roll_objection(info: Info, input: DecideRollObjectionInput
                                ) -> models.RollObjection:
    key = pk(input.objection_id, "ElectionRollObjection", field="objectionId")
    return await objections_service.decide(info.context.actor, key, uphold=input.uphold,
                                        note=input.note)


@connection(Connection[RollEntry], description="The published roll: names and household or "
            "resident group, in the order it was computed (never ID numbers or phones).")
async def voter_roll(info: Info, election_id: GlobalID) -> AsyncIterable[RollEntry]:
    election = await election_for(info, election_id)
    if election.roll_published_on is None:
        return mapped(models.RollEntry.filter(pk=-1), RollEntry.from_model)
    return mapped(models.RollEntry.filter(election_id=election.pk).order_by("id"),
                  RollEntry.from_model)


@strawberry.field(description="Is the caller on the election's roll, and if not, why?")
async def am_i_on_the_roll(info: Info, election_id: GlobalID) -> RollStatus:
    await election_for(info, election_id)
    with api_errors(info):
        on, reason = await roll.roll_status(
            info.context.actor, pk(election_id, "Election", field="electionId"))
    return RollStatus(on_roll=on, reason=reason)


@strawberry.field(description="Staff: the election's registration conflicts (E1).")
async def roll_conflicts(info: Info, election_id: GlobalID) -> list[RollConflict]:
    election = await election_for(info, election_id, "elections.manage")
    rows = await models.RollConflict.filter(election_id=election.pk).order_by("id")
    return [RollConflict.from_model(r) for r in rows]


@strawberry.field(description="The objections to the roll and their decisions (E2).")
async def roll_objections(info: Info, election_id: GlobalID) -> list[RollObjection]:
    election = await election_for(info, election_id)
    rows = await models.RollObjection.filter(election_id=election.pk).order_by("id")
    return [RollObjection.from_model(r) for r in rows]

