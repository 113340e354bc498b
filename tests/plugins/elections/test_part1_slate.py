"""E5 the competitive slate: sizes, a primary when nominees exceed the slate (or the record of
why it was skipped), the fixed order, the publication window, one publication."""

from __future__ import annotations

import strawberry
from part1_helpers import (
    ELECTION,
    PUBLISH_SLATE,
    START_PRIMARY,
    accept,
    codes,
    nominate,
    refresh,
    to_nomination,
    world,
)

from linli.core.identity.models import Person
from linli.plugins.elections.models import Election
from linli.plugins.elections.rules.count import decide, tally
from linli.plugins.elections.rules.model import Ballot
from linli.plugins.elections.service import slate as slate_service

SLATE = """query($id: ID!) { slate(electionId: $id) { post name position } }"""


async def stand(gql, w, post, people, proposers):
    """Each of ``people`` nominated (by one of ``proposers`` in turn) and accepting."""
    for i, nominee in enumerate(people):
        made = await nominate(gql, w, proposers[i % len(proposers)], nominee, post=post)
        assert made["errors"] == [], made
        assert (await accept(gql, nominee, made["nomination"]["id"]))["errors"] == []


def pk_of(gid: str) -> int:
    return int(strawberry.relay.from_base64(gid)[1])


async def test_E5_no_primary_needed_the_record_says_why_and_the_order_is_fixed(gql, clock):
    w = await world(gql, voters=10, seats=(1, 1, 3))
    names = ["王芳", "李明", "张伟", "欧阳娜", "赵丽", "陈静", "刘洋", "杨帆", "黄磊", "周杰"]
    for made, name in zip(w.voters, names, strict=True):
        await Person.filter(pk=made.person.pk).update(real_name=name)
    await to_nomination(gql, w, clock)
    v = w.voters
    await stand(gql, w, "DIRECTOR", v[0:2], v[6:9])
    await stand(gql, w, "DEPUTY_DIRECTOR", v[2:4], v[6:9])
    too_few = await gql.mutate(PUBLISH_SLATE, {"electionId": w.election}, token=w.staff.token)
    assert codes(too_few) == ["NOT_COMPETITIVE"]  # no member nominees yet
    await stand(gql, w, "MEMBER", v[4:8], v[8:10])
    # Not needed: nominees (4) fit the members' slate (3 + 1); a primary is refused.
    no_primary = await gql.mutate(START_PRIMARY, {"electionId": w.election},
                                  token=w.staff.token)
    assert codes(no_primary) == ["PRIMARY_NOT_NEEDED"]
    published = await gql.mutate(PUBLISH_SLATE, {"electionId": w.election}, token=w.staff.token)
    assert published["errors"] == []
    election = published["election"]
    assert election["phase"] == "SLATE_PUBLISHED"
    assert [(p["post"], p["slateSize"], p["primaryDecision"], p["primaryNominees"])
            for p in election["posts"]] == [
        ("DIRECTOR", 2, "NOT_NEEDED", 2), ("DEPUTY_DIRECTOR", 2, "NOT_NEEDED", 2),
        ("MEMBER", 4, "NOT_NEEDED", 4)]
    slate = (await gql.query(SLATE, {"id": w.election}, token=v[9].token))["slate"]
    # 姓氏笔画: 王 4 strokes before 李 7; 张 7 before 欧(阳) 8; 刘 6, then 杨 and 陈 (7: 横
    # before 折, the first stroke), then 赵 9.
    assert [(s["post"], s["name"]) for s in slate] == [
        ("DIRECTOR", "王芳"), ("DIRECTOR", "李明"),
        ("DEPUTY_DIRECTOR", "张伟"), ("DEPUTY_DIRECTOR", "欧阳娜"),
        ("MEMBER", "刘洋"), ("MEMBER", "杨帆"), ("MEMBER", "陈静"), ("MEMBER", "赵丽")]
    assert [s["position"] for s in slate if s["post"] == "MEMBER"] == [1, 2, 3, 4]
    again = await gql.mutate(PUBLISH_SLATE, {"electionId": w.election}, token=w.staff.token)
    assert codes(again) == ["INVALID_PHASE"]


