"""E10 proxies: a close relative on the roll, at most 3 per holder, never a candidate, the
published list, withdrawal until voting opens; recorded by staff or accepted by both sides."""

from __future__ import annotations

from part1_helpers import GRANT, WITHDRAW, accept, codes, nominate, person, publish_roll, world

from linli.plugins.elections.models import Election
from linli.testing import make_account

PROXIES = """query($id: ID!) { votingProxies(electionId: $id) { grantorName holderName relation
  status via } }"""
ACCEPT_PROXY = """mutation($input: AcceptVotingProxyInput!) { acceptVotingProxy(input: $input) {
  proxy { status } errors { code } } }"""


def form(w, grantor, holder, relation="SPOUSE"):
    return {"electionId": w.election, "grantorId": person(grantor), "holderId": person(holder),
            "relation": relation}


async def test_E10_staff_record_a_written_proxy_to_a_close_relative(gql):
    w = await world(gql, voters=4)
    early = await gql.mutate(GRANT, form(w, w.voters[0], w.voters[1]), token=w.staff.token)
    assert codes(early) == ["INVALID_PHASE"]  # no roll yet
    await publish_roll(gql, w)
    granted = await gql.mutate(GRANT, form(w, w.voters[0], w.voters[1]), token=w.staff.token)
    assert granted["errors"] == [] and granted["proxy"]["status"] == "GRANTED"
    assert granted["proxy"]["via"] == "FORM"
    twice = await gql.mutate(GRANT, form(w, w.voters[0], w.voters[2], "CHILD"),
                             token=w.staff.token)
    assert codes(twice) == ["ALREADY_GRANTED"]
    friend = await gql.mutate(GRANT, form(w, w.voters[2], w.voters[3], "FRIEND"),
                              token=w.staff.token)
    assert codes(friend) == ["NOT_A_CLOSE_RELATIVE"]
    listed = await gql.query(PROXIES, {"id": w.election}, token=w.voters[3].token)
    assert listed["votingProxies"] == [{"grantorName": "测试居民", "holderName": "测试居民",
                                        "relation": "SPOUSE", "status": "GRANTED",
                                        "via": "FORM"}]


async def test_E10_both_on_the_roll_and_the_app_way_needs_the_holder(gql):
    w = await world(gql, voters=3)
    outsider = await make_account("resident", w.community)  # no birth date: not on the roll
    await publish_roll(gql, w)
    to_outsider = await gql.mutate(GRANT, {"electionId": w.election, "holderId": person(outsider),
                                           "relation": "CHILD"}, token=w.voters[0].token)
    assert codes(to_outsider) == ["NOT_ON_ROLL"]
    asked = await gql.mutate(GRANT, {"electionId": w.election, "holderId": person(w.voters[1]),
                                     "relation": "PARENT"}, token=w.voters[0].token)
    assert asked["proxy"]["status"] == "PENDING" and asked["proxy"]["via"] == "APP"
    # Only the holder accepts; a resident may not record someone else's form.
    other = await gql.mutate(ACCEPT_PROXY, {"proxyId": asked["proxy"]["id"]},
                             token=w.voters[2].token)
    assert codes(other) == ["NOT_A_PROXY"]
    forged = await gql.mutate(GRANT, form(w, w.voters[2], w.voters[1]), token=w.voters[0].token)
    assert codes(forged) == ["FORBIDDEN"]
    done = await gql.mutate(ACCEPT_PROXY, {"proxyId": asked["proxy"]["id"]},
                            token=w.voters[1].token)
    assert done["proxy"]["status"] == "GRANTED"


async def test_E10_a_proxy_holds_at_most_3(gql):
    w = await world(gql, voters=6)
    await publish_roll(gql, w)
    holder = w.voters[0]
    for grantor in w.voters[1:4]:
        made = await gql.mutate(GRANT, form(w, grantor, holder, "SIBLING"), token=w.staff.token)
        assert made["errors"] == []
    fourth = await gql.mutate(GRANT, form(w, w.voters[4], holder, "SIBLING"),
                              token=w.staff.token)
    assert codes(fourth) == ["PROXY_LIMIT"]
    assert "3" in fourth["errors"][0]["message"]
    # A withdrawn proxy frees the holder's place.
    first = (await gql.query(PROXIES, {"id": w.election}, token=w.staff.token))["votingProxies"]
    assert len(first) == 3
    proxies = await gql.query("""query($id: ID!) { votingProxies(electionId: $id) { id } }""",
                              {"id": w.election}, token=w.staff.token)
    gone = await gql.mutate(WITHDRAW, {"proxyId": proxies["votingProxies"][0]["id"]},
                            token=w.voters[1].token)
    assert gone["proxy"]["status"] == "WITHDRAWN"
    assert (await gql.mutate(GRANT, form(w, w.voters[4], holder, "SIBLING"),
                             token=w.staff.token))["errors"] == []


async def test_E10_a_candidate_cannot_be_a_proxy(gql, clock):
    from part1_helpers import to_nomination

    w = await world(gql, voters=4)
    await to_nomination(gql, w, clock)
    made = await nominate(gql, w, w.voters[0], w.voters[1])
    await accept(gql, w.voters[1], made["nomination"]["id"])
    refused = await gql.mutate(GRANT, form(w, w.voters[2], w.voters[1]), token=w.staff.token)
    assert codes(refused) == ["CANDIDATE_CANNOT_BE_PROXY"]


async def test_E10_withdrawn_until_voting_opens(gql):
    w = await world(gql, voters=3)
    await publish_roll(gql, w)
    made = await gql.mutate(GRANT, form(w, w.voters[0], w.voters[1]), token=w.staff.token)
    stranger = await gql.mutate(WITHDRAW, {"proxyId": made["proxy"]["id"]},
                                token=w.voters[2].token)
    assert codes(stranger) == ["NOT_A_PROXY"]
    await Election.filter(title="第十二届居委会选举", community_id=w.community.pk).update(
        phase="VOTING")
    late = await gql.mutate(WITHDRAW, {"proxyId": made["proxy"]["id"]}, token=w.voters[0].token)
    assert codes(late) == ["INVALID_PHASE"]
