"""The group registry's queries: the directory (G8), a group, my groups, the review queue
(G2, G3), the roster as of a day (G4) and the leader's inbox of join requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterable, AsyncIterator

import strawberry

from linli.core import graphql as g
from linli.core import kit
from linli.core.errors import ApiError
from linli.core.identity.models import Community

from .. import rules
from ..models import Filing as FilingRow
from ..models import Group as GroupRow
from ..models import JoinRequest as JoinRow
from ..models import RosterEntry
from ..service import common, roster
from .types import (
    Group,
    GroupCategory,
    GroupFiling,
    GroupJoinRequest,
    GroupRosterEntry,
)

# The directory is the resident app's hot read: three statements built once (kit.hot_read),
# equality only, so the filters the SQL cannot say by equality (approved, inside its term,
# active here, category, search) run over the rows of the community and of its street
# office's desk: tens of groups, not thousands.
_community = kit.hot_read(Community, where=("id",), limit=1)
_groups_of = kit.hot_read(GroupRow, where=("community_id",))
_reviewed_by = kit.hot_read(GroupRow, where=("review_community_id",))


class _Page:
    """The directory's rows, sliced by Relay; each page's member counts and leaders' names are
    read for the whole page at once and set as plain values (Group.page)."""

    def __init__(self, info: g.Info, rows: list[GroupRow], day: dt.date) -> None:
        self.info, self.rows, self.day = info, rows, day

    def __getitem__(self, window: slice) -> _Page:
        return _Page(self.info, self.rows[window], self.day)

    async def __aiter__(self) -> AsyncIterator[Group]:
        for group in await Group.page(self.info, self.rows, self.day):
            yield group


def _group_id(info: g.Info, gid: g.GlobalID, field: str = "groupId") -> int:
    with g.api_errors(info):
        return g.pk(gid, "Group", field=field)


async def _managed(info: g.Info, gid: g.GlobalID) -> GroupRow:
    ctx = g.require_login(info)
    with g.api_errors(info):
        return await common.group_for(ctx.actor, _group_id(info, gid))


@strawberry.type
class GroupsQuery:
    @g.cached  # a pure read; the day it depends on moves within the cache's 1 s
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
        row = next(iter(await _community(id=community)), None)
        if row is None:  # an admin asking about no community
            raise ApiError("NOT_FOUND", info.context.locale)
        day = rules.local_day(info.context.now(), row.time_zone)
        found = {group.pk: group for group in await _groups_of(community_id=community)}
        if row.parent_id is not None:  # street-level and cross-community groups
            for group in await _reviewed_by(review_community_id=row.parent_id):
                found.setdefault(group.pk, group)
        words = (search or "").strip()[:50].casefold()
        listed = [
            group
            for group in found.values()
            if rules.listed_in(
                group.status,
                group.approved_until,
                day,
                str(group.level),
                group.community_id,
                group.other_community_ids,
                community,
            )
            and (category is None or group.category == category)
            and words in group.name.casefold()
        ]
        listed.sort(key=lambda group: (group.name, group.pk))
        return _Page(info, listed, day)

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

    @g.cached  # pure: the leader's and reviewing staff's list, kept per caller
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
