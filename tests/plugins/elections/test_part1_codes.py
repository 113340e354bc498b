"""E1's refusals where a roll change meets them: an upheld objection puts someone on the
roll only if the rule says they are a voter here (UNDER_18, OTHER_COMMUNITY), and English
messages come with Accept-Language."""

from __future__ import annotations

import datetime as dt

from part1_helpers import DECIDE_OBJECTION, FILE_OBJECTION, codes, person, publish_roll, world

from linli.testing import make_account, make_community


async def test_E1_an_upheld_objection_cannot_put_a_minor_or_an_outsider_on_the_roll(gql):
    w = await world(gql, voters=2)
    minor = await make_account("resident", w.community, birth_date=dt.date(2010, 6, 1))
    outsider = await make_account("resident", await make_community(),
                                  birth_date=dt.date(1970, 6, 1))
    await publish_roll(gql, w)
    for subject, code in ((minor, "UNDER_18"), (outsider, "OTHER_COMMUNITY")):
        filed = await gql.mutate(FILE_OBJECTION, {
            "electionId": w.election, "kind": "MISSING", "subjectPersonId": person(subject)},
            token=w.voters[0].token)
        assert filed["errors"] == []
        decided = await gql.mutate(DECIDE_OBJECTION, {
            "objectionId": filed["objection"]["id"], "uphold": True}, token=w.staff.token)
        assert codes(decided) == [code]
        # Rejecting it is always possible, and published.
        rejected = await gql.mutate(DECIDE_OBJECTION, {
            "objectionId": filed["objection"]["id"], "uphold": False}, token=w.staff.token)
        assert rejected["objection"]["status"] == "REJECTED"


async def test_E2_refusals_are_localized_and_never_echo_the_input(gql):
    w = await world(gql, voters=1, day="2026-03-20")
    refused = await gql.mutate(
        """mutation($input: PublishVoterRollInput!) { publishVoterRoll(input: $input) {
        errors { code message } } }""", {"electionId": w.election}, token=w.staff.token,
        locale="en")
    assert refused["errors"] == [{"code": "OUTSIDE_WINDOW",
                                  "message": "Outside the window (2026-03-02 to 2026-02-28)."}]
