"""E4 nominations: alone or jointly, a limit per post, the nominee answers, a committee member
who accepts leaves the committee (audited, visible)."""

from __future__ import annotations

from part1_helpers import (
    CONFIRM,
    DECLINE,
    ELECTION,
    accept,
    codes,
    nominate,
    person,
    to_nomination,
    world,
)

from linli.core.models import AuditEntry
from linli.testing import make_account

NOMINATIONS = """query($id: ID!) { nominations(electionId: $id) { post status nomineeName
  nominators { proposer confirmed } } }"""


async def test_E4_nominate_in_the_nomination_phase_only(gql, clock):
    w = await world(gql, voters=4)
    early = await nominate(gql, w, w.voters[0], w.voters[1])
    assert codes(early) == ["INVALID_PHASE"]
    await to_nomination(gql, w, clock)
    done = await nominate(gql, w, w.voters[0], w.voters[1])
    assert done["errors"] == [] and done["nomination"]["status"] == "AWAITING_ANSWER"


async def test_E4_nominator_and_nominee_must_be_on_the_roll(gql, clock):
    w = await world(gql, voters=3)
    outsider = await make_account("resident", w.community)  # no birth date: not on the roll
    await to_nomination(gql, w, clock)
    await outsider.fresh_token()
    assert codes(await nominate(gql, w, outsider, w.voters[0])) == ["NOT_ON_ROLL"]
    assert codes(await nominate(gql, w, w.voters[0], outsider)) == ["NOMINEE_NOT_ELIGIBLE"]
    # Staff nominate only as voters: this staff member's person is not on the roll.
    assert codes(await nominate(gql, w, w.staff, w.voters[1])) == ["NOT_ON_ROLL"]
    assert codes(await nominate(gql, w, w.voters[0], w.voters[1], post="NOPE")) == [
        "UNKNOWN_POST"]


async def test_E4_no_more_nominations_per_post_than_seats_and_one_per_nominee(gql, clock):
    w = await world(gql, voters=8, seats=(1, 1, 3))
    await to_nomination(gql, w, clock)
    voter = w.voters[0]
    for nominee in w.voters[1:4]:
        assert (await nominate(gql, w, voter, nominee))["errors"] == []
    fourth = await nominate(gql, w, voter, w.voters[4])
    assert codes(fourth) == ["TOO_MANY_NOMINATIONS"]
    assert "3" in fourth["errors"][0]["message"]
    # Another post has its own limit (1 director seat).
    assert (await nominate(gql, w, voter, w.voters[4], post="DIRECTOR"))["errors"] == []
    assert codes(await nominate(gql, w, voter, w.voters[5], post="DIRECTOR")) == [
        "TOO_MANY_NOMINATIONS"]
    # One live nomination per post and nominee, whoever makes it.
    assert codes(await nominate(gql, w, w.voters[6], w.voters[1])) == ["ALREADY_NOMINATED"]
    # A declined nomination frees its nominator's place and the nominee.
    listed = await gql.query(NOMINATIONS, {"id": w.election}, token=voter.token)
    assert len(listed["nominations"]) == 4
    first = await nominate(gql, w, w.voters[6], w.voters[7])
    declined = await gql.mutate(DECLINE, {"nominationId": first["nomination"]["id"]},
                                token=w.voters[7].token)
    assert declined["nomination"]["status"] == "DECLINED"
    assert (await nominate(gql, w, w.voters[5], w.voters[7]))["errors"] == []


async def test_E4_joint_nomination_co_nominators_confirm_before_acceptance(gql, clock):
    w = await world(gql, voters=5)
    await to_nomination(gql, w, clock)
    made = await nominate(gql, w, w.voters[0], w.voters[3], co=[w.voters[1], w.voters[2]])
    assert made["nomination"]["status"] == "AWAITING_CONFIRMATION"
    nomination = made["nomination"]["id"]
    assert codes(await accept(gql, w.voters[3], nomination)) == ["NOT_CONFIRMED"]
    stranger = await gql.mutate(CONFIRM, {"nominationId": nomination}, token=w.voters[4].token)
    assert codes(stranger) == ["NOT_A_CO_NOMINATOR"]
    one = await gql.mutate(CONFIRM, {"nominationId": nomination}, token=w.voters[1].token)
    assert one["nomination"]["status"] == "AWAITING_CONFIRMATION"
    again = await gql.mutate(CONFIRM, {"nominationId": nomination}, token=w.voters[1].token)
    assert codes(again) == ["ALREADY_DECIDED"]
    two = await gql.mutate(CONFIRM, {"nominationId": nomination}, token=w.voters[2].token)
    assert two["nomination"]["status"] == "AWAITING_ANSWER"
    assert codes(await accept(gql, w.voters[0], nomination)) == ["NOT_THE_NOMINEE"]
    accepted = await accept(gql, w.voters[3], nomination)
    assert accepted["nomination"]["status"] == "ACCEPTED"
    assert codes(await accept(gql, w.voters[3], nomination)) == ["ALREADY_DECIDED"]
    listed = await gql.query(NOMINATIONS, {"id": w.election}, token=w.voters[4].token)
    assert listed["nominations"][0]["nominators"] == [
        {"proposer": True, "confirmed": True}, {"proposer": False, "confirmed": True},
        {"proposer": False, "confirmed": True}]


async def test_E4_committee_member_who_accepts_leaves_the_committee(gql, clock):
    w = await world(gql, voters=4, committee=2)
    await to_nomination(gql, w, clock)
    member = w.committee[0]
    made = await nominate(gql, w, w.voters[2], member)
    assert (await accept(gql, member, made["nomination"]["id"]))["errors"] == []
    seen = await gql.query(ELECTION, {"id": w.election}, token=w.voters[3].token)
    committee = seen["election"]["committee"]
    assert [c["leftReason"] for c in committee] == ["NOMINATED", ""]
    assert committee[0]["leftAt"] is not None and committee[1]["leftAt"] is None
    left = await AuditEntry.filter(action="elections.committee.leave").count()
    assert left == 1
    assert person(member)
