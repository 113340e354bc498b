"""The election itself: createElection, election(id), elections(communityId)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterable

import strawberry
from strawberry.types import Info

from linli.core import graphql as g
from linli.core.errors import ApiError
from linli.core.graphql import (
    Connection,
    GlobalID,
    allowed_community,
    api_errors,
    connection,
    mapped,
    pk,
    require_login,
)

from .. import models
from ..service import common
from ..service import elections as election_service
from .types import Election, ElectionError


@strawberry.input(description="E3: seats per post (one director, 5–9 in all by default).")
class ElectionSeatsInput:
    director: int = 1
    deputy_director: int = 0
    member: int = 0


@strawberry.input
class CreateElectionInput:
    community_id: GlobalID
    title: str
    election_day: dt.date = strawberry.field(description="The community's local date.")
    seats: ElectionSeatsInput
    electorate_mode: str | None = strawberry.field(
        default=None, description="E1: default the community's setting."
    )
    committee: list[GlobalID] = strawberry.field(
        default_factory=list, description="Persons of the election committee (residents)."
    )
    chair: GlobalID | None = None


@g.mutation(election=Election, error=ElectionError,
            description="Staff: create an election (phase SETUP).")
async def create_election(info: Info, input: CreateElectionInput) -> models.Election:
    community = pk(input.community_id, "Community", field="communityId")
    seats = {"DIRECTOR": input.seats.director, "DEPUTY_DIRECTOR": input.seats.deputy_director,
             "MEMBER": input.seats.member}
    committee = [pk(gid, "Person", field="committee") for gid in input.committee]
    chair = pk(input.chair, "Person", field="chair")
    return await election_service.create(
        info.context.actor, community, title=input.title, election_day=input.election_day,
        seats=seats, electorate_mode=input.electorate_mode, committee=committee, chair=chair,
    )


async def election_for(info: Info, election_id: GlobalID, action: str = "elections.view"
                       ) -> models.Election:
    """The election a query is about, or a coded error (NOT_FOUND when it is not visible)."""
    require_login(info)
    with api_errors(info):
        key = pk(election_id, "Election", field="electionId")
        return await common.load_for(info.context.actor, key, action)


@strawberry.field(description="An election, for whoever may see its community's elections.")
async def election(info: Info, election_id: GlobalID) -> Election:
    return Election.from_model(await election_for(info, election_id))


@connection(Connection[Election], description="A community's elections, newest first.")
def elections(info: Info, community_id: GlobalID) -> AsyncIterable[Election]:
    if not info.context.actor.authenticated:
        raise ApiError("UNAUTHENTICATED", info.context.locale)
    community = allowed_community(info, "elections.view", community_id)
    return mapped(models.Election.filter(community_id=community).order_by("-id"),
                  Election.from_model)
