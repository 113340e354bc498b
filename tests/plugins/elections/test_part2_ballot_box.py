"""The ballot box over GraphQL (SQLite by default; PostgreSQL with LINLI_TEST_DATABASE_URL):
every channel, E6, E7, E10, E11, and the polling station's double entry."""

from __future__ import annotations

from part2_helpers import (
    CAST,
    CLOSE,
    COUNT,
    MOBILE,
    PAPER,
    SIGN_IN,
    TURNOUT,
    ballot_input,
    grant_proxy,
    make_world,
)

from linli.testing import make_account


async def test_E7_online_cast_gives_a_receipt_once_and_a_second_cast_is_already_voted(gql):
    w = await make_world(12)
    v = w.voters[9]
    first = await gql.mutate(CAST, ballot_input(w, {w.cand("DIRECTOR", 0): "FOR"}), token=v.token)
    assert first["errors"] == []
    code = first["receipt"]["trackingCode"]
    assert len(code) == 16 and first["receipt"]["round"] == 1
    again = await gql.mutate(CAST, ballot_input(w, {w.cand("DIRECTOR", 1): "FOR"}), token=v.token)
    assert [e["code"] for e in again["errors"]] == ["ALREADY_VOTED"]
    from linli.plugins.elections.models import Ballot, Participation

    assert await Participation.all().count() == 1 and await Ballot.all().count() == 1


async def test_E7_one_ballot_across_channels_online_then_mobile_then_polling(gql):
    w = await make_world(12)
    v = w.voters[10]
    assert (await gql.mutate(CAST, ballot_input(w, {}), token=v.token))["errors"] == []
    mobile = await gql.mutate(MOBILE, ballot_input(
        w, {}, voterId=v.gid, scrutineerIds=[w.voters[8].gid, w.voters[9].gid]),
        token=w.staff.token)
    assert [e["code"] for e in mobile["errors"]] == ["ALREADY_VOTED"]
    signed = await gql.mutate(SIGN_IN, {"electionId": w.gid, "voterId": v.gid},
                              token=w.staff.token)
    assert [e["code"] for e in signed["errors"]] == ["ALREADY_VOTED"]


async def test_E10_proxy_casts_for_the_grantor_only_with_a_granted_proxy(gql):
    w = await make_world(12)
    grantor, holder, other = w.voters[9], w.voters[10], w.voters[11]
    refused = await gql.mutate(CAST, ballot_input(w, {}, forVoter=grantor.gid), token=other.token)
    assert [e["code"] for e in refused["errors"]] == ["NOT_A_PROXY"]
    await grant_proxy(w, grantor, holder)
    done = await gql.mutate(CAST, ballot_input(w, {}, forVoter=grantor.gid), token=holder.token)
    assert done["errors"] == []
    own = await gql.mutate(CAST, ballot_input(w, {}), token=holder.token)
    assert own["errors"] == []  # the holder still votes for themselves
    turnout = (await gql.query(TURNOUT, {"e": w.gid}, token=w.staff.token))["electionTurnout"]
    by = {c["channel"]: c["count"] for c in turnout["byChannel"]}
    assert by == {"ONLINE": 1, "PROXY": 1, "MOBILE_BOX": 0, "POLLING_STATION": 0}
    from linli.plugins.elections.models import Participation

    row = await Participation.get(person_id=grantor.person_id)
    assert (row.channel, row.cast_by_person_id) == ("PROXY", holder.person_id)


async def test_E10_E5_no_proxy_voting_at_a_primary(gql):
    from linli.plugins.elections.rules.model import Kind, Post, Seats
    from linli.plugins.elections.service import rounds

    w = await make_world(12, phase="PRIMARY")
    cands = [{"id": str(c.pk), "person": str(c.person_id), "post": "MEMBER", "name": c.name}
             for c in w.candidates["MEMBER"]]
    await rounds.open_round(w.election, Kind.PRIMARY, [Seats(Post.MEMBER, 4)], cands)
    await grant_proxy(w, w.voters[9], w.voters[10])
    refused = await gql.mutate(CAST, ballot_input(w, {}, forVoter=w.voters[9].gid),
                               token=w.voters[10].token)
    assert [e["code"] for e in refused["errors"]] == ["NO_PROXY_AT_PRIMARY"]


async def test_E6_a_mark_off_the_ballot_is_refused_an_overvote_is_recorded(gql):
    w = await make_world(12)
    bad = await gql.mutate(CAST, ballot_input(w, {"999999": "FOR"}), token=w.voters[9].token)
    assert [e["code"] for e in bad["errors"]] == ["INVALID_BALLOT"]
    over = {w.cand("DIRECTOR", 0): "FOR", w.cand("DIRECTOR", 1): "FOR"}  # 2 FOR, 1 seat
    done = await gql.mutate(CAST, ballot_input(w, over), token=w.voters[9].token)
    assert done["errors"] == []  # a spoilt ballot is still a ballot (E13's denominator)


async def test_E6_refusals_never_need_a_voter_on_the_roll_to_be_echoed(gql):
    w = await make_world(12)
    outsider = await make_account("resident", w.community)
    refused = await gql.mutate(CAST, ballot_input(w, {}), token=outsider.token)
    assert [e["code"] for e in refused["errors"]] == ["NOT_ON_ROLL"]
    assert str(outsider.person.pk) not in refused["errors"][0]["message"]


