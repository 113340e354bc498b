"""createElection and the election's read side (E3 posts, settings readable by everyone)."""

from __future__ import annotations

from linli.testing import global_id, make_account, make_community

CREATE = """mutation($input: CreateElectionInput!) { createElection(input: $input) {
  election { id title phase electionDay posts { post seats slateSize }
             settings { rollDaysBefore proxyLimit slateExtraMember } }
  errors { code field message } } }"""
READ = """query($id: ID!) { election(electionId: $id) { title phase
  committee { name chair } } }"""


def seats(director=1, deputy=1, member=5):
    return {"director": director, "deputyDirector": deputy, "member": member}


async def test_E3_staff_create_an_election_with_valid_posts(gql):
    community = await make_community()
    staff = await make_account("staff", community)
    resident = await make_account("resident", community)
    cid = global_id("Community", community.pk)
    payload = await gql.mutate(CREATE, {
        "communityId": cid, "title": "第十二届居委会选举", "electionDay": "2026-04-20",
        "seats": seats(), "committee": [global_id("Person", staff.person.pk)],
    }, token=staff.token)
    assert payload["errors"] == []
    election = payload["election"]
    assert election["phase"] == "SETUP"
    assert [(p["post"], p["seats"], p["slateSize"]) for p in election["posts"]] == [
        ("DIRECTOR", 1, 2), ("DEPUTY_DIRECTOR", 1, 2), ("MEMBER", 5, 6)]
    assert election["settings"] == {"rollDaysBefore": 20, "proxyLimit": 3, "slateExtraMember": 1}
    seen = await gql.query(READ, {"id": election["id"]}, token=resident.token)
    assert seen["election"]["committee"] == [{"name": staff.person.real_name, "chair": False}]


async def test_E3_invalid_posts_are_coded_refusals(gql):
    community = await make_community()
    staff = await make_account("staff", community)
    cid = global_id("Community", community.pk)
    base = {"communityId": cid, "title": "选举", "electionDay": "2026-04-20"}
    too_few = await gql.mutate(CREATE, {**base, "seats": seats(1, 0, 2)}, token=staff.token)
    assert [e["code"] for e in too_few["errors"]] == ["SEATS_OUT_OF_RANGE"]
    assert "5" in too_few["errors"][0]["message"]
    two_directors = await gql.mutate(CREATE, {**base, "seats": seats(2, 1, 4)}, token=staff.token)
    assert [e["code"] for e in two_directors["errors"]] == ["ONE_DIRECTOR"]
    resident = await make_account("resident", community)
    refused = await gql.mutate(CREATE, {**base, "seats": seats()}, token=resident.token)
    assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
