"""The group registry over GraphQL: filing, review, jurisdiction, changes, renewal, roster."""

from __future__ import annotations

import datetime as dt

from groups_helpers import (
    CHANGE,
    DIRECTORY,
    FILE,
    GROUP,
    QUEUE,
    RENEW,
    ROSTER,
    UPDATE,
    add_members,
    approved_group,
    decide,
    file_group,
    form,
    gid,
    submit,
)


async def test_G1_file_a_draft_with_its_roster(gql, world):
    group = await file_group(gql, world)
    assert group["status"] == "DRAFT" and group["memberCount"] == 1
    assert group["leader"]["name"] == "测试居民" and group["badge"] is False


async def test_G1_excluded_kinds_are_refused_at_filing(gql, world):
    declared = await gql.mutate(
        FILE, form(world, kind="OWNERS_COMMITTEE"), token=world.leader.token
    )
    assert [(e["code"], e["field"]) for e in declared["errors"]] == [("EXCLUDED_KIND", ["kind"])]
    assert declared["group"] is None
    named = await gql.mutate(FILE, form(world, name="番禺路小区业委会"), token=world.leader.token)
    assert [(e["code"], e["field"]) for e in named["errors"]] == [("EXCLUDED_KIND", ["name"])]
    profit = await gql.mutate(
        FILE, form(world, kind="PROFIT_MAKING"), token=world.leader.token, locale="en"
    )
    assert profit["errors"][0]["message"].startswith("Owners' committees and profit-making")
    zh = await gql.mutate(FILE, form(world, kind="PROFIT_MAKING"), token=world.leader.token)
    assert "不予备案" in zh["errors"][0]["message"]


async def test_G1_bad_input_is_a_coded_error(gql, world):
    blank = await gql.mutate(FILE, form(world, name="  "), token=world.leader.token)
    assert [(e["code"], e["field"]) for e in blank["errors"]] == [("TEXT_REQUIRED", ["name"])]
    long = await gql.mutate(FILE, form(world, venue="x" * 201), token=world.leader.token)
    assert (
        long["errors"][0]["code"] == "TEXT_TOO_LONG"
        and "x" * 20 not in long["errors"][0]["message"]
    )
    wrong = await gql.mutate(
        FILE, form(world, communityId=gid("Person", 1)), token=world.leader.token
    )
    assert [(e["code"], e["field"]) for e in wrong["errors"]] == [
        ("INVALID_INPUT", ["communityId"])
    ]
    anonymous = await gql.mutate(FILE, form(world))
    assert anonymous["errors"][0]["code"] == "UNAUTHENTICATED"
    elsewhere = await gql.mutate(FILE, form(world), token=world.sibling_staff.token)
    # staff of another community may file only where they hold a role (FORBIDDEN)
    assert elsewhere["errors"][0]["code"] == "FORBIDDEN"


async def test_G3_review_flow_with_deadline_and_reason(gql, world, clock):
    group = await file_group(gql, world)
    await add_members(gql, world, group["id"], 4)
    filing = await submit(gql, world, group["id"])
    assert filing["status"] == "SUBMITTED" and filing["deadline"] == "2026-03-09"
    queue = (await gql.query(QUEUE, {"c": world.home_id}, token=world.staff.token))[
        "groupReviewQueue"
    ]
    assert [(f["id"], f["overdue"]) for f in queue] == [(filing["id"], False)]
    no_reason = await decide(gql, world.staff.token, filing["id"], "REJECT", "  ")
    assert no_reason["errors"][0]["code"] == "REASON_REQUIRED" and no_reason["filing"] is None
    returned = await decide(gql, world.staff.token, filing["id"], "RETURN", "请补充章程")
    assert returned["group"]["status"] == "RETURNED"
    assert returned["filing"]["decisionReason"] == "请补充章程"
    edited = await gql.mutate(
        UPDATE,
        {k: v for k, v in form(world, charter="新章程").items() if k != "communityId"}
        | {"groupId": group["id"]},
        token=world.leader.token,
    )
    assert edited["errors"] == []
    again = await submit(gql, world, group["id"])
    await world.advance(clock, days=8)
    queue = (await gql.query(QUEUE, {"c": world.home_id}, token=world.staff.token))[
        "groupReviewQueue"
    ]
    assert [(f["id"], f["overdue"]) for f in queue] == [(again["id"], True)]
    approved = await decide(gql, world.staff.token, again["id"], "APPROVE")
    assert approved["errors"] == [] and approved["warnings"] == []
    assert approved["group"]["status"] == "APPROVED" and approved["group"]["badge"] is True
    assert approved["filing"]["validUntil"] == "2027-03-10"
    twice = await decide(gql, world.staff.token, again["id"], "REJECT", "再想想")
    assert twice["errors"][0]["code"] == "INVALID_TRANSITION"


