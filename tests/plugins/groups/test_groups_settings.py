"""Per-community groups settings through the kit (G3, G6, G7 *settings*): staff change them
with updateGroupsSettings, the declaration validates them, and the rules read them: each
test changes a setting and shows the rule's outcome change."""

from __future__ import annotations

from groups_helpers import (
    RENEW,
    add_members,
    approved_group,
    decide,
    file_group,
    gid,
    submit,
)

READ = """query($c: ID!) { groupsSettings(communityId: $c) { decisionDays termDays
  renewalWindowDays minMembersCultureSports minMembersOther } }"""
UPDATE = """mutation($input: UpdateGroupsSettingsInput!) { updateGroupsSettings(input: $input) {
  settings { decisionDays termDays renewalWindowDays minMembersCultureSports }
  errors { code field message } } }"""
COMPLIANT = "query($id: ID!) { group(id: $id) { compliant minimumMembers memberCount } }"


async def change(gql, world, token=None, community=None, **values):
    community = community or world.home
    return await gql.mutate(
        UPDATE,
        {"communityId": gid("Community", community.pk), **values},
        token=token or world.staff.token,
    )


async def test_G3_defaults_are_DOMAIN_s_until_staff_change_them(gql, world):
    read = await gql.query(READ, {"c": world.home_id}, token=world.staff.token)
    assert read["groupsSettings"] == {
        "decisionDays": 7,
        "termDays": 365,
        "renewalWindowDays": 30,
        "minMembersCultureSports": 5,
        "minMembersOther": 5,
    }


async def test_G3_decision_days_setting_moves_the_deadline(gql, world):
    changed = await change(gql, world, decisionDays=3)
    assert changed["errors"] == [] and changed["settings"]["decisionDays"] == 3
    group = await file_group(gql, world)
    filing = await submit(gql, world, group["id"])
    assert filing["deadline"] == "2026-03-05"  # 2 March + 3 days (the default gives 9 March)
    # the sibling community keeps DOMAIN.md's default
    sibling = gid("Community", world.sibling.pk)
    read = await gql.query(READ, {"c": sibling}, token=world.sibling_staff.token)
    assert read["groupsSettings"]["decisionDays"] == 7


async def test_G6_term_and_window_settings_change_validity_and_renewal(gql, world):
    assert (await change(gql, world, termDays=180, renewalWindowDays=10))["errors"] == []
    group = await approved_group(gql, world)
    read = await gql.query(
        "query($id: ID!) { group(id: $id) { approvedUntil } }",
        {"id": group["id"]},
        token=world.leader.token,
    )
    assert read["group"]["approvedUntil"] == "2026-08-29"  # 2 March + 180 days
    early = await gql.mutate(RENEW, {"groupId": group["id"]}, token=world.leader.token)
    assert early["errors"][0]["code"] == "NOT_IN_RENEWAL_WINDOW"
    assert "2026-08-19" in early["errors"][0]["message"]  # the window opens 10 days before


async def test_G7_minimum_members_setting_changes_compliance_and_the_warning(gql, world):
    group = await file_group(gql, world)
    await add_members(gql, world, group["id"], 2)  # three people with the leader
    before = await gql.query(COMPLIANT, {"id": group["id"]}, token=world.leader.token)
    assert before["group"] == {"compliant": False, "minimumMembers": 5, "memberCount": 3}
    assert (await change(gql, world, minMembersCultureSports=3))["errors"] == []
    after = await gql.query(COMPLIANT, {"id": group["id"]}, token=world.leader.token)
    assert after["group"] == {"compliant": True, "minimumMembers": 3, "memberCount": 3}
    filing = await submit(gql, world, group["id"])
    approved = await decide(gql, world.staff.token, filing["id"], "APPROVE")
    assert approved["errors"] == [] and approved["warnings"] == []  # no BELOW_MINIMUM now


async def test_G3_settings_are_validated_and_staff_only(gql, world):
    too_long = await change(gql, world, renewalWindowDays=400)
    assert [(e["code"], e["field"]) for e in too_long["errors"]] == [
        ("INVALID_INPUT", ["renewalWindowDays"])
    ]
    assert "400" not in too_long["errors"][0]["message"]  # never an echo of the value
    crossing = await change(gql, world, termDays=60, renewalWindowDays=60)
    assert [(e["code"], e["field"]) for e in crossing["errors"]] == [
        ("INVALID_INPUT", ["settings"])
    ]
    zero = await change(gql, world, minMembersCultureSports=0)
    assert zero["errors"][0]["field"] == ["minMembersCultureSports"]
    resident = await world.resident()
    refused = await change(gql, world, resident.token, decisionDays=3)
    assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    sibling = await change(gql, world, world.sibling_staff.token, decisionDays=3)
    assert [e["code"] for e in sibling["errors"]] == ["FORBIDDEN"]  # not their community
    read = await gql.execute(READ, {"c": world.home_id}, token=resident.token)
    assert read.data is None and read.errors[0]["extensions"]["code"] == "FORBIDDEN"
    unchanged = await gql.query(READ, {"c": world.home_id}, token=world.staff.token)
    assert unchanged["groupsSettings"]["decisionDays"] == 7
