"""GraphQL types of the group registry: enums, the error type, loaders and the node types.

Privacy: a Group's public face (name, category, venue, schedule, leader's name, member count,
badge) is for residents of the communities where it is active; its filings and roster (with
contact details) for its leader and its reviewing staff only (null for anyone else).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import strawberry

from linli.core import graphql as g
from linli.core import kit
from linli.core.identity.models import Community, Person

from .. import rules
from ..models import Filing as FilingRow
from ..models import Group as GroupRow
from ..models import JoinRequest as JoinRow
from ..models import Settings
from ..service import common, roster

GroupCategory = strawberry.enum(rules.Category, name="GroupCategory")
GroupLevel = strawberry.enum(rules.Level, name="GroupLevel")
GroupKind = strawberry.enum(rules.GroupKind, name="GroupKind")
GroupStatus = strawberry.enum(rules.Status, name="GroupStatus")
GroupFilingKind = strawberry.enum(rules.FilingKind, name="GroupFilingKind")
GroupDecision = strawberry.enum(rules.Decision, name="GroupDecision")
GroupRole = strawberry.enum(rules.Role, name="GroupRole")

GroupError = g.error_type(
    "GroupError", (*rules.CODES,), "An expected failure of a groups mutation (or a warning)."
)


# ---------------------------------------------------------------- loaders


async def _names(person_ids: list[int]) -> list[str]:
    names = dict(await Person.filter(pk__in=set(person_ids)).values_list("id", "real_name"))
    return [names.get(pid, "") for pid in person_ids]


async def _zones(community_ids: list[int]) -> list[str]:
    zones = dict(await Community.filter(pk__in=set(community_ids)).values_list("id", "time_zone"))
    return [zones.get(cid, "Asia/Shanghai") for cid in community_ids]


# Declared once; the kit makes each request's DataLoader (no cache: a mutation may change
# what was read earlier in the request).
member_counts = kit.loader(roster.member_counts)
names = kit.loader(_names)
zones = kit.loader(_zones)
settings = kit.loader(common.settings_for_many)  # a community's groups settings (G3, G6, G7)


async def today(info: g.Info, community_id: int) -> dt.date:
    return rules.local_day(info.context.now(), await zones.load(info, community_id))


# ---------------------------------------------------------------- types


@strawberry.type(description="A group's leader as residents see them: a name.")
class GroupLeader:
    person_id: g.GlobalID
    name: str


@dataclasses.dataclass(frozen=True)
class Filled:
    """A Group's per-row fields, read for a whole page at once."""

    member_count: int
    leader: GroupLeader
    badge: bool


async def _leader(info: g.Info, person_id: int) -> GroupLeader:
    return GroupLeader(
        person_id=g.global_id("Person", person_id), name=await names.load(info, person_id)
    )


async def _badge(info: g.Info, row: GroupRow) -> bool:
    day = await today(info, row.community_id)
    return rules.badge_shown(row.status, row.approved_until, day)


@strawberry.type(description="One line of the roster (花名册) as of a day (G4).")
class GroupRosterEntry:
    person_id: g.GlobalID
    name: str
    phone: str | None = strawberry.field(description="Contact: for the leader and reviewers.")
    role: GroupRole
    since: dt.date
    until: dt.date | None = strawberry.field(description="First day no longer in this role.")

    @classmethod
    def from_line(cls, line: roster.RosterLine) -> GroupRosterEntry:
        e = line.entry
        return cls(
            person_id=g.global_id("Person", e.person_id),
            name=line.name,
            phone=line.phone,
            role=rules.Role(e.role),
            since=e.since,
            until=e.until,
        )


def _sees_filing(info: g.Info, row: FilingRow) -> bool:
    actor = info.context.actor
    return common.reviews(actor, row) or actor.person_id == row.leader_person_id