async def test_G3_rejection_of_a_first_filing_is_final(gql, world):
    group = await file_group(gql, world)
    filing = await submit(gql, world, group["id"])
    rejected = await decide(gql, world.staff.token, filing["id"], "REJECT", "活动内容不明确")
    assert rejected["group"]["status"] == "REJECTED"
    assert rejected["filing"]["decision"] == "REJECT"
    resubmit = await gql.mutate(
        """mutation($input: GroupIdInput!) { submitGroupFiling(input: $input) {
        errors { code } } }""",
        {"groupId": group["id"]},
        token=world.leader.token,
    )
    assert resubmit["errors"][0]["code"] == "INVALID_TRANSITION"


async def test_G2_jurisdiction_follows_the_hierarchy(gql, world):
    from linli.testing import make_account

    committee = await file_group(gql, world)
    street = await file_group(gql, world, name="华阳路街道腰鼓队", level="STREET")
    across = await file_group(
        gql, world, name="两社区合唱团", otherCommunityIds=[gid("Community", world.sibling.pk)]
    )
    filings = {
        g["id"]: (await submit(gql, world, g["id"]))["id"] for g in (committee, street, across)
    }
    resident = world.leader
    other_street_staff = await make_account("staff")  # a community under another street office
    outside = [world.sibling_staff, resident, other_street_staff]
    # committee level: its community's staff (and the street office above it)
    for caller in outside:
        refused = await decide(gql, caller.token, filings[committee["id"]], "APPROVE")
        assert refused["errors"][0]["code"] == "OUTSIDE_JURISDICTION", caller
    # street level, and across communities: the street office only
    for group in (street, across):
        for caller in [world.staff, *outside]:
            refused = await decide(gql, caller.token, filings[group["id"]], "APPROVE")
            assert refused["errors"][0]["code"] == "OUTSIDE_JURISDICTION"
        ok = await decide(gql, world.street_staff.token, filings[group["id"]], "APPROVE")
        assert ok["errors"] == [] and ok["group"]["status"] == "APPROVED"
    ok = await decide(gql, world.staff.token, filings[committee["id"]], "APPROVE")
    assert ok["errors"] == []
    street_queue = await gql.query(
        QUEUE, {"c": gid("Community", world.street.pk)}, token=world.street_staff.token
    )
    assert street_queue["groupReviewQueue"] == []
    refused = await gql.execute(QUEUE, {"c": world.home_id}, token=world.sibling_staff.token)
    assert refused.codes == ["FORBIDDEN"]


async def test_G7_approval_below_minimum_warns_and_flags(gql, world):
    group = await file_group(gql, world)
    await add_members(gql, world, group["id"], 2)
    filing = await submit(gql, world, group["id"])
    approved = await decide(gql, world.staff.token, filing["id"], "APPROVE")
    assert approved["errors"] == [] and approved["group"]["status"] == "APPROVED"
    assert [w["code"] for w in approved["warnings"]] == ["BELOW_MINIMUM"]
    assert "3" in approved["warnings"][0]["message"] and "5" in approved["warnings"][0]["message"]
    read = await gql.query(
        "query($id: ID!) { group(id: $id) { compliant minimumMembers memberCount } }",
        {"id": group["id"]},
        token=world.leader.token,
    )
    assert read["group"] == {"compliant": False, "minimumMembers": 5, "memberCount": 3}
    await add_members(gql, world, group["id"], 2)
    read = await gql.query(
        "query($id: ID!) { group(id: $id) { compliant } }",
        {"id": group["id"]},
        token=world.leader.token,
    )
    assert read["group"]["compliant"] is True


async def test_G5_material_change_back_to_review_badge_hidden_old_version_readable(gql, world):
    group = await approved_group(gql, world)
    moved = await gql.mutate(
        CHANGE, {"groupId": group["id"], "venue": "番禺路 200 号活动室"}, token=world.leader.token
    )
    assert moved["errors"] == []
    assert moved["group"]["status"] == "SUBMITTED" and moved["group"]["badge"] is False
    read = (await gql.query(GROUP, {"id": group["id"]}, token=world.leader.token))["group"]
    assert [(f["number"], f["kind"], f["status"], f["venue"]) for f in read["filings"]] == [
        (1, "INITIAL", "APPROVED", "番禺路社区广场"),
        (2, "CHANGE", "SUBMITTED", "番禺路 200 号活动室"),
    ]
    assert read["filings"][1]["changedFields"] == ["venue"]
    directory = await gql.query(DIRECTORY, {"c": world.home_id}, token=world.leader.token)
    assert directory["groups"]["edges"] == []  # no badge, not in the directory meanwhile
    queue = (await gql.query(QUEUE, {"c": world.home_id}, token=world.staff.token))[
        "groupReviewQueue"
    ]
    approved = await decide(gql, world.staff.token, queue[0]["id"], "APPROVE")
    assert approved["group"]["status"] == "APPROVED" and approved["group"]["badge"] is True
    read = (await gql.query(GROUP, {"id": group["id"]}, token=world.leader.token))["group"]
    assert [(f["number"], f["status"]) for f in read["filings"]] == [
        (1, "SUPERSEDED"),
        (2, "APPROVED"),
    ]
    assert read["filings"][0]["venue"] == "番禺路社区广场"  # readable after superseded


