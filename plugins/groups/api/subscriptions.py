"""The group registry's subscriptions: the review feed of a reviewing community (staff) and
the updates of my groups (leaders and members). Each checks permission before it listens."""

from __future__ import annotations

from collections.abc import AsyncIterator

import strawberry

from linli.core import graphql as g
from linli.core.errors import ApiError

from ..models import Filing as FilingRow
from ..models import Group as GroupRow
from ..service import common
from .types import Group, GroupFiling, GroupReviewUpdate, GroupUpdate


@strawberry.type
class GroupsSubscription:
    @strawberry.subscription(
        description="Staff: filings filed, decided or overdue in a reviewing community."
    )
    async def group_review_updates(
        self, info: g.Info, community_id: g.GlobalID
    ) -> AsyncIterator[GroupReviewUpdate]:
        community = g.allowed_community(info, "groups.review", community_id)
        async with common.REVIEW.subscribe(community_id=community) as stream:
            async for event in stream:
                row = await FilingRow.get_or_none(pk=event.payload.get("filing_id"))
                if row is not None:
                    yield GroupReviewUpdate(
                        kind=event.payload["kind"], filing=GroupFiling.from_model(row)
                    )

    @strawberry.subscription(description="Changes to the groups I lead or belong to.")
    async def my_group_updates(self, info: g.Info) -> AsyncIterator[GroupUpdate]:
        ctx = g.require_login(info)
        if ctx.actor.person_id is None:
            raise ApiError("FORBIDDEN", ctx.locale)
        async with common.PERSON.subscribe(person_id=ctx.actor.person_id) as stream:
            async for event in stream:
                row = await GroupRow.get_or_none(pk=event.payload.get("group_id"))
                if row is not None:
                    yield GroupUpdate(kind=event.payload["kind"], group=Group.from_model(row))
