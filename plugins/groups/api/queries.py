"""The group registry's queries: the directory (G8), a group, my groups, the review queue
(G2, G3), the roster as of a day (G4) and the leader's inbox of join requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterable

import strawberry
from tortoise.expressions import Q, Subquery

from linli.core import graphql as g
from linli.core.identity.models import Community

from .. import rules
from ..models import Filing as FilingRow
from ..models import Group as GroupRow
from ..models import GroupPlace, RosterEntry
from ..models import JoinRequest as JoinRow
from ..service import common, roster
from .types import (
    Group,
    GroupCategory,
    GroupFiling,
    GroupJoinRequest,
    GroupRosterEntry,
)


def _group_id(info: g.Info, gid: g.GlobalID, field: str = "groupId") -> int:
    with g.api_errors(info):
        return g.pk(gid, "Group", field=field)


async def _managed(info: g.Info, gid: g.GlobalID) -> GroupRow:
    ctx = g.require_login(info)
    with g.api_errors(info):
        return await common.group_for(ctx.actor, _group_id(info, gid))


@strawberry.type
class GroupsQuery:
    @g.connection(
        g.Connection[Group],
        description="The directory (G8): approved groups active in a community, by name.",
    )
    async def groups(
        self,
        info: g.Info,
        community_id: g.GlobalID,
        category: GroupCategory | None = None,
        search: str | None = None,
    ) -> AsyncIterable[Group]:
        community = g.allowed_community(info, "groups.browse", community_id)
        row = await Community.get(pk=community)
        day = rules.local_day(info.context.now(), row.time_zone)
        elsewhere = Subquery(GroupPlace.filter(community_id=community).values("group_id"))
        places = Q(community_id=community) | Q(id__in=elsewhere)
        if row.parent_id is not None:
            places |= Q(level=rules.Level.STREET, street_office_id=row.parent_id)
        query = GroupRow.filter(places, status=rules.Status.APPROVED, approved_until__gte=day)
        if category is not None:
            query = query.filter(category=category)
        if search and search.strip():
            query = query.filter(name__icontains=search.strip()[:50])
        return g.mapped(query.order_by("name", "id"), Group.from_model)

    @strawberry.field(description="A group, if the caller may see it.")
    async def group(self, info: g.Info, id: g.GlobalID) -> Group | None:
        found = await Group.resolve_nodes(info=info, node_ids=[_node_key(id, "Group")])
        return found[0]

    @strawberry.field(description="The groups I lead or belong to today.")
    async def my_groups(self, info: g.Info) -> list[Group]:
        ctx = g.require_login(info)
        if ctx.actor.person_id is None:
            return []
        ids = await RosterEntry.filter(person_id=ctx.actor.person_id, until=None).values_list(
            "group_id", flat=True
        )
        rows = await GroupRow.filter(pk__in=list(ids)).order_by("name", "id")
        return [Group.from_model(row) for row in rows]

    @strawberry.field(
        description="Staff: submitted filings whose review falls to this "
        "community (G2), deadline first."
    )
    async def group_review_queue(self, info: g.Info, community_id: g.GlobalID) -> list[GroupFiling]:
        community = g.allowed_community(info, "groups.review", community_id)
        rows = await FilingRow.filter(
            review_community_id=community, status=rules.Status.SUBMITTED
        ).order_by("deadline", "id")
        return [GroupFiling.from_model(row) for row in rows]

    @strawberry.field(
        description="The roster at the end of a day (today by default, G4): the "
        "leader and reviewing staff only."
    )
    async def group_roster(
        self, info: g.Info, group_id: g.GlobalID, as_of: dt.date | None = None
    ) -> list[GroupRosterEntry]:
        ctx = g.require_login(info)
        with g.api_errors(info):
            lines = await roster.roster(ctx.actor, _group_id(info, group_id), as_of)
        return [GroupRosterEntry.from_line(line) for line in lines]

    @strawberry.field(description="The leader's inbox: pending requests to join a group.")
    async def group_join_requests(
        self, info: g.Info, group_id: g.GlobalID
    ) -> list[GroupJoinRequest]:
        group = await _managed(info, group_id)
        rows = await JoinRow.filter(group_id=group.pk, status="PENDING").order_by("id")
        return [GroupJoinRequest.from_model(row) for row in rows]


def _node_key(gid: g.GlobalID, type_name: str) -> str:
    return gid.node_id if gid.type_name == type_name else ""
