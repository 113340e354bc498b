"""The primary and the slate (E5): startPrimary, publishSlate, slate(electionId)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from linli.core import graphql as g
from linli.core.graphql import GlobalID, ModelNode, from_row, model_nodes, pk

from .. import models
from ..service import slate as service
from .elections import election_for
from .types import Election, ElectionError


async def _visible(actor, row) -> bool:
    from linli.core.identity.access import can

    election = await models.Election.get_or_none(pk=row.election_id)
    return election is not None and can(actor, "elections.view", election.community_id)


@strawberry.type(name="ElectionCandidate",
                 description="E5 a line of the published slate, in its fixed order.")
class Candidate(ModelNode):
    post: str
    name: str
    position: int = strawberry.field(description="From 1 per post: the ballot's order.")
    person_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.Candidate) -> Candidate:
        return from_row(cls, row, person_pk=row.person_id)

    @strawberry.field
    def person_id(self) -> GlobalID:
        return GlobalID("Person", str(self.person_pk))

    resolve_nodes = model_nodes(models.Candidate, visible_to=_visible)


@strawberry.input
class StartPrimaryInput:
    election_id: GlobalID


@strawberry.input
class PublishSlateInput:
    election_id: GlobalID


def _election(input: StartPrimaryInput | PublishSlateInput) -> int:
    return pk(input.election_id, "Election", field="electionId")


@g.mutation(election=Election, error=ElectionError,
            description="Staff or the committee: close the nominations into a primary (预选) "
            "when a post has more nominees than its slate (E5); the ballot box opens its round.")
async def start_primary(info: Info, input: StartPrimaryInput) -> models.Election:
    return await service.start_primary(info.context.actor, _election(input))


@g.mutation(election=Election, error=ElectionError,
            description="Staff or the committee: publish the final slate (E5), once.")
async def publish_slate(info: Info, input: PublishSlateInput) -> models.Election:
    return await service.publish(info.context.actor, _election(input))


@strawberry.field(description="The published slate, per post in its fixed order (E5).")
async def slate(info: Info, election_id: GlobalID) -> list[Candidate]:
    election = await election_for(info, election_id)
    order = {"DIRECTOR": 0, "DEPUTY_DIRECTOR": 1, "MEMBER": 2}
    rows = await models.Candidate.filter(election_id=election.pk)
    rows.sort(key=lambda r: (order.get(r.post, 9), r.position))
    return [Candidate.from_model(r) for r in rows]
