"""electionUpdates(electionId): phase changes, roll and slate publication, objection
decisions, nominations and proxies, after each commit. Permission is checked when the
subscription starts and again for every event (the caller may have lost it since)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from linli.core.graphql import GlobalID
from linli.core.identity.access import can

from .. import models
from ..service.events import ELECTION_UPDATED
from .elections import election_for
from .types import Election


@strawberry.type(name="ElectionUpdate")
class Update:
    kind: str = strawberry.field(
        description="CREATED, ROLL_PUBLISHED, PHASE, OBJECTION_FILED, OBJECTION_DECIDED, "
        "NOMINATION…, COMMITTEE_LEFT, PRIMARY_STARTED, PRIMARY_COUNTED, SLATE_PUBLISHED, PROXY.")
    phase: str
    election: Election


@strawberry.subscription(description="An election's changes, live (after each commit).")
async def election_updates(info: Info, election_id: GlobalID) -> AsyncGenerator[Update, None]:
    election = await election_for(info, election_id)
    actor = info.context.actor
    async with ELECTION_UPDATED.subscribe(election_id=election.pk) as events:
        async for event in events:
            if not can(actor, "elections.view", election.community_id):
                return
            row = await models.Election.get_or_none(pk=event.payload["election_id"])
            if row is not None:
                yield Update(kind=event.payload["kind"], phase=event.payload["phase"],
                             election=Election.from_model(row))
