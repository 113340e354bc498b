"""Who may do what: every operation of the groups API against every kind of caller.

Refusals are tried first (they must change nothing), then the one caller who may. Permission
is decided before state shows: a caller who may not see a group gets NOT_FOUND, one who sees
its public face but does not manage it FORBIDDEN, and a reviewer outside the jurisdiction
OUTSIDE_JURISDICTION.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from groups_helpers import (
    CHANGE,
    DECIDE,
    DISSOLVE,
    FILE,
    JOIN,
    LEAVE,
    REMOVE,
    RENEW,
    REVIEW,
    ROSTER,
    SUBMIT,
    UPDATE,
    approved_group,
    file_group,
    form,
    gid,
    submit,
)

QUEUE = "query($c: ID!) { groupReviewQueue(communityId: $c) { id } }"
DIRECTORY = "query($c: ID!) { groups(communityId: $c, first: 5) { edges { node { id } } } }"
REQUESTS = "query($g: ID!) { groupJoinRequests(groupId: $g) { id personName } }"
MINE = "query { myGroups { id name } }"
SETTINGS = "query($c: ID!) { groupsSettings(communityId: $c) { decisionDays } }"
UPDATE_SETTINGS = """mutation($input: UpdateGroupsSettingsInput!) {
  updateGroupsSettings(input: $input) {
    settings { decisionDays } errors { code field message } } }"""


@dataclass
class Scene:
    approved: str  # leader + one member
    draft: str
    filing: str  # submitted, of a third group
    request: str  # a pending request to join ``approved``
    member: Any
    applicant: Any
    resident: Any


@pytest.fixture
async def scene(gql, world) -> Scene:
    approved = await approved_group(gql, world, members=1)
    member = world.residents[-1]
    draft = await file_group(gql, world, name="书画社")
    third = await file_group(gql, world, name="志愿服务队", category="PUBLIC_WELFARE")
    filing = await submit(gql, world, third["id"])
    applicant = await world.resident()
    asked = await gql.mutate(JOIN, {"groupId": approved["id"]}, token=applicant.token)
    resident = await world.resident()
    return Scene(
        approved["id"],
        draft["id"],
        filing["id"],
        asked["request"]["id"],
        member,
        applicant,
        resident,
    )


def callers(world: Any, scene: Scene) -> dict[str, str | None]:
    return {
        "anonymous": "",
        "resident": scene.resident.token,
        "member": scene.member.token,
        "leader": world.leader.token,
        "staff": world.staff.token,
        "sibling_staff": world.sibling_staff.token,
        "street_staff": world.street_staff.token,
    }


def _update(world, s):
    fields = {k: v for k, v in form(world, charter="新章程").items() if k != "communityId"}
    return {**fields, "groupId": s.draft}


# operation: document, input or variables builder, {caller: expected code (None: allowed)},
# the caller to run last (allowed), whether it is a query.
MUTATIONS = {
    "fileGroup": (
        FILE,
        lambda w, s: form(w, name="新队"),
        {"anonymous": "UNAUTHENTICATED", "sibling_staff": "FORBIDDEN"},
        "resident",
    ),
    "updateGroupFiling": (
        UPDATE,
        _update,
        {
            "anonymous": "UNAUTHENTICATED",
            "resident": "FORBIDDEN",
            "member": "FORBIDDEN",
            "sibling_staff": "NOT_FOUND",
        },
        "leader",
    ),
    "submitGroupFiling": (
        SUBMIT,
        lambda w, s: {"groupId": s.draft},
        {"anonymous": "UNAUTHENTICATED", "resident": "FORBIDDEN", "sibling_staff": "NOT_FOUND"},
        "staff",
    ),
    "reviewGroupFiling": (
        REVIEW,
        lambda w, s: {"filingId": s.filing, "decision": "APPROVE"},
        {
            "anonymous": "UNAUTHENTICATED",
            "resident": "OUTSIDE_JURISDICTION",
            "member": "OUTSIDE_JURISDICTION",
            "leader": "OUTSIDE_JURISDICTION",
            "sibling_staff": "OUTSIDE_JURISDICTION",
        },
        "staff",
    ),
    "changeGroupDetails": (
        CHANGE,
        lambda w, s: {"groupId": s.approved, "schedule": "周日"},
        {
            "anonymous": "UNAUTHENTICATED",
            "resident": "FORBIDDEN",
            "member": "FORBIDDEN",
            "sibling_staff": "NOT_FOUND",
        },
        "leader",
    ),
    "renewGroup": (
        RENEW,
        lambda w, s: {"groupId": s.approved},
        {
            "anonymous": "UNAUTHENTICATED",
            "resident": "FORBIDDEN",
            "member": "FORBIDDEN",
            "sibling_staff": "NOT_FOUND",
            # allowed to ask, refused by the rule: it is too early
            "leader": "NOT_IN_RENEWAL_WINDOW",
        },
        None,
    ),
    "requestToJoinGroup": (
        JOIN,
        lambda w, s: {"groupId": s.approved},
        {"anonymous": "UNAUTHENTICATED", "member": "ALREADY_MEMBER", "sibling_staff": "NOT_FOUND"},
        "resident",
    ),
    "decideJoinRequest": (
        DECIDE,
        lambda w, s: {"requestId": s.request, "accept": True},
        {
            "anonymous": "UNAUTHENTICATED",
            "resident": "NOT_FOUND",
            "member": "NOT_FOUND",
            "sibling_staff": "NOT_FOUND",
        },
        "leader",
    ),
    "leaveGroup": (
        LEAVE,
        lambda w, s: {"groupId": s.approved},
        {
            "anonymous": "UNAUTHENTICATED",
            "resident": "NOT_A_MEMBER",
            "leader": "ONE_LEADER",
            "sibling_staff": "NOT_FOUND",
        },
        "member",
    ),
    "removeGroupMember": (
        REMOVE,
        lambda w, s: {"groupId": s.approved, "personId": gid("Person", s.member.person.pk)},
        {
            "anonymous": "UNAUTHENTICATED",
            "resident": "FORBIDDEN",
            "member": "FORBIDDEN",
            "sibling_staff": "NOT_FOUND",
        },
        "street_staff",
    ),
    "dissolveGroup": (
        DISSOLVE,
        lambda w, s: {"groupId": s.approved},
        {
            "anonymous": "UNAUTHENTICATED",
            "resident": "FORBIDDEN",
            "member": "FORBIDDEN",
            "sibling_staff": "NOT_FOUND",
        },
        "leader",
    ),
    "updateGroupsSettings": (
        UPDATE_SETTINGS,
        lambda w, s: {"communityId": w.home_id, "decisionDays": 5},
        {
            "anonymous": "UNAUTHENTICATED",
            "resident": "FORBIDDEN",
            "member": "FORBIDDEN",
            "leader": "FORBIDDEN",
            "sibling_staff": "FORBIDDEN",
        },
        "street_staff",
    ),
}

QUERIES = {
    "groupRoster": (
        ROSTER,
        lambda w, s: {"g": s.approved},
        {
            "anonymous": "UNAUTHENTICATED",
            "resident": "FORBIDDEN",
            "member": "FORBIDDEN",
            "sibling_staff": "NOT_FOUND",
        },
        ("leader", "staff", "street_staff"),
    ),
    "groupJoinRequests": (
        REQUESTS,
        lambda w, s: {"g": s.approved},
        {
            "anonymous": "UNAUTHENTICATED",
            "resident": "FORBIDDEN",
            "member": "FORBIDDEN",
            "sibling_staff": "NOT_FOUND",
        },
        ("leader", "staff", "street_staff"),
    ),
    "groupReviewQueue": (
        QUEUE,
        lambda w, s: {"c": w.home_id},
        {
            "anonymous": "UNAUTHENTICATED",
            "resident": "FORBIDDEN",
            "member": "FORBIDDEN",
            "leader": "FORBIDDEN",
            "sibling_staff": "FORBIDDEN",
        },
        ("staff", "street_staff"),
    ),
    "groups": (
        DIRECTORY,
        lambda w, s: {"c": w.home_id},
        {"anonymous": "UNAUTHENTICATED", "sibling_staff": "FORBIDDEN"},
        ("resident", "member", "leader", "staff", "street_staff"),
    ),
    "myGroups": (
        MINE,
        lambda w, s: {},
        {"anonymous": "UNAUTHENTICATED"},
        ("resident", "member", "leader", "staff", "sibling_staff", "street_staff"),
    ),
    "groupsSettings": (
        SETTINGS,
        lambda w, s: {"c": w.home_id},
        {
            "anonymous": "UNAUTHENTICATED",
            "resident": "FORBIDDEN",
            "member": "FORBIDDEN",
            "leader": "FORBIDDEN",
            "sibling_staff": "FORBIDDEN",
        },
        ("staff", "street_staff"),
    ),
}


@pytest.mark.parametrize("operation", list(MUTATIONS))
async def test_authorization_per_mutation_and_caller(gql, world, scene, operation):
    document, build, refused, allowed = MUTATIONS[operation]
    tokens = callers(world, scene)
    assert set(refused) | {allowed} - {None} <= set(tokens)
    for caller, code in refused.items():
        payload = await gql.mutate(document, build(world, scene), token=tokens[caller] or None)
        assert [e["code"] for e in payload["errors"]] == [code], (operation, caller)
        assert all(v is None for k, v in payload.items() if k not in {"errors", "warnings"})
    if allowed is not None:
        payload = await gql.mutate(document, build(world, scene), token=tokens[allowed])
        assert payload["errors"] == [], (operation, allowed, payload["errors"])


@pytest.mark.parametrize("operation", list(QUERIES))
async def test_authorization_per_query_and_caller(gql, world, scene, operation):
    document, build, refused, allowed = QUERIES[operation]
    tokens = callers(world, scene)
    for caller, code in refused.items():
        result = await gql.execute(document, build(world, scene), token=tokens[caller] or None)
        assert result.codes == [code], (operation, caller, result.errors)
        assert result.data is None or all(v is None for v in result.data.values())
    for caller in allowed:
        result = await gql.execute(document, build(world, scene), token=tokens[caller])
        assert not result.errors, (operation, caller, result.errors)


async def test_authorization_members_are_added_only_by_whom_they_trust(gql, world, scene):
    """A leader cannot put a stranger on the roster (and so see their phone): members at
    filing are people the filer acts for; everyone else asks to join."""
    stranger = await world.resident()
    payload = await gql.mutate(
        FILE, form(world, memberIds=[gid("Person", stranger.person.pk)]), token=world.leader.token
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("FORBIDDEN", ["memberIds"])]
    by_staff = await gql.mutate(
        FILE, form(world, memberIds=[gid("Person", stranger.person.pk)]), token=world.staff.token
    )
    assert by_staff["errors"] == []


@pytest.mark.parametrize("operation", list(MUTATIONS))
async def test_bad_ids_are_INVALID_INPUT_naming_the_field_never_echoed(
    gql, world, scene, operation
):
    """Every id of every mutation's input, malformed or of another type: a coded payload error
    naming the field, its message not echoing the value, nothing changed."""
    document, build, _, allowed = MUTATIONS[operation]
    token = callers(world, scene)[allowed or "leader"]
    ids = [key for key, value in build(world, scene).items() if key.endswith("Id")]
    assert ids, operation
    for key in ids:
        # not an id at all: refused while the variables are read (a coded error, never a 500)
        garbled = await gql.execute(
            document, {"input": {**build(world, scene), key: "<b>x</b>"}}, token=token
        )
        assert garbled.status == 200 and garbled.codes == ["INVALID_INPUT"], garbled.errors
        assert "<b>x</b>" not in str(garbled.errors)
        # an id of another type: the payload's error, naming the field
        other = gid("Person", 999_999) if key != "personId" else gid("Group", 999_999)
        payload = await gql.mutate(document, {**build(world, scene), key: other}, token=token)
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID_INPUT", [key])], (
            operation,
            key,
            payload["errors"],
        )


BAD_QUERIES = [
    ("query($g: ID!) { groupRoster(groupId: $g) { name } }", {"g": "garbage"}, "INVALID_INPUT"),
    ("query($c: ID!) { groupReviewQueue(communityId: $c) { id } }", {"c": "x"}, "INVALID_INPUT"),
    (
        "query($c: ID!) { groups(communityId: $c, first: 1000) { edges { node { id } } } }",
        None,
        "PAGE_TOO_LARGE",
    ),
    (
        'query($c: ID!) { groups(communityId: $c, after: "bogus") { edges { node { id } } } }',
        None,
        "INVALID_INPUT",
    ),
]


@pytest.mark.parametrize("document, variables, code", BAD_QUERIES)
async def test_bad_query_input_is_a_coded_error(gql, world, document, variables, code):
    result = await gql.execute(document, variables or {"c": world.home_id}, token=world.staff.token)
    assert result.status == 200 and result.codes == [code], result.errors
