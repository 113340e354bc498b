"""Shared by the groups tests: the world, the GraphQL documents and small steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from linli.testing import MadeAccount, global_id, make_account

GROUP_FIELDS = """id name category level status venue schedule memberCount approvedUntil badge
compliant minimumMembers leader { personId name }"""

FILE = f"""mutation($input: FileGroupInput!) {{ fileGroup(input: $input) {{
  group {{ {GROUP_FIELDS} }} errors {{ code field message }} }} }}"""
UPDATE = f"""mutation($input: UpdateGroupFilingInput!) {{ updateGroupFiling(input: $input) {{
  group {{ {GROUP_FIELDS} }} errors {{ code field message }} }} }}"""
SUBMIT = """mutation($input: GroupIdInput!) { submitGroupFiling(input: $input) {
  filing { id status deadline kind } group { id status } errors { code field message } } }"""
REVIEW = """mutation($input: ReviewGroupFilingInput!) { reviewGroupFiling(input: $input) {
  filing { id status decision decisionReason validUntil }
  group { id status badge approvedUntil }
  warnings { code message } errors { code field message } } }"""
CHANGE = f"""mutation($input: ChangeGroupDetailsInput!) {{ changeGroupDetails(input: $input) {{
  group {{ {GROUP_FIELDS} }} errors {{ code field message }} }} }}"""
RENEW = """mutation($input: GroupIdInput!) { renewGroup(input: $input) {
  filing { id status kind } group { id status } errors { code field message } } }"""
JOIN = """mutation($input: RequestToJoinGroupInput!) { requestToJoinGroup(input: $input) {
  request { id status } errors { code field message } } }"""
DECIDE = """mutation($input: DecideJoinRequestInput!) { decideJoinRequest(input: $input) {
  request { id status } errors { code field message } } }"""
LEAVE = """mutation($input: LeaveGroupInput!) { leaveGroup(input: $input) {
  group { id memberCount } errors { code field message } } }"""
REMOVE = """mutation($input: RemoveGroupMemberInput!) { removeGroupMember(input: $input) {
  group { id memberCount } errors { code field message } } }"""
DISSOLVE = """mutation($input: DissolveGroupInput!) { dissolveGroup(input: $input) {
  group { id status } errors { code field message } } }"""
ROSTER = """query($g: ID!, $d: Date) { groupRoster(groupId: $g, asOf: $d) {
  personId name phone role since until } }"""
GROUP = """query($id: ID!) { group(id: $id) { id name status badge memberCount
  filings { number kind status name venue changedFields } roster { personId name phone } } }"""
QUEUE = """query($c: ID!) { groupReviewQueue(communityId: $c) {
  id status deadline overdue kind group { id name } } }"""
DIRECTORY = """query($c: ID!, $cat: GroupCategory, $q: String, $first: Int) {
  groups(communityId: $c, category: $cat, search: $q, first: $first) {
    edges { node { id name category badge memberCount leader { name } } } } }"""


def gid(type_name: str, pk: Any) -> str:
    return global_id(type_name, pk)


@dataclass
class World:
    street: Any
    home: Any
    sibling: Any
    staff: MadeAccount
    street_staff: MadeAccount
    sibling_staff: MadeAccount
    leader: MadeAccount
    residents: list[MadeAccount] = field(default_factory=list)

    @property
    def home_id(self) -> str:
        return gid("Community", self.home.pk)

    async def advance(self, clock: Any, **delta: float) -> None:
        """Move the clock and give every account a fresh session (access tokens expire).
        linli.testing's own helper for this replaces it when it lands."""
        from linli.core.identity.sessions import start_session

        clock.advance(**delta)
        for made in (
            self.staff,
            self.street_staff,
            self.sibling_staff,
            self.leader,
            *self.residents,
        ):
            session = await start_session(made.account)
            made.token, made.refresh_token = session.access_token, session.refresh_token

    async def resident(self, community: Any = None) -> MadeAccount:
        account = await make_account("resident", community or self.home)
        self.residents.append(account)
        return account


def form(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "communityId": world.home_id,
        "name": "番禺路广场舞队",
        "category": "CULTURE_SPORTS",
        "level": "COMMUNITY",
        "venue": "番禺路社区广场",
        "schedule": "每天 19:00-20:30",
        "charter": "自愿参加，文明健身，不扰民。",
        **overrides,
    }


async def file_group(gql: Any, world: World, token: str | None = None, **overrides: Any) -> dict:
    payload = await gql.mutate(FILE, form(world, **overrides), token=token or world.leader.token)
    assert payload["errors"] == [], payload["errors"]
    return payload["group"]


async def add_members(gql: Any, world: World, group_id: str, n: int) -> list[MadeAccount]:
    """n residents ask to join and the leader accepts each."""
    people = []
    for _ in range(n):
        resident = await world.resident()
        asked = await gql.mutate(JOIN, {"groupId": group_id}, token=resident.token)
        assert asked["errors"] == [], asked["errors"]
        done = await gql.mutate(
            DECIDE, {"requestId": asked["request"]["id"], "accept": True}, token=world.leader.token
        )
        assert done["errors"] == [], done["errors"]
        people.append(resident)
    return people


async def submit(gql: Any, world: World, group_id: str) -> dict:
    payload = await gql.mutate(SUBMIT, {"groupId": group_id}, token=world.leader.token)
    assert payload["errors"] == [], payload["errors"]
    return payload["filing"]


async def decide(gql: Any, token: str, filing_id: str, decision: str, reason: str | None = None):
    return await gql.mutate(
        REVIEW, {"filingId": filing_id, "decision": decision, "reason": reason}, token=token
    )


async def approved_group(gql: Any, world: World, members: int = 4, **overrides: Any) -> dict:
    """A group filed, given ``members`` members besides the leader, submitted and approved."""
    group = await file_group(gql, world, **overrides)
    await add_members(gql, world, group["id"], members)
    filing = await submit(gql, world, group["id"])
    reviewer = world.street_staff if overrides.get("level") == "STREET" else world.staff
    payload = await decide(gql, reviewer.token, filing["id"], "APPROVE")
    assert payload["errors"] == [], payload["errors"]
    return group