async def test_G5_rejected_change_lapses_the_group_returned_change_is_edited(gql, world):
    group = await approved_group(gql, world)
    await gql.mutate(
        CHANGE, {"groupId": group["id"], "name": "番禺路排舞队"}, token=world.leader.token
    )
    queue = (await gql.query(QUEUE, {"c": world.home_id}, token=world.staff.token))[
        "groupReviewQueue"
    ]
    rejected = await decide(gql, world.staff.token, queue[0]["id"], "REJECT", "名称不规范")
    assert rejected["group"]["status"] == "LAPSED" and rejected["group"]["badge"] is False
    refiled = await gql.mutate(RENEW, {"groupId": group["id"]}, token=world.leader.token)
    assert refiled["errors"] == [] and refiled["group"]["status"] == "SUBMITTED"
    returned = await decide(gql, world.staff.token, refiled["filing"]["id"], "RETURN", "补材料")
    assert returned["group"]["status"] == "RETURNED"


async def test_G5_schedule_change_needs_no_review_but_is_a_version(gql, world):
    group = await approved_group(gql, world)
    changed = await gql.mutate(
        CHANGE, {"groupId": group["id"], "schedule": "每天 18:30-20:00"}, token=world.leader.token
    )
    assert changed["group"]["status"] == "APPROVED" and changed["group"]["badge"] is True
    read = (await gql.query(GROUP, {"id": group["id"]}, token=world.leader.token))["group"]
    assert [(f["number"], f["status"]) for f in read["filings"]] == [
        (1, "SUPERSEDED"),
        (2, "APPROVED"),
    ]
    nothing = await gql.mutate(
        CHANGE, {"groupId": group["id"], "schedule": "每天 18:30-20:00"}, token=world.leader.token
    )
    assert nothing["errors"][0]["code"] == "NOTHING_CHANGED"


async def test_G6_renewal_window_and_lapse(gql, world, clock):
    group = await approved_group(gql, world)
    early = await gql.mutate(RENEW, {"groupId": group["id"]}, token=world.leader.token)
    assert early["errors"][0]["code"] == "NOT_IN_RENEWAL_WINDOW"
    assert "2027-01-31" in early["errors"][0]["message"]
    await world.advance(clock, days=340)  # 2027-02-05: inside the window (opens 2027-01-31)
    renewed = await gql.mutate(RENEW, {"groupId": group["id"]}, token=world.leader.token)
    assert renewed["errors"] == [] and renewed["filing"]["kind"] == "RENEWAL"
    assert renewed["group"]["status"] == "APPROVED"  # still valid while the renewal waits
    twice = await gql.mutate(RENEW, {"groupId": group["id"]}, token=world.leader.token)
    assert twice["errors"][0]["code"] == "INVALID_TRANSITION"
    ok = await decide(gql, world.staff.token, renewed["filing"]["id"], "APPROVE")
    assert ok["group"]["approvedUntil"] == "2028-02-05"


async def test_G4_roster_as_of_through_the_api(gql, world, clock):
    group = await file_group(gql, world)
    await add_members(gql, world, group["id"], 1)
    await world.advance(clock, days=2)
    await add_members(gql, world, group["id"], 1)
    before = await gql.query(
        ROSTER, {"g": group["id"], "d": "2026-03-02"}, token=world.leader.token
    )
    assert [(e["role"], e["since"]) for e in before["groupRoster"]] == [
        ("LEADER", "2026-03-02"),
        ("MEMBER", "2026-03-02"),
    ]
    assert before["groupRoster"][0]["phone"] == world.leader.phone
    now = await gql.query(ROSTER, {"g": group["id"]}, token=world.leader.token)
    assert len(now["groupRoster"]) == 3
    assert (
        await gql.query(ROSTER, {"g": group["id"], "d": "2026-03-01"}, token=world.staff.token)
    )["groupRoster"] == []