async def test_E11_mobile_box_needs_two_scrutineers_none_a_candidate_or_kin(gql):
    from linli.core.identity.models import Person

    w = await make_world(12)
    voter = w.voters[11]
    few = await gql.mutate(MOBILE, ballot_input(
        w, {}, voterId=voter.gid, scrutineerIds=[w.voters[8].gid]), token=w.staff.token)
    assert [e["code"] for e in few["errors"]] == ["SCRUTINEERS_REQUIRED"]
    candidate = await gql.mutate(MOBILE, ballot_input(
        w, {}, voterId=voter.gid, scrutineerIds=[w.voters[0].gid, w.voters[8].gid]),
        token=w.staff.token)
    assert [e["code"] for e in candidate["errors"]] == ["SCRUTINEER_NOT_ALLOWED"]
    await Person.filter(pk__in=[w.voters[0].person_id, w.voters[9].person_id]).update(
        household="番禺路 100 弄 3 号 201")
    kin = await gql.mutate(MOBILE, ballot_input(
        w, {}, voterId=voter.gid, scrutineerIds=[w.voters[9].gid, w.voters[8].gid]),
        token=w.staff.token)
    assert [e["code"] for e in kin["errors"]] == ["SCRUTINEER_NOT_ALLOWED"]
    resident = await gql.mutate(MOBILE, ballot_input(
        w, {}, voterId=voter.gid, scrutineerIds=[w.voters[10].gid, w.voters[8].gid]),
        token=w.voters[10].token)
    assert [e["code"] for e in resident["errors"]] == ["FORBIDDEN"]
    done = await gql.mutate(MOBILE, ballot_input(
        w, {w.cand("MEMBER", 0): "FOR"}, voterId=voter.gid,
        scrutineerIds=[w.voters[10].gid, w.voters[8].gid]), token=w.staff.token)
    assert done["errors"] == [] and len(done["receipt"]["trackingCode"]) == 16
    from linli.plugins.elections.models import Participation

    row = await Participation.get(person_id=voter.person_id)
    assert row.channel == "MOBILE_BOX"
    assert sorted(row.scrutineers) == sorted([w.voters[10].person_id, w.voters[8].person_id])


async def test_polling_station_double_entry_mismatch_is_flagged_never_resolved(gql):
    w = await make_world(12)
    for v in w.voters[8:11]:
        signed = await gql.mutate(SIGN_IN, {"electionId": w.gid, "voterId": v.gid},
                                  token=w.staff.token)
        assert signed["errors"] == []
    a = ballot_input(w, {w.cand("DIRECTOR", 0): "FOR"}, sheet=1)
    b = ballot_input(w, {w.cand("DIRECTOR", 1): "FOR"}, sheet=1)
    assert (await gql.mutate(PAPER, a, token=w.staff.token))["sheetStatus"] == "SINGLE"
    same_teller = await gql.mutate(PAPER, a, token=w.staff.token)
    assert [e["code"] for e in same_teller["errors"]] == ["TELLER_ALREADY_ENTERED"]
    assert (await gql.mutate(PAPER, b, token=w.teller.token))["sheetStatus"] == "MISMATCH"
    from linli.plugins.elections.models import Ballot

    assert await Ballot.all().count() == 0  # nothing counted from a mismatch
    assert (await gql.mutate(CLOSE, {"electionId": w.gid}, token=w.staff.token))["errors"] == []
    refused = await gql.mutate(COUNT, {"electionId": w.gid}, token=w.staff.token)
    assert [e["code"] for e in refused["errors"]] == ["PAPER_UNSETTLED"]
    # The second teller looks at the sheet again and enters what it says.
    assert (await gql.mutate(PAPER, a, token=w.teller.token))["sheetStatus"] == "MATCHED"
    assert await Ballot.all().count() == 1
    settled = await gql.mutate(PAPER, a, token=w.staff.token)
    assert [e["code"] for e in settled["errors"]] == ["SHEET_SETTLED"]


async def test_E12_more_paper_ballots_than_signed_in_voters_make_the_round_invalid(gql):
    w = await make_world(3, seats={"DIRECTOR": 1}, slate={"DIRECTOR": 2})
    for v in w.voters[:2]:
        await gql.mutate(SIGN_IN, {"electionId": w.gid, "voterId": v.gid}, token=w.staff.token)
    for sheet in (1, 2, 3):  # three sheets out of a box two voters put paper into
        entry = ballot_input(w, {w.cand("DIRECTOR", 0): "FOR"}, sheet=sheet)
        await gql.mutate(PAPER, entry, token=w.staff.token)
        assert (await gql.mutate(PAPER, entry, token=w.teller.token))["sheetStatus"] == "MATCHED"
    await gql.mutate(CLOSE, {"electionId": w.gid}, token=w.staff.token)
    counted = await gql.mutate(COUNT, {"electionId": w.gid}, token=w.staff.token)
    assert counted["errors"] == []
    from linli.plugins.elections.models import PublishedBundle

    bundle = await PublishedBundle.get(election_id=w.election.pk)
    assert b'"MORE_BALLOTS_THAN_VOTERS"' in bytes(bundle.body)
    assert counted["result"]["outcome"]["next"][0]["kind"] == "MAIN"  # voted again (E12)
