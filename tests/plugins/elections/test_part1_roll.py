"""E1 the electorate and E2 the roll: computed from identity, conflicts, windows, objections."""

from __future__ import annotations

import datetime as dt

from part1_helpers import (
    AM_I,
    DECIDE_OBJECTION,
    ELECTION,
    FILE_OBJECTION,
    PUBLISH_ROLL,
    ROLL,
    codes,
    person,
    publish_roll,
    refresh,
    world,
)

from linli.core.identity.models import Membership
from linli.testing import global_id, make_account, make_community, run_periodic_task


async def test_E1_roll_is_adults_registered_here_with_names_never_id_numbers(gql):
    w = await world(gql, voters=3)
    child = await make_account("resident", w.community, birth_date=dt.date(2015, 1, 1))
    elsewhere = await make_account("resident", await make_community(),
                                   birth_date=dt.date(1970, 1, 1))
    election = await publish_roll(gql, w)
    assert (election["phase"], election["rollSize"]) == ("ROLL_PUBLISHED", 3)
    roll = await gql.query(ROLL, {"id": w.election}, token=w.voters[0].token)
    nodes = [e["node"] for e in roll["voterRoll"]["edges"]]
    assert sorted(n["personId"] for n in nodes) == sorted(person(v) for v in w.voters)
    assert set(nodes[0]) == {"name", "household", "residentGroup", "personId"}
    assert (await gql.query(AM_I, {"id": w.election}, token=child.token))["amIOnTheRoll"] == {
        "onRoll": False, "reason": "UNDER_18"}
    assert (await gql.query(AM_I, {"id": w.election}, token=w.voters[1].token))[
        "amIOnTheRoll"] == {"onRoll": True, "reason": None}
    # Someone of another community does not see this election at all.
    refused = await gql.execute(AM_I, {"id": w.election}, token=elsewhere.token)
    assert refused.codes == ["NOT_FOUND"]


async def test_E1_18th_birthday_on_election_day_in_local_time(gql):
    """Election day 10 April 2026 (Asia/Shanghai): born 10 April 2008 is 18 that day and on
    the roll; born 11 April 2008 is not. The rule counts the local day, never UTC's."""
    w = await world(gql, voters=0)
    on_day = await make_account("resident", w.community, birth_date=dt.date(2008, 4, 10))
    day_after = await make_account("resident", w.community, birth_date=dt.date(2008, 4, 11))
    election = await publish_roll(gql, w)
    assert election["rollSize"] == 1
    assert (await gql.query(AM_I, {"id": w.election}, token=on_day.token))["amIOnTheRoll"][
        "onRoll"] is True
    assert (await gql.query(AM_I, {"id": w.election}, token=day_after.token))["amIOnTheRoll"] == {
        "onRoll": False, "reason": "UNDER_18"}


async def test_E1_local_day_decides_publication_near_midnight_utc(gql, clock):
    """The last day to publish a roll for 10 April is 21 March (20 days before). At 16:30 UTC
    on 21 March UTC still says 21 March, but it is 00:30 on 22 March in Shanghai: closed. At
    15:30 UTC (23:30 local) it is still open."""
    from datetime import UTC, datetime

    w = await world(gql, voters=1)
    clock.set(datetime(2026, 3, 21, 16, 30, tzinfo=UTC))  # 00:30 local, 22 March: closed
    await w.staff.fresh_token()
    late = await gql.mutate(PUBLISH_ROLL, {"electionId": w.election}, token=w.staff.token)
    assert codes(late) == ["OUTSIDE_WINDOW"]
    assert "2026-03-21" in late["errors"][0]["message"]
    clock.set(datetime(2026, 3, 21, 15, 30, tzinfo=UTC))  # 23:30 local, 21 March: open
    on_time = await gql.mutate(PUBLISH_ROLL, {"electionId": w.election}, token=w.staff.token)
    assert on_time["errors"] == []


async def test_E1_person_in_two_communities_is_a_conflict_staff_resolve(gql):
    w = await world(gql, voters=2)
    other = await make_community()
    Membership_row = await Membership.create(account=w.voters[0].account, community=other,
                                             role="resident", created_at=dt.datetime.now(dt.UTC))
    assert Membership_row.pk
    refused = await gql.mutate(PUBLISH_ROLL, {"electionId": w.election}, token=w.staff.token)
    assert codes(refused) == ["ROLL_HAS_CONFLICTS"]
    resolve = """mutation($input: ResolveRollConflictInput!) { resolveRollConflict(input: $input) {
      conflict { resolvedCommunityId } errors { code } } }"""
    listed = await gql.query("""query($id: ID!) { rollConflicts(electionId: $id) {
      personId communityIds resolvedCommunityId } }""", {"id": w.election}, token=w.staff.token)
    assert [c["personId"] for c in listed["rollConflicts"]] == [person(w.voters[0])]
    # The other community counts: the person votes there, not here.
    done = await gql.mutate(resolve, {"electionId": w.election, "personId": person(w.voters[0]),
                                      "communityId": global_id("Community", other.pk)},
                            token=w.staff.token)
    assert done["errors"] == []
    election = await publish_roll(gql, w)
    assert election["rollSize"] == 1
    assert (await gql.query(AM_I, {"id": w.election}, token=w.voters[0].token))[
        "amIOnTheRoll"]["onRoll"] is False


async def test_E2_roll_published_at_least_20_days_before(gql):
    w = await world(gql, voters=1, day="2026-03-20")  # 18 days after the frozen 2 March
    refused = await gql.mutate(PUBLISH_ROLL, {"electionId": w.election}, token=w.staff.token)
    assert codes(refused) == ["OUTSIDE_WINDOW"]
    assert "2026-02-28" in refused["errors"][0]["message"]  # the window's last day
    twice = await world(gql, voters=1)
    await publish_roll(gql, twice)
    again = await gql.mutate(PUBLISH_ROLL, {"electionId": twice.election}, token=twice.staff.token)
    assert codes(again) == ["INVALID_PHASE"]


