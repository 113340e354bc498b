"""GraphQL types of elections part I (names carry the ``Election`` prefix), built from rows.

Thin: a type holds the row's values; related rows come through loaders declared here (made
per request by the kit), so a list costs a fixed number of queries. Who may see what is
decided by the service and the queries (``service.common.load_for``); a node's visibility is
``elections.view`` in its election's community.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import strawberry
from strawberry.types import Info

from linli.core import kit
from linli.core.graphql import GlobalID, ModelNode, error_type, from_row, model_nodes

from .. import models

# The codes of messages.json, and ALREADY_GRANTED, one of core's (a voter gives one proxy
# at a time, E10): core's message says it.
_CODES = [*json.loads((Path(__file__).parent.parent / "messages.json").read_text("utf-8")),
          "ALREADY_GRANTED"]
ElectionError = error_type(
    "ElectionError", _CODES,
    description="An expected failure of an elections mutation (E1–E5, E10 codes and more).",
)

# electionsSettings(communityId) and updateElectionsSettings(input), from the declaration.
ElectionsSettingsQuery, ElectionsSettingsMutation = kit.settings_api(
    models.Settings, ElectionError, name="ElectionsSettings"
)
ElectionsSettings = ElectionsSettingsQuery.__strawberry_definition__.fields[0].type


def settings_value(values: dict) -> object:
    """An election's settings snapshot as the ElectionsSettings type."""
    return ElectionsSettings(**models.Settings(**values).model_dump())


posts_of = kit.all_of(models.ElectionPost, "election_id")
committee_of = kit.all_of(models.CommitteeMember, "election_id")
election_of = kit.by_pk(models.Election)


@strawberry.type(name="ElectionPost", description="E3 a post, its seats and (E5) its slate.")
class Post:
    post: str = strawberry.field(description="DIRECTOR, DEPUTY_DIRECTOR or MEMBER.")
    seats: int
    slate_size: int = strawberry.field(description="E5: the slate's size for this post.")
    primary_decision: str | None = strawberry.field(
        description="E5: NEEDED (a primary ranks the nominees), NOT_NEEDED (skipped: the "
        "nominees fit the slate) or NOT_COMPETITIVE; null until the nominations close."
    )
    primary_nominees: int | None = strawberry.field(
        description="The accepted nominees the primary decision was taken on."
    )

    @classmethod
    def from_model(cls, row: models.ElectionPost) -> Post:
        return from_row(cls, row)


@strawberry.type(name="ElectionCommitteeMember",
                 description="A member of the election committee (选举委员会).")
class CommitteeMember:
    name: str
    chair: bool
    joined_at: dt.datetime
    left_at: dt.datetime | None = strawberry.field(
        description="E4: when the member left (one who accepts a nomination leaves)."
    )
    left_reason: str = strawberry.field(description="NOMINATED when they left for that.")
    person_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.CommitteeMember) -> CommitteeMember:
        return from_row(cls, row, person_pk=row.person_id)

    @strawberry.field
    def person_id(self) -> GlobalID:
        return GlobalID("Person", str(self.person_pk))


@strawberry.type(name="Election", description="A residents' committee election (居委会选举).")
class Election(ModelNode):
    title: str
    election_day: dt.date = strawberry.field(description="The community's local date of the vote.")
    electorate_mode: str = strawberry.field(
        description="E1: ALL_VOTERS, HOUSEHOLD_REPRESENTATIVES or GROUP_REPRESENTATIVES."
    )
    phase: str = strawberry.field(
        description="SETUP, ROLL_PUBLISHED, NOMINATION, PRIMARY, PRIMARY_COUNTING, "
        "SLATE_PUBLISHED, VOTING, COUNTING (polls closed) or COUNTED (the round counted)."
    )
    roll_published_on: dt.date | None
    roll_size: int = strawberry.field(description="Voters on the roll.")
    slate_published_on: dt.date | None
    community_pk: strawberry.Private[int]
    settings_values: strawberry.Private[dict]

    @classmethod
    def from_model(cls, row: models.Election) -> Election:
        return from_row(cls, row, community_pk=row.community_id, settings_values=row.settings)

    @strawberry.field
    def community_id(self) -> GlobalID:
        return GlobalID("Community", str(self.community_pk))

    @strawberry.field(description="Every E setting this election runs by (taken at creation).")
    def settings(self) -> ElectionsSettings:  # type: ignore[valid-type]
        return settings_value(self.settings_values)

    @strawberry.field(description="E3 the posts, highest first.")
    async def posts(self, info: Info) -> list[Post]:
        order = {"DIRECTOR": 0, "DEPUTY_DIRECTOR": 1, "MEMBER": 2}
        rows = sorted(await posts_of.load(info, self.pk), key=lambda r: order.get(r.post, 9))
        return [Post.from_model(r) for r in rows]

    @strawberry.field(description="The election committee, members who left included (E4).")
    async def committee(self, info: Info) -> list[CommitteeMember]:
        rows = sorted(await committee_of.load(info, self.pk), key=lambda r: r.pk)
        return [CommitteeMember.from_model(r) for r in rows]

    resolve_nodes = model_nodes(models.Election, visible="elections.view")