async def test_privacy_roster_for_the_leader_and_reviewers_only(gql, world):
    group = await approved_group(gql, world, members=1)
    member = world.residents[-1]
    neighbour = await world.resident()
    for caller in (member, neighbour, world.sibling_staff):
        refused = await gql.execute(ROSTER, {"g": group["id"]}, token=caller.token)
        assert refused.codes and refused.codes[0] in {"FORBIDDEN", "NOT_FOUND"}, caller
        assert refused.data is None or refused.data.get("groupRoster") is None
    public = (await gql.query(GROUP, {"id": group["id"]}, token=neighbour.token))["group"]
    assert public["name"] == "番禺路广场舞队" and public["memberCount"] == 2
    assert public["roster"] is None and public["filings"] is None
    staff = (await gql.query(GROUP, {"id": group["id"]}, token=world.staff.token))["group"]
    assert {r["phone"] for r in staff["roster"]} == {world.leader.phone, member.phone}
    street = (await gql.query(GROUP, {"id": group["id"]}, token=world.street_staff.token))["group"]
    assert street["roster"] is not None
    hidden = await gql.query(GROUP, {"id": group["id"]}, token=world.sibling_staff.token)
    assert hidden["group"] is None


async def test_G8_directory_lists_approved_groups_by_name(gql, world):
    await approved_group(gql, world, members=0)
    await approved_group(gql, world, members=0, name="老年合唱团")
    await file_group(gql, world, name="书画社", category="OTHER")  # a draft: not listed
    street = await approved_group(gql, world, members=0, name="街道腰鼓队", level="STREET")
    resident = await world.resident()
    page = await gql.query(DIRECTORY, {"c": world.home_id}, token=resident.token)
    names = [e["node"]["name"] for e in page["groups"]["edges"]]
    assert sorted(names) == sorted(["番禺路广场舞队", "老年合唱团", "街道腰鼓队"])
    assert all(e["node"]["badge"] for e in page["groups"]["edges"])
    found = await gql.query(DIRECTORY, {"c": world.home_id, "q": "合唱"}, token=resident.token)
    assert [e["node"]["name"] for e in found["groups"]["edges"]] == ["老年合唱团"]
    sibling = await world.resident(world.sibling)
    there = await gql.query(
        DIRECTORY, {"c": gid("Community", world.sibling.pk)}, token=sibling.token
    )
    assert [e["node"]["id"] for e in there["groups"]["edges"]] == [street["id"]]
    refused = await gql.execute(DIRECTORY, {"c": world.home_id}, token=sibling.token)
    assert refused.codes == ["FORBIDDEN"]
    assert dt.date  # the directory is by the community's day (tested in test_groups_timed)


PAGES = """query($c: ID!, $cat: GroupCategory, $after: String) {
  groups(communityId: $c, category: $cat, first: 2, after: $after) {
    edges { node { name memberCount leader { name } badge } }
    pageInfo { hasNextPage endCursor } } }"""


async def test_G8_directory_pages_filters_and_lists_groups_active_across_communities(gql, world):
    for name in ("甲队", "乙队", "丙队"):
        await approved_group(gql, world, members=1, name=name)
    await approved_group(gql, world, members=0, name="丁社", category="PUBLIC_WELFARE")
    sibling = gid("Community", world.sibling.pk)
    across = await file_group(gql, world, name="两社区联合队", otherCommunityIds=[sibling])
    filing = await submit(gql, world, across["id"])  # the street office reviews it (G2)
    assert (await decide(gql, world.street_staff.token, filing["id"], "APPROVE"))["errors"] == []
    resident = await world.resident()
    first = await gql.query(
        PAGES, {"c": world.home_id, "cat": "CULTURE_SPORTS"}, token=resident.token
    )
    second = await gql.query(
        PAGES,
        {
            "c": world.home_id,
            "cat": "CULTURE_SPORTS",
            "after": first["groups"]["pageInfo"]["endCursor"],
        },
        token=resident.token,
    )
    pages = [first["groups"], second["groups"]]
    names = [e["node"]["name"] for page in pages for e in page["edges"]]
    assert names == sorted(["甲队", "乙队", "丙队", "两社区联合队"])  # by name, no repeats
    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [True, False]
    node = next(e["node"] for e in first["groups"]["edges"] if e["node"]["name"] != "两社区联合队")
    assert node["memberCount"] == 2 and node["leader"]["name"] and node["badge"] is True
    there = await world.resident(world.sibling)
    page = await gql.query(DIRECTORY, {"c": sibling}, token=there.token)
    assert [e["node"]["id"] for e in page["groups"]["edges"]] == [across["id"]]
