"""Nominations (E4): nominateCandidate (alone or jointly), confirmNomination,
acceptNomination / declineNomination, nominations(electionId)."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from linli.core import graphql as g
from linli.core import kit
from linli.core.graphql import GlobalID, ModelNode, from_row, model_nodes, pk

from .. import models
from ..service import nominations as service
from .elections import election_for
from .types import ElectionError

nominators_of = kit.all_of(models.Nominator, "nomination_id")


@kit.loader
async def names_of(person_ids: list[int]) -> list[str]:
    """Names as the roll lists them (a nominee and nominators are voters)."""
    from linli.core.identity.models import Person

    names = dict(await Person.filter(pk__in=sorted(set(person_ids))).values_list(
        "id", "real_name"))
    return [names.get(p, "") for p in person_ids]


async def _visible(actor, row) -> bool:
    from linli.core.identity.access import can

    election = await models.Election.get_or_none(pk=row.election_id)
    return election is not None and can(actor, "elections.view", election.community_id)


@strawberry.type(name="ElectionNominator")
class Nominator:
    name: str
    proposer: bool
    confirmed: bool
    person_pk: strawberry.Private[int]

    @strawberry.field
    def person_id(self) -> GlobalID:
        return GlobalID("Person", str(self.person_pk))


@strawberry.type(name="ElectionNomination", description="E4 a nomination for a post.")
class Nomination(ModelNode):
    post: str
    status: str = strawberry.field(
        description="AWAITING_CONFIRMATION, AWAITING_ANSWER, ACCEPTED or DECLINED.")
    created_at: dt.datetime
    nominee_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.Nomination) -> Nomination:
        return from_row(cls, row, nominee_pk=row.nominee_person_id)

    @strawberry.field
    def nominee_id(self) -> GlobalID:
        return GlobalID("Person", str(self.nominee_pk))

    @strawberry.field
    async def nominee_name(self, info: Info) -> str:
        return await names_of.load(info, self.nominee_pk)

    @strawberry.field(description="The proposer first, then the co-nominators.")
    async def nominators(self, info: Info) -> list[Nominator]:
        rows = sorted(await nominators_of.load(info, self.pk), key=lambda r: (not r.proposer, r.pk))
        return [Nominator(name=await names_of.load(info, r.person_id), proposer=r.proposer,
                          confirmed=r.confirmed_at is not None, person_pk=r.person_id)
                for r in rows]

    resolve_nodes = model_nodes(models.Nomination, visible_to=_visible)


@strawberry.input
class NominateCandidateInput:
    election_id: GlobalID
    post: str = strawberry.field(description="DIRECTOR, DEPUTY_DIRECTOR or MEMBER.")
    nominee_id: GlobalID
    co_nominator_ids: list[GlobalID] = strawberry.field(
        default_factory=list, description="Voters nominating jointly; each confirms.")


@strawberry.input
class NominationInput:
    nomination_id: GlobalID


ConfirmNominationInput = strawberry.input(type("ConfirmNominationInput", (NominationInput,), {}))
AcceptNominationInput = strawberry.input(type("AcceptNominationInput", (NominationInput,), {}))
DeclineNominationInput = strawberry.input(type("DeclineNominationInput", (NominationInput,), {}))

def _nomination(input: NominationInput) -> int:
    return pk(input.nomination_id, "ElectionNomination", field="nominationId")


@g.mutation(nomination=Nomination, error=ElectionError,
            description="A voter nominates a voter for a post, alone or jointly (E4).")
async def nominate_candidate(info: Info, input: NominateCandidateInput) -> models.Nomination:
    return await service.nominate(
        info.context.actor, pk(input.election_id, "Election", field="electionId"),
        post=input.post, nominee=pk(input.nominee_id, "Person", field="nomineeId"),
        co_nominators=[pk(gid, "Person", field="coNominatorIds") for gid in input.co_nominator_ids])


@g.mutation(nomination=Nomination, error=ElectionError,
            description="A co-nominator confirms a joint nomination (E4).")
async def confirm_nomination(info: Info, input: ConfirmNominationInput) -> models.Nomination:  # type: ignore[valid-type]
    return await service.confirm(info.context.actor, _nomination(input))


@g.mutation(nomination=Nomination, error=ElectionError,
            description="The nominee accepts; a committee member who accepts leaves the "
            "committee (E4).")
async def accept_nomination(info: Info, input: AcceptNominationInput) -> models.Nomination:  # type: ignore[valid-type]
    return await service.answer(info.context.actor, _nomination(input), accept=True)


@g.mutation(nomination=Nomination, error=ElectionError, description="The nominee declines (E4).")
async def decline_nomination(info: Info, input: DeclineNominationInput) -> models.Nomination:  # type: ignore[valid-type]
    return await service.answer(info.context.actor, _nomination(input), accept=False)


@strawberry.field(description="An election's nominations, declined ones included (E4).")
async def nominations(info: Info, election_id: GlobalID) -> list[Nomination]:
    election = await election_for(info, election_id)
    rows = await models.Nomination.filter(election_id=election.pk).order_by("post", "id")
    return [Nomination.from_model(r) for r in rows]