@strawberry.type(name="Group", description="A residents' activity group (群众团队).")
class Group(g.ModelNode):
    name: str
    category: GroupCategory
    level: GroupLevel
    kind: GroupKind
    community_id: g.GlobalID
    status: GroupStatus
    venue: str
    schedule: str
    charter: str
    approved_until: dt.date | None
    source: strawberry.Private[GroupRow]

    @classmethod
    def from_model(cls, row: GroupRow) -> Group:
        return g.from_row(
            cls, row, community_id=g.global_id("Community", row.community_id), source=row
        )

    @classmethod
    async def resolve_nodes(cls, *, info: g.Info, node_ids: Any, required: bool = False) -> Any:
        actor = info.context.actor

        def visible(row: GroupRow) -> bool:
            return common.manages(actor, row) or common.public(actor, row)

        return await g.resolve_model_nodes(
            cls, GroupRow, node_ids, info=info, required=required, visible=visible
        )

    # Filled when a page of groups is built at once (the directory, ``Group.page``): then the
    # three fields below are plain values, no per-row loader, no awaitable; otherwise each
    # returns its loader's awaitable (one query per field for all the groups of a request).
    filled: strawberry.Private[Filled | None] = None

    @strawberry.field(description="People on the roster today, the leader included.")
    def member_count(self, info: g.Info) -> int:
        if self.filled is not None:
            return self.filled.member_count
        return member_counts.load(info, self.pk)  # type: ignore[return-value]

    @strawberry.field
    def leader(self, info: g.Info) -> GroupLeader:
        if self.filled is not None:
            return self.filled.leader
        return _leader(info, self.source.leader_person_id)  # type: ignore[return-value]

    @strawberry.field(description="Shown only while approved and inside the approval's term.")
    def badge(self, info: g.Info) -> bool:
        if self.filled is not None:
            return self.filled.badge
        return _badge(info, self.source)  # type: ignore[return-value]

    @classmethod
    async def page(cls, info: g.Info, rows: list[GroupRow], day: dt.date) -> list[Group]:
        """Groups of one community's page (``day`` its local day), their member counts and
        leaders' names read in one query each."""
        counts = await member_counts.load_many(info, [row.pk for row in rows])
        leaders = await names.load_many(info, [row.leader_person_id for row in rows])
        made = []
        for row, count, name in zip(rows, counts, leaders, strict=True):
            group = cls.from_model(row)
            group.filled = Filled(
                member_count=count,
                leader=GroupLeader(
                    person_id=g.global_id("Person", row.leader_person_id), name=name
                ),
                badge=rules.badge_shown(row.status, row.approved_until, day),
            )
            made.append(group)
        return made

    @strawberry.field(description="Reaches its category's minimum members (G7).")
    async def compliant(self, info: g.Info) -> bool:
        s = await settings.load(info, self.source.community_id)
        count = await member_counts.load(info, self.pk)
        return rules.compliant(self.source.category, count, s)

    @strawberry.field(description="Its category's minimum members (G7, its community's setting).")
    async def minimum_members(self, info: g.Info) -> int:
        s = await settings.load(info, self.source.community_id)
        return s.minimum_for(self.source.category)

    @strawberry.field(
        description="Every version of the filing form, oldest first (G5); null "
        "unless the caller leads or reviews the group."
    )
    async def filings(self, info: g.Info) -> list[GroupFiling] | None:
        if not common.manages(info.context.actor, self.source):
            return None
        rows = await FilingRow.filter(group_id=self.pk).order_by("number")
        return [GroupFiling.from_model(row) for row in rows]

    @strawberry.field(
        description="The roster at the end of a day (today by default, G4); null "
        "unless the caller leads or reviews the group."
    )
    async def roster(
        self, info: g.Info, as_of: dt.date | None = None
    ) -> list[GroupRosterEntry] | None:
        if not roster.may_see_roster(info.context.actor, self.source):
            return None
        day = as_of or await today(info, self.source.community_id)
        return [
            GroupRosterEntry.from_line(line) for line in await roster.roster_lines(self.pk, day)
        ]


