"""Close, count, publish, verify (E9, E12–E15, E17): from stored ballots to a bundle that the
standalone verifier accepts, receipts after the close, runoffs and recall in the same box."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from part2_helpers import (
    CAST,
    CLOSE,
    COUNT,
    NEXT,
    RECEIPT,
    RESULT,
    ballot_input,
    make_world,
)

import linli.plugins.elections as elections_package

VERIFY = Path(elections_package.__file__).parent / "verify.py"


def verify_file(path: Path) -> subprocess.CompletedProcess:
    # -I -S: isolated, no site-packages: the verifier needs nothing but the standard library.
    return subprocess.run([sys.executable, "-I", "-S", str(VERIFY), str(path)],
                          capture_output=True, text=True, timeout=120)


async def cast_all(gql, w, ballots):
    codes = []
    for voter, marks in ballots:
        done = await gql.mutate(CAST, ballot_input(w, marks), token=voter.token)
        assert done["errors"] == [], done
        codes.append(done["receipt"]["trackingCode"])
    return codes


async def close_and_count(gql, w):
    assert (await gql.mutate(CLOSE, {"electionId": w.gid}, token=w.staff.token))["errors"] == []
    counted = await gql.mutate(COUNT, {"electionId": w.gid}, token=w.staff.token)
    assert counted["errors"] == [], counted
    return counted["result"]


async def test_E9_E13_count_publishes_a_bundle_the_standalone_verifier_accepts(gql, tmp_path):
    w = await make_world(12)
    d0, d1 = w.cand("DIRECTOR", 0), w.cand("DIRECTOR", 1)
    p0, m = w.cand("DEPUTY_DIRECTOR", 0), [w.cand("MEMBER", k) for k in range(4)]
    ballots = [(v, {d0: "FOR", p0: "FOR", m[0]: "FOR", m[1]: "FOR", m[2]: "FOR", m[3]: "AGAINST"})
               for v in w.voters[:9]]
    ballots.append((w.voters[9], {d1: "FOR", d0: "FOR"}))  # invalid for DIRECTOR (E6)
    codes = await cast_all(gql, w, ballots)
    early = (await gql.execute(RECEIPT, {"e": w.gid, "c": codes[0]}, token=w.voters[0].token))
    assert early.codes == ["NOT_COUNTED_YET"]
    result = await close_and_count(gql, w)
    assert result["status"] == "COMPLETE"
    elected = {e["post"]: e["persons"] for e in result["outcome"]["elected"]}
    assert elected["DIRECTOR"] == [str(w.candidates["DIRECTOR"][0].person_id)]
    assert len(elected["MEMBER"]) == 3
    response = await gql.get(result["bundleUrl"])
    assert response.status_code == 200
    import hashlib

    assert hashlib.sha256(response.content).hexdigest() == result["sha256"]
    path = tmp_path / "bundle.json"
    path.write_bytes(response.content)
    checked = verify_file(path)
    assert checked.returncode == 0, checked.stderr
    # Every tracking code is in the bundle, in code order (the chain's order, E8).
    lines = [ln for ln in response.content.split(b"\n") if ln.startswith(b'{"code":')]
    published = [ln[9:25].decode() for ln in lines]
    assert published == sorted(codes)
    receipt = (await gql.query(RECEIPT, {"e": w.gid, "c": codes[-1]}, token=w.voters[9].token))
    check = receipt["verifyBallotReceipt"]
    assert check["found"] and check["round"] == "R1"
    assert check["invalidPosts"] == ["DIRECTOR"] and "MEMBER" in check["validPosts"]
    unknown = await gql.query(RECEIPT, {"e": w.gid, "c": "0" * 16}, token=w.voters[0].token)
    assert unknown["verifyBallotReceipt"]["found"] is False
    # A tampered bundle is rejected.
    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(response.content.replace(b'"AGAINST"', b'"FOR"', 1))
    assert verify_file(tampered).returncode == 1


async def test_E12_turnout_of_half_the_roll_is_invalid_and_the_round_is_voted_again(gql):
    w = await make_world(12)
    await cast_all(gql, w, [(v, {}) for v in w.voters[:6]])  # 6 of 12: not more than half
    result = await close_and_count(gql, w)
    assert result["status"] == "NEXT_ROUND"
    assert result["outcome"]["next"][0]["kind"] == "MAIN"
    again = await gql.mutate(NEXT, {"electionId": w.gid}, token=w.staff.token)
    assert again["errors"] == [] and again["round"]["number"] == 2
    assert again["round"]["kind"] == "MAIN" and len(again["round"]["candidates"]) == 8


async def test_E14_runoff_opens_in_the_same_box_among_the_highest_non_winners(gql, tmp_path):
    w = await make_world(12, seats={"DIRECTOR": 1}, slate={"DIRECTOR": 3})
    a, b, c = (w.cand("DIRECTOR", k) for k in range(3))
    # 10 ballots: A 4, B 3, C 3: nobody has more than half: one seat open, runoff A/B/C
    # (2 per open seat, and the tie at the cut-off takes both B and C in).
    marks = [{a: "FOR"}] * 4 + [{b: "FOR"}] * 3 + [{c: "FOR"}] * 3
    await cast_all(gql, w, list(zip(w.voters[:10], marks, strict=True)))
    result = await close_and_count(gql, w)
    assert result["outcome"]["next"][0]["kind"] == "RUNOFF"
    runoff = await gql.mutate(NEXT, {"electionId": w.gid}, token=w.staff.token)
    assert runoff["errors"] == [] and runoff["round"]["kind"] == "RUNOFF"
    assert sorted(x["id"] for x in runoff["round"]["candidates"]) == sorted([a, b, c])
    # The same voters vote again in the runoff: one ballot each in this round (E7).
    await cast_all(gql, w, [(v, {a: "FOR"}) for v in w.voters[:4]]
                   + [(v, {b: "FOR"}) for v in w.voters[4:9]])
    result = await close_and_count(gql, w)
    assert result["status"] == "COMPLETE"
    elected = {e["post"]: e["persons"] for e in result["outcome"]["elected"]}
    assert elected["DIRECTOR"] == [str(w.candidates["DIRECTOR"][1].person_id)]
    body = (await gql.get(result["bundleUrl"])).content
    path = tmp_path / "runoff.json"
    path.write_bytes(body)
    assert verify_file(path).returncode == 0


async def test_E16_no_bundle_and_no_result_before_the_count(gql):
    w = await make_world(12)
    await cast_all(gql, w, [(w.voters[0], {w.cand("DIRECTOR", 0): "FOR"})])
    result = await gql.query(RESULT, {"e": w.gid}, token=w.staff.token)
    assert result["electionResult"] is None
    assert (await gql.get(f"/elections/{w.election.pk}/bundles/election.json")).status_code == 404


PROPOSE = """mutation($input: ProposeRecallInput!) { proposeRecall(input: $input) {
  proposal { id signatures needed status } errors { code message } } }"""
SIGN = """mutation($input: SignRecallInput!) { signRecall(input: $input) {
  proposal { id signatures needed status } errors { code message } } }"""
OPEN_RECALL = """mutation($input: OpenRecallVoteInput!) { openRecallVote(input: $input) {
  round { number kind status candidates { id post } } errors { code message } } }"""


async def test_E17_recall_proposed_by_a_fifth_then_voted_in_the_same_box(gql, tmp_path):
    w = await make_world(10, seats={"DIRECTOR": 1}, slate={"DIRECTOR": 2})
    d0 = w.cand("DIRECTOR", 0)
    await cast_all(gql, w, [(v, {d0: "FOR"}) for v in w.voters[:8]])
    assert (await close_and_count(gql, w))["status"] == "COMPLETE"
    member = w.voters[0]
    not_member = await gql.mutate(PROPOSE, {"electionId": w.gid, "memberId": w.voters[5].gid,
                                            "reason": "x"}, token=w.voters[3].token)
    assert [e["code"] for e in not_member["errors"]] == ["NOT_A_MEMBER"]
    proposed = await gql.mutate(PROPOSE, {"electionId": w.gid, "memberId": member.gid,
                                          "reason": "长期不履职"}, token=w.voters[3].token)
    proposal = proposed["proposal"]
    assert (proposal["signatures"], proposal["needed"]) == (1, 2)
    short = await gql.mutate(OPEN_RECALL, {"proposalId": proposal["id"]}, token=w.staff.token)
    assert [e["code"] for e in short["errors"]] == ["PROPOSAL_SHORT"]
    again = await gql.mutate(SIGN, {"proposalId": proposal["id"]}, token=w.voters[3].token)
    assert [e["code"] for e in again["errors"]] == ["ALREADY_SIGNED"]
    signed = await gql.mutate(SIGN, {"proposalId": proposal["id"]}, token=w.voters[4].token)
    assert signed["proposal"]["signatures"] == 2
    by_resident = await gql.mutate(OPEN_RECALL, {"proposalId": proposal["id"]},
                                   token=w.voters[4].token)
    assert [e["code"] for e in by_resident["errors"]] == ["FORBIDDEN"]
    opened = await gql.mutate(OPEN_RECALL, {"proposalId": proposal["id"]}, token=w.staff.token)
    assert opened["errors"] == [] and opened["round"]["kind"] == "RECALL"
    # 6 of 10 vote (more than half of the roll): 4 for recalling, 2 against: recalled.
    await cast_all(gql, w, [(v, {"RECALL": "FOR"}) for v in w.voters[1:5]]
                   + [(v, {"RECALL": "AGAINST"}) for v in w.voters[5:7]])
    result = await close_and_count(gql, w)
    assert result["name"] == "recall-2"
    assert result["outcome"]["elected"] == [{"post": "RECALL",
                                             "persons": [str(member.person_id)]}]
    path = tmp_path / "recall.json"
    path.write_bytes((await gql.get(result["bundleUrl"])).content)
    checked = verify_file(path)
    assert checked.returncode == 0, checked.stderr
    # The election's own bundle is unchanged by the recall.
    election = await gql.query(RESULT, {"e": w.gid}, token=w.voters[0].token)
    assert election["electionResult"]["name"] == "election"


async def test_E15_carry_down_through_the_box_case_4_in_small(gql):
    # DOMAIN.md case 4 in small: of 6 ballots X has 3 as director (needs more than 3: loses)
    # and 1 as member; carried down X has 4 of 6 as member and wins a member seat.
    w = await make_world(8, seats={"DIRECTOR": 1, "MEMBER": 1},
                         slate={"DIRECTOR": 2, "MEMBER": 2})
    x_dir, y_dir = w.cand("DIRECTOR", 0), w.cand("DIRECTOR", 1)
    from linli.plugins.elections.models import Candidate

    # X also stands as member (a second line of the slate for the same person).
    x_member = await Candidate.create(election=w.election, post="MEMBER",
                                      person_id=w.voters[0].person_id, name="候选人0",
                                      position=3)
    marks = ([{x_dir: "FOR"}] * 3 + [{str(x_member.pk): "FOR", y_dir: "FOR"}]
             + [{y_dir: "FOR"}] * 2)
    await cast_all(gql, w, list(zip(w.voters[1:7], marks, strict=True)))
    result = await close_and_count(gql, w)
    elected = {e["post"]: e["persons"] for e in result["outcome"]["elected"]}
    assert str(w.voters[0].person_id) in elected["MEMBER"]
