"""E5 the primary (预选) through the shared ballot box, end to end over HTTP against a real
``linli serve``: startPrimary opens its round, voters cast into it by the main vote's channels
(online, mobile box, polling station with two tellers; never by proxy), closePolls and
countVotes close and count it, its result fixes the formal slate, and the standalone
verifier recounts the primary with the main round that follows it.

SQLite by default, PostgreSQL when LINLI_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from box_helpers import (
    PHASE,
    PUBLISH_SLATE,
    SLATE,
    START_PRIMARY,
    call,
    nominated_world,
    verify_bundle,
)
from part2_helpers import BALLOT, CAST, CLOSE, COUNT, MOBILE, NEXT, PAPER, SIGN_IN, grant_proxy

from linli.core.clock import FrozenClock

PROPOSE_RECALL = """mutation($input: ProposeRecallInput!) { proposeRecall(input: $input) {
  proposal { id } errors { code message } } }"""


@pytest.fixture
def clock():
    # The server runs on the real clock: tokens and the election's dates must be valid by it.
    return FrozenClock(dt.datetime.now(dt.UTC))


def marks(election_gid: str, chosen: list[str], **extra) -> dict:
    return {"electionId": election_gid,
            "marks": [{"candidateId": c, "choice": "FOR"} for c in chosen], **extra}


@pytest.mark.timeout(900)
async def test_E5_primary_cast_closed_counted_through_the_box_fixes_the_slate_over_http(
        linli_app, live_server, clock, tmp_path):
    from linli.core import kit
    from linli.plugins.elections.models import Ballot, Election, Participation
    from linli.plugins.elections.service import elections as elections_service

    # 16 voters; director and deputy have 2 nominees each (no primary: the slate's size);
    # 6 members' nominees for a slate of 4: a primary for MEMBER only.
    w = await nominated_world(16, {"DIRECTOR": 2, "DEPUTY_DIRECTOR": 2, "MEMBER": 6})
    staff = w.staff.token
    async with httpx.AsyncClient(base_url=live_server.url, timeout=120) as client:
        early = await call(client, CLOSE, {"electionId": w.gid}, staff)
        assert [e["code"] for e in early["errors"]] == ["INVALID_PHASE"]
        started = await call(client, START_PRIMARY, {"electionId": w.gid}, staff)
        assert started["errors"] == [] and started["election"]["phase"] == "PRIMARY"
        ballot = await call(client, BALLOT, {"e": w.gid}, staff, inputs=False)
        assert ballot["kind"] == "PRIMARY" and ballot["status"] == "OPEN"
        assert ballot["posts"] == [{"post": "MEMBER", "seats": 4}]
        ids = [c["id"] for c in ballot["candidates"]]
        person_of = {c["id"]: c["personId"] for c in ballot["candidates"]}
        assert len(ids) == 6
        # No proxy at a primary (E5), whatever proxies are granted.
        await grant_proxy(w, w.voters[15], w.voters[14])
        proxied = await call(client, CAST, marks(w.gid, ids[:1], forVoter=w.voters[15].gid),
                             w.voters[14].token)
        assert [e["code"] for e in proxied["errors"]] == ["NO_PROXY_AT_PRIMARY"]
        # Ten online ballots (at most 4 FOR each: the seats): FOR 10, 8, 6, 4, 2, 0.
        plan = [ids[:4]] * 4 + [[*ids[:3], ids[4]]] * 2 + [ids[:2]] * 2 + [ids[:1]] * 2
        for voter, chosen in zip(w.voters[:10], plan, strict=True):
            cast = await call(client, CAST, marks(w.gid, chosen), voter.token)
            assert cast["errors"] == [], cast
        again = await call(client, CAST, marks(w.gid, ids[:1]), w.voters[0].token)
        assert [e["code"] for e in again["errors"]] == ["ALREADY_VOTED"]
        # The mobile box at a voter's home, two scrutineers who are not nominees (E11).
        nominee_scrutineers = await call(client, MOBILE, marks(
            w.gid, ids[5:6], voterId=w.voters[10].gid,
            scrutineerIds=[w.voters[0].gid, w.voters[12].gid]), staff)
        assert [e["code"] for e in nominee_scrutineers["errors"]] == ["SCRUTINEER_NOT_ALLOWED"]
        mobile = await call(client, MOBILE, marks(
            w.gid, ids[5:6], voterId=w.voters[10].gid,
            scrutineerIds=[w.voters[12].gid, w.voters[13].gid]), staff)
        assert mobile["errors"] == [] and len(mobile["receipt"]["trackingCode"]) == 16
        # The polling station: one voter signs in, one sheet entered by two tellers.
        signed = await call(client, SIGN_IN, {"electionId": w.gid, "voterId": w.voters[11].gid},
                            staff)
        assert signed["errors"] == []
        not_yet = await call(client, PUBLISH_SLATE, {"electionId": w.gid}, staff)
        assert [e["code"] for e in not_yet["errors"]] == ["PRIMARY_NOT_HELD"]
        closed = await call(client, CLOSE, {"electionId": w.gid}, staff)
        assert closed["errors"] == [] and closed["round"]["status"] == "TALLYING"
        phase = await call(client, PHASE, {"id": w.gid}, staff, inputs=False)
        assert phase["phase"] == "PRIMARY_COUNTING"
        late = await call(client, CAST, marks(w.gid, ids[:1]), w.voters[13].token)
        assert [e["code"] for e in late["errors"]] == ["NO_OPEN_ROUND"]
        for teller in w.tellers:
            sheet = await call(client, PAPER, {**marks(w.gid, ids[5:6]), "sheet": 1},
                               teller.token)
            assert sheet["errors"] == [], sheet
        assert sheet["sheetStatus"] == "MATCHED"
        in_counting = await call(client, PUBLISH_SLATE, {"electionId": w.gid}, staff)
        assert [e["code"] for e in in_counting["errors"]] == ["INVALID_PHASE"]
        counted = await call(client, COUNT, {"electionId": w.gid}, staff)
        assert counted["errors"] == [], counted
        result = counted["result"]
        # The primary decided the slate; the main round is what the count asks for next.
        assert result["status"] == "NEXT_ROUND"
        assert [n["kind"] for n in result["outcome"]["next"]] == ["MAIN"]
        phase = await call(client, PHASE, {"id": w.gid}, staff, inputs=False)
        assert phase["phase"] == "PRIMARY"
        # The main round is not opened by openNextRound: the slate's publication and
        # election day open it.
        premature = await call(client, NEXT, {"electionId": w.gid}, staff)
        assert [e["code"] for e in premature["errors"]] == ["NO_ROUND_DUE"]
        primary_bundle = (await client.get(result["bundleUrl"])).content
        published = await call(client, PUBLISH_SLATE, {"electionId": w.gid}, staff)
        assert published["errors"] == [] and published["election"]["phase"] == (
            "SLATE_PUBLISHED")
        slate = (await call(client, SLATE, {"id": w.gid}, staff, inputs=False))
        members = [s["personId"] for s in slate if s["post"] == "MEMBER"]
        # FOR 10, 8, 6, 4, 2 and (mobile box + paper) 2: the four highest make the slate.
        assert sorted(members) == sorted(person_of[c] for c in ids[:4])
        assert len([s for s in slate if s["post"] != "MEMBER"]) == 4
    doc = json.loads(primary_bundle)
    (primary,) = doc["rounds"]
    assert primary["kind"] == "PRIMARY"
    assert primary["participation"] == {"MOBILE_BOX": 1, "ONLINE": 10, "POLLING_STATION": 1,
                                        "PROXY": 0}
    assert primary["result"]["ballots"] == 12
    (path := tmp_path / "primary.json").write_bytes(primary_bundle)
    checked = await verify_bundle(path)
    assert checked.returncode == 0, checked.stderr + checked.stdout
    assert await Ballot.filter(round__kind="PRIMARY").count() == 12
    assert await Participation.filter(round__kind="PRIMARY").count() == 12

    # Election day: the clock opens voting; the main round's ballot is the slate.
    await Election.filter(pk=w.election.pk).update(election_day=kit.today("Asia/Shanghai"))
    await elections_service.move_due_phases()  # (or the server's own tick, first)
    async with httpx.AsyncClient(base_url=live_server.url, timeout=120) as client:
        phase = await call(client, PHASE, {"id": w.gid}, staff, inputs=False)
        assert phase["phase"] == "VOTING"
        main = await call(client, BALLOT, {"e": w.gid}, staff, inputs=False)
        assert main["kind"] == "MAIN"
        chosen = {}
        for c in main["candidates"]:
            chosen.setdefault(c["post"], []).append(c["id"])
        picks = chosen["DIRECTOR"][:1] + chosen["DEPUTY_DIRECTOR"][:1] + chosen["MEMBER"][:3]
        for voter in w.voters[:12]:
            cast = await call(client, CAST, marks(w.gid, picks), voter.token)
            assert cast["errors"] == [], cast
        assert (await call(client, CLOSE, {"electionId": w.gid}, staff))["errors"] == []
        counted = await call(client, COUNT, {"electionId": w.gid}, staff)
        assert counted["errors"] == [] and counted["result"]["status"] == "COMPLETE"
        phase = await call(client, PHASE, {"id": w.gid}, staff, inputs=False)
        assert phase["phase"] == "COUNTED"
        whole = (await client.get(counted["result"]["bundleUrl"])).content
    doc = json.loads(whole)
    assert [r["kind"] for r in doc["rounds"]] == ["PRIMARY", "MAIN"]
    (path := tmp_path / "election.json").write_bytes(whole)
    checked = await verify_bundle(path)
    assert checked.returncode == 0, checked.stderr + checked.stdout


async def test_E5_E13_a_tie_at_the_primary_cut_off_goes_to_a_tie_vote_in_the_box(gql, tmp_path):
    """The 4th and 5th of the primary tie: the slate waits, openNextRound opens a tie vote
    between them (phase PRIMARY still), and its winner completes the slate."""
    w = await nominated_world(12, {"DIRECTOR": 2, "DEPUTY_DIRECTOR": 2, "MEMBER": 5})
    staff = w.staff.token
    assert (await gql.mutate(START_PRIMARY, {"electionId": w.gid}, token=staff))["errors"] == []
    ballot = (await gql.query(BALLOT, {"e": w.gid}, token=staff))["electionBallot"]
    ids = [c["id"] for c in ballot["candidates"]]
    # FOR: 8, 8, 8, 4, 4: ids[3] and ids[4] tie for the 4th seat.
    plan = [[*ids[:3], ids[3]]] * 4 + [[*ids[:3], ids[4]]] * 4
    for voter, chosen in zip(w.voters[:8], plan, strict=True):
        assert (await gql.mutate(CAST, marks(w.gid, chosen), token=voter.token))["errors"] == []
    assert (await gql.mutate(CLOSE, {"electionId": w.gid}, token=staff))["errors"] == []
    counted = await gql.mutate(COUNT, {"electionId": w.gid}, token=staff)
    assert counted["errors"] == [] and counted["result"]["status"] == "NEXT_ROUND"
    assert [n["kind"] for n in counted["result"]["outcome"]["next"]] == ["TIE_VOTE"]
    waiting = await gql.mutate(PUBLISH_SLATE, {"electionId": w.gid}, token=staff)
    assert [e["code"] for e in waiting["errors"]] == ["PRIMARY_NOT_HELD"]
    # The primary's leaders are candidates, not members: there is no one to recall (E17).
    member = w.nominees["MEMBER"][0].gid
    recall = await gql.mutate(PROPOSE_RECALL, {"electionId": w.gid, "memberId": member,
                                               "reason": "预选不是选举"},
                              token=w.voters[11].token)
    assert [e["code"] for e in recall["errors"]] == ["NOT_A_MEMBER"]
    tie = await gql.mutate(NEXT, {"electionId": w.gid}, token=staff)
    assert tie["errors"] == [] and tie["round"]["kind"] == "TIE_VOTE"
    assert tie["round"]["posts"] == [{"post": "MEMBER", "seats": 1}]
    assert sorted(c["id"] for c in tie["round"]["candidates"]) == sorted(ids[3:5])
    phase = (await gql.query(PHASE, {"id": w.gid}, token=staff))["election"]["phase"]
    assert phase == "PRIMARY"
    for voter in w.voters[:7]:
        done = await gql.mutate(CAST, marks(w.gid, [ids[4]]), token=voter.token)
        assert done["errors"] == [], done
    assert (await gql.mutate(CLOSE, {"electionId": w.gid}, token=staff))["errors"] == []
    counted = await gql.mutate(COUNT, {"electionId": w.gid}, token=staff)
    assert counted["errors"] == [], counted
    published = await gql.mutate(PUBLISH_SLATE, {"electionId": w.gid}, token=staff)
    assert published["errors"] == [], published
    slate = (await gql.query(SLATE, {"id": w.gid}, token=staff))["slate"]
    persons = {c["id"]: c["personId"] for c in ballot["candidates"]}
    members = sorted(s["personId"] for s in slate if s["post"] == "MEMBER")
    assert members == sorted(persons[c] for c in [*ids[:3], ids[4]])
    body = (await gql.get(counted["result"]["bundleUrl"])).content
    assert [r["kind"] for r in json.loads(body)["rounds"]] == ["PRIMARY", "TIE_VOTE"]
    (path := tmp_path / "bundle.json").write_bytes(body)
    checked = await verify_bundle(path)
    assert checked.returncode == 0, checked.stderr + checked.stdout


async def test_E5_E12_a_primary_without_half_the_roll_voting_is_voted_again(gql, tmp_path):
    w = await nominated_world(10, {"DIRECTOR": 2, "DEPUTY_DIRECTOR": 2, "MEMBER": 5})
    staff = w.staff.token
    assert (await gql.mutate(START_PRIMARY, {"electionId": w.gid}, token=staff))["errors"] == []
    ballot = (await gql.query(BALLOT, {"e": w.gid}, token=staff))["electionBallot"]
    ids = [c["id"] for c in ballot["candidates"]]
    for voter in w.voters[:5]:  # 5 of 10: not more than half of the roll (E12)
        assert (await gql.mutate(CAST, marks(w.gid, ids[:4]), token=voter.token))["errors"] == []
    assert (await gql.mutate(CLOSE, {"electionId": w.gid}, token=staff))["errors"] == []
    counted = await gql.mutate(COUNT, {"electionId": w.gid}, token=staff)
    assert counted["errors"] == [] and counted["result"]["status"] == "NEXT_ROUND"
    assert [(n["kind"], n["parent"]) for n in counted["result"]["outcome"]["next"]] == [
        ("PRIMARY", None)]
    refused = await gql.mutate(PUBLISH_SLATE, {"electionId": w.gid}, token=staff)
    assert [e["code"] for e in refused["errors"]] == ["PRIMARY_NOT_HELD"]
    again = await gql.mutate(NEXT, {"electionId": w.gid}, token=staff)
    assert again["errors"] == [] and again["round"]["kind"] == "PRIMARY"
    assert [c["id"] for c in again["round"]["candidates"]] == ids  # the same ballot
    for voter in w.voters[:6]:  # a voter of the invalid round votes again in the new one
        chosen = ids[1:5]
        assert (await gql.mutate(CAST, marks(w.gid, chosen), token=voter.token))["errors"] == []
    assert (await gql.mutate(CLOSE, {"electionId": w.gid}, token=staff))["errors"] == []
    counted = await gql.mutate(COUNT, {"electionId": w.gid}, token=staff)
    assert counted["errors"] == [] and counted["result"]["status"] == "NEXT_ROUND"
    assert (await gql.mutate(PUBLISH_SLATE, {"electionId": w.gid}, token=staff))["errors"] == []
    slate = (await gql.query(SLATE, {"id": w.gid}, token=staff))["slate"]
    persons = {c["id"]: c["personId"] for c in ballot["candidates"]}
    assert sorted(s["personId"] for s in slate if s["post"] == "MEMBER") == sorted(
        persons[c] for c in ids[1:5])  # the repeat's result, not the invalid round's
    body = (await gql.get(counted["result"]["bundleUrl"])).content
    assert [r["result"]["outcome"] for r in json.loads(body)["rounds"]] == ["INVALID", "FILLED"]
    (path := tmp_path / "bundle.json").write_bytes(body)
    checked = await verify_bundle(path)
    assert checked.returncode == 0, checked.stderr + checked.stdout