async def test_E2_objections_within_5_days_decided_within_3_published(gql, clock):
    w = await world(gql, voters=2)
    missing = await make_account("resident", w.community, birth_date=dt.date(1990, 1, 1))
    # Not yet published: nothing to object to.
    early = await gql.mutate(FILE_OBJECTION, {"electionId": w.election, "kind": "MISSING",
                                              "subjectPersonId": person(missing)},
                             token=w.voters[0].token)
    assert codes(early) == ["INVALID_PHASE"]
    await publish_roll(gql, w)  # `missing` is an adult here, so on the roll: object to them
    filed = await gql.mutate(FILE_OBJECTION, {
        "electionId": w.election, "kind": "NOT_ELIGIBLE", "subjectPersonId": person(missing),
        "reason": "已迁出"}, token=w.voters[0].token)
    assert filed["errors"] == [] and filed["objection"]["filedOn"] == "2026-03-02"
    objection = filed["objection"]["id"]
    # A resident may not decide.
    forbidden = await gql.mutate(DECIDE_OBJECTION, {"objectionId": objection, "uphold": True},
                                 token=w.voters[1].token)
    assert codes(forbidden) == ["FORBIDDEN"]
    clock.advance(days=4)  # 6 March: past the decision window (2–5 March)
    await w.staff.fresh_token()
    late = await gql.mutate(DECIDE_OBJECTION, {"objectionId": objection, "uphold": True},
                            token=w.staff.token)
    assert codes(late) == ["OUTSIDE_WINDOW"]
    assert "2026-03-05" in late["errors"][0]["message"]
    clock.advance(days=-2)  # 4 March
    await refresh(w)
    decided = await gql.mutate(DECIDE_OBJECTION, {"objectionId": objection, "uphold": True,
                                                  "note": "核实已迁出"}, token=w.staff.token)
    assert decided["errors"] == [] and decided["objection"]["status"] == "UPHELD"
    seen = await gql.query(ELECTION, {"id": w.election}, token=w.voters[0].token)
    assert seen["election"]["rollSize"] == 2
    published = await gql.query("""query($id: ID!) { rollObjections(electionId: $id) {
      status decisionNote } }""", {"id": w.election}, token=w.voters[1].token)
    assert published["rollObjections"] == [{"status": "UPHELD", "decisionNote": "核实已迁出"}]
    # Upheld again: the missing person is put back by a second objection.
    clock.advance(days=3)  # 7 March: the objection window's last day
    await refresh(w)
    back = await gql.mutate(FILE_OBJECTION, {"electionId": w.election, "kind": "MISSING",
                                             "subjectPersonId": person(missing)},
                            token=w.voters[0].token)
    assert back["errors"] == []
    done = await gql.mutate(DECIDE_OBJECTION, {"objectionId": back["objection"]["id"],
                                               "uphold": True}, token=w.staff.token)
    assert done["errors"] == []
    assert (await gql.query(ELECTION, {"id": w.election}, token=w.staff.token))["election"][
        "rollSize"] == 3
    clock.advance(days=1)  # 8 March: the objection window has closed
    await w.voters[0].fresh_token()
    closed = await gql.mutate(FILE_OBJECTION, {"electionId": w.election, "kind": "NOT_ELIGIBLE",
                                               "subjectPersonId": person(missing)},
                              token=w.voters[0].token)
    assert codes(closed) == ["OUTSIDE_WINDOW"]
    assert "2026-03-02" in closed["errors"][0]["message"]
    assert "2026-03-07" in closed["errors"][0]["message"]


async def test_E2_roll_frozen_once_voting_opens(gql, clock):
    from part1_helpers import to_nomination

    w = await world(gql, voters=2)
    await to_nomination(gql, w, clock)
    from linli.plugins.elections.models import Election, RollObjection

    row = await Election.get(pk=int(__import__("strawberry").relay.from_base64(w.election)[1]))
    await Election.filter(pk=row.pk).update(phase="VOTING")
    objection = await RollObjection.create(
        election_id=row.pk, kind="MISSING", subject_person_id=w.voters[0].person.pk,
        filed_by_account_id=w.voters[0].id, filed_on=dt.date(2026, 4, 10),
        filed_at=dt.datetime.now(dt.UTC))
    decided = await gql.mutate(DECIDE_OBJECTION, {
        "objectionId": global_id("ElectionRollObjection", objection.pk), "uphold": True},
        token=w.staff.token)
    assert codes(decided) == ["ROLL_FROZEN"]
    filed = await gql.mutate(FILE_OBJECTION, {"electionId": w.election, "kind": "NOT_ELIGIBLE",
                                              "subjectPersonId": person(w.voters[1])},
                             token=w.voters[0].token)
    assert codes(filed) == ["ROLL_FROZEN"]


async def test_E2_the_clock_moves_the_phase_after_the_objection_window(gql, clock):
    w = await world(gql, voters=1)
    await publish_roll(gql, w)
    clock.advance(days=5)  # 7 March: the window's last day
    assert await run_periodic_task("elections-tick") == 0
    clock.advance(days=1)
    assert await run_periodic_task("elections-tick") == 1
    assert await run_periodic_task("elections-tick") == 0  # idempotent
    await w.staff.fresh_token()
    seen = await gql.query(ELECTION, {"id": w.election}, token=w.staff.token)
    assert seen["election"]["phase"] == "NOMINATION"
