"""The ballot box's rounds: one open at a time per election (a unique key), each frozen with
its ballot (posts and candidates) when it opens, and read by the count as ``rules.model.Round``.

The main round opens by itself with the first cast, turnout read or close once the election's
phase is VOTING (part I's clock moves it on election day): the slate is its ballot. A primary
(part I), a tie vote, a runoff and a recall vote open through ``open_round``; the follow-ups
the count asks for through ``open_next`` (staff).
"""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.exceptions import IntegrityError

from linli.core import db, kit
from linli.core.errors import Refused

from ..models import Candidate, Election, ElectionPost, RollEntry
from ..models.ballots import VotingRound
from ..rules.model import POST_RANK, Kind, Post, Round, Seats
from ..rules.model import Candidate as PlainCandidate

OPEN, TALLYING, CLOSED = "OPEN", "TALLYING", "CLOSED"


def label(number: int) -> str:
    return f"R{number}"


def plain_round(row: VotingRound) -> Round:
    """The round as the count reads it (and the bundle publishes it)."""
    return Round(
        id=label(row.number),
        kind=Kind(row.kind),
        posts=tuple(Seats(Post(s["post"]), int(s["seats"])) for s in row.posts),
        candidates=tuple(PlainCandidate(c["id"], c["person"], Post(c["post"]), c["name"])
                         for c in row.candidates),
        parent=None if row.parent_number is None else label(row.parent_number),
        signatures=row.signatures,
    )


async def election_posts(election: Election) -> tuple[Seats, ...]:
    rows = await ElectionPost.filter(election_id=election.pk)
    return tuple(sorted((Seats(Post(r.post), r.seats) for r in rows),
                        key=lambda s: POST_RANK[s.post]))


async def slate(election: Election) -> list[dict]:
    """The published slate as a ballot's candidates: the Candidate row's id is the mark's."""
    rows = await Candidate.filter(election_id=election.pk).order_by("post", "position")
    rows.sort(key=lambda c: (POST_RANK[Post(c.post)], c.position))
    return [{"id": str(c.pk), "person": str(c.person_id), "post": c.post, "name": c.name}
            for c in rows]


async def open_round(election: Election, kind: Kind, posts: Sequence[Seats],
                     candidates: Sequence[dict], *, parent_number: int | None = None,
                     signatures: int | None = None,
                     recall_person_id: int | None = None) -> VotingRound:
    """A new round, the election's only open one (ROUND_ALREADY_OPEN otherwise). Its ballot
    is checked by the rules' Round (posts highest first, candidates on them)."""
    numbers = await VotingRound.filter(election_id=election.pk).values_list("number", flat=True)
    values = {
        "election_id": election.pk, "number": max(numbers, default=0) + 1, "kind": str(kind),
        "parent_number": parent_number, "signatures": signatures,
        "recall_person_id": recall_person_id, "open_key": "OPEN", "opened_at": kit.now(),
        "posts": [{"post": str(s.post), "seats": s.seats} for s in posts],
        "candidates": [dict(c) for c in candidates],
    }
    row = VotingRound(**values)
    plain_round(row)  # a ballot the count could not read is a bug here, not at the close
    try:
        async with db.atomic():
            await row.save()
    except IntegrityError:
        raise Refused("ROUND_ALREADY_OPEN") from None
    return row


async def current(election: Election) -> VotingRound | None:
    """The election's round not yet counted (OPEN or TALLYING), opening the main round when
    the phase says voting has begun and none was held yet."""
    row = await VotingRound.get_or_none(election_id=election.pk, open_key="OPEN")
    if row is not None or election.phase != "VOTING":
        return row
    if await VotingRound.filter(election_id=election.pk, kind=str(Kind.MAIN)).exists():
        # Held already, or opened by a concurrent first cast since the read above.
        return await VotingRound.get_or_none(election_id=election.pk, open_key="OPEN")
    try:
        return await open_round(election, Kind.MAIN, await election_posts(election),
                                await slate(election))
    except Refused:  # a concurrent first cast opened it
        return await VotingRound.get_or_none(election_id=election.pk, open_key="OPEN")


async def open_round_for_casting(election: Election) -> VotingRound:
    row = await current(election)
    if row is None or row.status != OPEN:
        raise Refused("NO_OPEN_ROUND")
    return row


async def open_next(election: Election, outcome: dict) -> VotingRound:
    """The first round the count asks for (the published outcome's ``next``): a tie vote
    between the tied, a runoff among the highest-placed non-winners, or the same round again.
    A person on it keeps their candidate id from the round it follows (a write-in gets one)."""
    rounds = {r.number: r for r in await VotingRound.filter(election_id=election.pk)}
    held_main = any(r.kind == str(Kind.MAIN) for r in rounds.values())
    # After a primary the count asks for the main round with the primary's slate: that one
    # is not opened here but by the slate's publication and election day (``current``).
    wanted = [step for step in (outcome or {}).get("next") or []
              if held_main or step["kind"] != str(Kind.MAIN)]
    if not wanted:
        raise Refused("NO_ROUND_DUE")
    step = wanted[0]
    parent = step["parent"]
    parent_number = None if parent is None else int(parent[1:])
    source = rounds.get(parent_number) if parent_number else None
    if step["kind"] in (str(Kind.MAIN), str(Kind.PRIMARY)) and parent is None:
        # The same round again (E12): its ballot is the last such round's.
        same = [r for r in rounds.values() if r.kind == step["kind"]]
        source = max(same, key=lambda r: r.number) if same else None
    posts = [Seats(Post(p["post"]), int(p["seats"])) for p in step["posts"]]
    names = dict(await RollEntry.filter(election_id=election.pk).values_list("person_id", "name"))
    known = {(c["post"], c["person"]): c for c in (source.candidates if source else [])}
    candidates = []
    for seats in posts:
        persons = step["candidates"].get(str(seats.post))
        if persons is None:  # not fixed by the count: the whole ballot of the round again
            candidates += [c for c in (source.candidates if source else [])
                           if c["post"] == str(seats.post)]
            continue
        # In the order of the round it follows (the slate's order), a write-in last.
        place = {key: i for i, key in enumerate(known)}
        persons = sorted(persons, key=lambda p: (place.get((str(seats.post), p), len(place)), p))
        for person in persons:
            c = known.get((str(seats.post), person)) or {
                "id": f"W-{seats.post}-{person}", "person": person, "post": str(seats.post),
                "name": names.get(int(person), "") if person.isdigit() else ""}
            candidates.append(c)
    return await open_round(election, Kind(step["kind"]), posts, candidates,
                            parent_number=parent_number)
