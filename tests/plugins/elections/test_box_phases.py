"""E2, E12: closePolls and countVotes move the election's phase (VOTING → COUNTING →
COUNTED, and back to VOTING for the round the count asks for next), refuse the wrong phase
with a coded payload error, decide permission before they say anything about the phase, and
under real concurrency over HTTP (SQLite; PostgreSQL when LINLI_TEST_DATABASE_URL is set)
close once and count once."""

from __future__ import annotations

import datetime as dt

import pytest
from box_helpers import PHASE, race, verify_bundle
from part2_helpers import CAST, CLOSE, COUNT, NEXT, ballot_input, make_world

from linli.core.clock import FrozenClock
from linli.testing import make_account, make_community


def codes(payload):
    return [e["code"] for e in payload["errors"]]


async def phase_of(gql, w):
    return (await gql.query(PHASE, {"id": w.gid}, token=w.staff.token))["election"]["phase"]


async def test_E2_E12_close_and_count_move_the_phase_and_refuse_the_wrong_one(gql):
    w = await make_world(10)
    act = {"electionId": w.gid}
    assert codes(await gql.mutate(COUNT, act, token=w.staff.token)) == ["INVALID_PHASE"]
    assert codes(await gql.mutate(NEXT, act, token=w.staff.token)) == ["INVALID_PHASE"]
    d0, d1 = w.cand("DIRECTOR", 0), w.cand("DIRECTOR", 1)
    # A tie for the director (3 and 3 of 6 ballots; neither passes more than half).
    for k, voter in enumerate(w.voters[:6]):
        marks = {d0 if k % 2 else d1: "FOR"}
        assert (await gql.mutate(CAST, ballot_input(w, marks), token=voter.token))["errors"] == []
    closed = await gql.mutate(CLOSE, act, token=w.staff.token)
    assert closed["errors"] == [] and await phase_of(gql, w) == "COUNTING"
    assert codes(await gql.mutate(CLOSE, act, token=w.staff.token)) == ["INVALID_PHASE"]
    refused = await gql.mutate(CAST, ballot_input(w, {}), token=w.voters[7].token)
    assert codes(refused) == ["NO_OPEN_ROUND"]
    counted = await gql.mutate(COUNT, act, token=w.staff.token)
    assert counted["errors"] == [] and await phase_of(gql, w) == "COUNTED"
    assert counted["result"]["status"] == "NEXT_ROUND"
    assert codes(await gql.mutate(COUNT, act, token=w.staff.token)) == ["INVALID_PHASE"]
    assert codes(await gql.mutate(CLOSE, act, token=w.staff.token)) == ["INVALID_PHASE"]
    # The round the count asks for: voting again, the same phases.
    opened = await gql.mutate(NEXT, act, token=w.staff.token)
    assert opened["errors"] == [] and await phase_of(gql, w) == "VOTING"
    assert codes(await gql.mutate(NEXT, act, token=w.staff.token)) == ["INVALID_PHASE"]
    assert (await gql.mutate(CLOSE, act, token=w.staff.token))["errors"] == []
    assert await phase_of(gql, w) == "COUNTING"
    from linli.plugins.elections.models import PhaseChange

    moves = await PhaseChange.filter(election_id=w.election.pk).order_by("id").values_list(
        "from_status", "to_status")
    assert moves == [("VOTING", "COUNTING"), ("COUNTING", "COUNTED"), ("COUNTED", "VOTING"),
                     ("VOTING", "COUNTING")]


async def test_E2_close_and_count_decide_permission_before_the_phase(gql):
    w = await make_world(8, phase="SLATE_PUBLISHED")
    act = {"electionId": w.gid}
    sibling = await make_account("staff", await make_community("法华镇路社区"))
    for query in (CLOSE, COUNT, NEXT):
        # A resident is FORBIDDEN and another community's staff NOT_FOUND, whatever the
        # phase; only then does staff of the community learn the phase is wrong.
        assert codes(await gql.mutate(query, act, token=w.voters[0].token)) == ["FORBIDDEN"]
        assert codes(await gql.mutate(query, act, token=sibling.token)) == ["NOT_FOUND"]
        assert codes(await gql.mutate(query, act)) == ["UNAUTHENTICATED"]
        assert codes(await gql.mutate(query, act, token=w.staff.token)) == ["INVALID_PHASE"]
    assert await phase_of(gql, w) == "SLATE_PUBLISHED"


@pytest.fixture
def clock():
    # The server runs on the real clock: tokens must be valid by it.
    return FrozenClock(dt.datetime.now(dt.UTC))


@pytest.mark.timeout(600)
async def test_E2_E12_concurrent_double_close_and_double_count_over_http(
        linli_app, live_server, clock, tmp_path):
    from linli.core.models import AuditEntry
    from linli.plugins.elections.models import PhaseChange, PublishedBundle
    from linli.plugins.elections.models.ballots import VotingRound

    w = await make_world(12)
    d0 = w.cand("DIRECTOR", 0)
    cast = await race(live_server.url, [(CAST, ballot_input(w, {d0: "FOR"}), v.token)
                                        for v in w.voters[:8]])
    assert all(c["errors"] == [] for c in cast), live_server.log()[-3000:]
    act = {"electionId": w.gid}
    tokens = [w.staff.token, w.teller.token] * 5
    closes = await race(live_server.url, [(CLOSE, act, t) for t in tokens])
    assert sum(1 for c in closes if not c["errors"]) == 1, live_server.log()[-3000:]
    lost = sorted({code for c in closes for code in codes(c)})
    assert lost and set(lost) <= {"INVALID_PHASE", "NO_OPEN_ROUND"}, lost
    assert sum(len(c["errors"]) for c in closes) == 9
    counts = await race(live_server.url, [(COUNT, act, t) for t in tokens])
    won = [c for c in counts if not c["errors"]]
    assert len(won) == 1, live_server.log()[-3000:]
    lost = sorted({code for c in counts for code in codes(c)})
    assert lost and set(lost) <= {"INVALID_PHASE", "POLLS_NOT_CLOSED"}, lost
    assert sum(len(c["errors"]) for c in counts) == 9
    # Once: one phase move each, one count in the audit log, one bundle, the round closed.
    moves = await PhaseChange.filter(election_id=w.election.pk).values_list(
        "from_status", "to_status")
    assert sorted(moves) == [("COUNTING", "COUNTED"), ("VOTING", "COUNTING")]
    assert await AuditEntry.filter(action="elections.count",
                                   object_id=str(w.election.pk)).count() == 1
    assert await AuditEntry.filter(action="elections.close_polls",
                                   object_id=str(w.election.pk)).count() == 1
    assert await PublishedBundle.filter(election_id=w.election.pk).count() == 1
    (row,) = await VotingRound.filter(election_id=w.election.pk)
    assert row.status == "CLOSED"
    bundle = await PublishedBundle.get(election_id=w.election.pk)
    assert bundle.sha256 == won[0]["result"]["sha256"]
    (path := tmp_path / "bundle.json").write_bytes(bytes(bundle.body))
    checked = await verify_bundle(path)
    assert checked.returncode == 0, checked.stderr + checked.stdout