async def test_E5_primary_ranks_nominees_when_they_exceed_the_slate(gql, clock):
    w = await world(gql, voters=12, seats=(1, 1, 3))
    await to_nomination(gql, w, clock)
    v = w.voters
    await stand(gql, w, "DIRECTOR", v[0:2], v[8:12])
    await stand(gql, w, "DEPUTY_DIRECTOR", v[2:4], v[8:12])
    await stand(gql, w, "MEMBER", v[4:10], v[10:12])  # 6 nominees, slate of 4
    needed = await gql.mutate(PUBLISH_SLATE, {"electionId": w.election}, token=w.staff.token)
    assert codes(needed) == ["PRIMARY_NEEDED"]
    started = await gql.mutate(START_PRIMARY, {"electionId": w.election}, token=w.staff.token)
    assert started["errors"] == []
    assert started["election"]["phase"] == "PRIMARY"
    assert [(p["post"], p["primaryDecision"], p["primaryNominees"])
            for p in started["election"]["posts"]] == [
        ("DIRECTOR", "NOT_NEEDED", 2), ("DEPUTY_DIRECTOR", "NOT_NEEDED", 2),
        ("MEMBER", "NEEDED", 6)]
    not_held = await gql.mutate(PUBLISH_SLATE, {"electionId": w.election}, token=w.staff.token)
    assert codes(not_held) == ["PRIMARY_NOT_HELD"]
    election = await Election.get(pk=pk_of(w.election))
    round_ = await slate_service.primary_round(election)
    assert round_.kind == "PRIMARY" and [(s.post, s.seats) for s in round_.posts] == [
        ("MEMBER", 4)]
    settings = election.rules_settings().count()
    ids = [c.id for c in round_.candidates]

    def ballots(votes):  # candidate index -> FOR count
        out = []
        for k, count in enumerate(votes):
            out += [Ballot(f"b{k}-{n}", {ids[k]: "FOR"}) for n in range(count)]
        return out

    # A tie at the cut-off (4th and 5th place) waits for a new primary ballot.
    tied = decide(tally(round_, ballots([5, 4, 3, 2, 2, 1]), settings), voters=17,
                  roll_size=12 + 5, settings=settings)
    await slate_service.record_primary_result(election, tied)
    assert codes(await gql.mutate(PUBLISH_SLATE, {"electionId": w.election},
                                  token=w.staff.token)) == ["PRIMARY_NOT_HELD"]
    held = decide(tally(round_, ballots([5, 4, 3, 2, 1, 0]), settings), voters=15,
                  roll_size=12, settings=settings)
    await slate_service.record_primary_result(election, held)
    published = await gql.mutate(PUBLISH_SLATE, {"electionId": w.election}, token=w.staff.token)
    assert published["errors"] == []
    slate = (await gql.query(SLATE, {"id": w.election}, token=v[0].token))["slate"]
    members = [s for s in slate if s["post"] == "MEMBER"]
    assert len(members) == 4  # the four highest of the primary


async def test_E5_slate_published_at_least_5_days_before(gql, clock):
    w = await world(gql, voters=10, seats=(1, 1, 3))
    await to_nomination(gql, w, clock)
    v = w.voters
    await stand(gql, w, "DIRECTOR", v[0:2], v[8:10])
    await stand(gql, w, "DEPUTY_DIRECTOR", v[2:4], v[8:10])
    await stand(gql, w, "MEMBER", v[4:8], v[8:10])
    clock.advance(days=29)  # 6 April: four days before 10 April
    await refresh(w)
    late = await gql.mutate(PUBLISH_SLATE, {"electionId": w.election}, token=w.staff.token)
    assert codes(late) == ["OUTSIDE_WINDOW"]
    assert "2026-04-05" in late["errors"][0]["message"]
    seen = await gql.query(ELECTION, {"id": w.election}, token=w.staff.token)
    assert seen["election"]["phase"] == "NOMINATION"
