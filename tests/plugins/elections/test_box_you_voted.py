"""E7 from the voter's side: the ballot says whether *you* have voted in its round (so an app
shows "voted" after a reload instead of a ballot the box will refuse), by any channel, and
tells nobody else anything about anyone."""

from __future__ import annotations

from part2_helpers import CAST, MOBILE, ballot_input, make_world

YOU_VOTED = """query($e: ID!) { electionBallot(electionId: $e) { number youVoted } }"""


async def you_voted(gql, world, token):
    return (await gql.query(YOU_VOTED, {"e": world.gid}, token=token))["electionBallot"]["youVoted"]


async def test_E7_the_ballot_says_whether_you_have_voted_by_any_channel(gql):
    w = await make_world(12)
    online, by_box, other = w.voters[11], w.voters[10], w.voters[6]
    assert [await you_voted(gql, w, v.token) for v in (online, by_box, other)] == [False] * 3
    assert (await gql.mutate(CAST, ballot_input(w, {}), token=online.token))["errors"] == []
    mobile = await gql.mutate(MOBILE, ballot_input(
        w, {}, voterId=by_box.gid, scrutineerIds=[w.voters[8].gid, w.voters[9].gid]),
        token=w.staff.token)  # fmt: skip
    assert mobile["errors"] == []
    assert [await you_voted(gql, w, v.token) for v in (online, by_box, other)] == [
        True,
        True,
        False,
    ]
    # Staff, who recorded the mobile ballot, have not voted themselves: it is never theirs.
    assert await you_voted(gql, w, w.staff.token) is False