@strawberry.type(
    name="GroupFiling", description="One version of a group's filing form (核准备案表)."
)
class GroupFiling(g.ModelNode):
    number: int
    kind: GroupFilingKind
    status: GroupStatus
    name: str
    category: GroupCategory
    level: GroupLevel
    venue: str
    schedule: str
    charter: str
    changed_fields: list[str]
    member_count: int
    submitted_at: dt.datetime | None
    deadline: dt.date | None = strawberry.field(description="Last on-time day of the decision.")
    decision: GroupDecision | None
    decision_reason: str
    decided_at: dt.datetime | None
    valid_until: dt.date | None
    group_id: g.GlobalID
    source: strawberry.Private[FilingRow]

    @classmethod
    def from_model(cls, row: FilingRow) -> GroupFiling:
        changed = ["leader" if f == "leader_person_id" else f for f in row.changed_fields]
        return g.from_row(
            cls,
            row,
            group_id=g.global_id("Group", row.group_id),
            changed_fields=changed,
            source=row,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: g.Info, node_ids: Any, required: bool = False) -> Any:
        return await g.resolve_model_nodes(
            cls,
            FilingRow,
            node_ids,
            info=info,
            required=required,
            visible=lambda row: _sees_filing(info, row),
        )

    @strawberry.field(description="Past its decision deadline and still undecided (G3).")
    async def overdue(self, info: g.Info) -> bool:
        if self.source.status != rules.Status.SUBMITTED or self.source.deadline is None:
            return False
        group = await GroupRow.get(pk=self.source.group_id).only("id", "community_id")
        return rules.overdue(self.source.deadline, await today(info, group.community_id))

    @strawberry.field
    async def leader(self, info: g.Info) -> GroupLeader:
        name = await names.load(info, self.source.leader_person_id)
        return GroupLeader(person_id=g.global_id("Person", self.source.leader_person_id), name=name)

    @strawberry.field
    async def group(self, info: g.Info) -> Group:
        return Group.from_model(await GroupRow.get(pk=self.source.group_id))


@strawberry.type(name="GroupJoinRequest", description="A resident's request to join (G8).")
class GroupJoinRequest(g.ModelNode):
    status: str = strawberry.field(description="PENDING, ACCEPTED or DECLINED")
    message: str
    created_at: dt.datetime
    person_id: g.GlobalID
    group_id: g.GlobalID
    source: strawberry.Private[JoinRow]

    @classmethod
    def from_model(cls, row: JoinRow) -> GroupJoinRequest:
        return g.from_row(
            cls,
            row,
            person_id=g.global_id("Person", row.person_id),
            group_id=g.global_id("Group", row.group_id),
            source=row,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: g.Info, node_ids: Any, required: bool = False) -> Any:
        actor = info.context.actor

        async def visible(row: JoinRow) -> bool:  # the person asking, the group's managers
            if actor.person_id is not None and actor.person_id == row.person_id:
                return True
            group = await GroupRow.get_or_none(pk=row.group_id)
            return group is not None and common.manages(actor, group)

        return await g.resolve_model_nodes(
            cls, JoinRow, node_ids, info=info, required=required, visible=visible
        )

    @strawberry.field
    async def person_name(self, info: g.Info) -> str:
        return await names.load(info, self.source.person_id)


@strawberry.type(description="A filing filed, decided or overdue (groupReviewUpdates).")
class GroupReviewUpdate:
    kind: str = strawberry.field(description="FILED, DECIDED or OVERDUE")
    filing: GroupFiling


@strawberry.type(description="Something happened to one of my groups (myGroupUpdates).")
class GroupUpdate:
    kind: str
    group: Group


# groupsSettings(communityId) and updateGroupsSettings(input), from the declaration.
GroupsSettingsQuery, GroupsSettingsMutation = kit.settings_api(
    Settings, GroupError, name="GroupsSettings"
)

NODE_TYPES = (Group, GroupFiling, GroupJoinRequest)
