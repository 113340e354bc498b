"""Closing a round and counting it (E12–E17), resealing the ballots (E8), receipts (E9).

``close_polls`` ends casting in the open round (OPEN to TALLYING: the tellers may still enter
the polling station's sheets); ``count_round`` settles the sheets, closes the round (one
conditional UPDATE: of two concurrent counts one wins), reseals its ballots and publishes the
bundle of every counted round of the election. ``open_next_round`` opens what the count asks
for next (a tie vote, a runoff, the round again).

Resealing (docs/plugins/elections-threat-model.md): on PostgreSQL a ballot row's position on
disk and its xmin say which transaction wrote it, the same as its participation's. One
statement moves a round's ballots (delete, re-insert in tracking-code order): every ballot
then carries the resealing transaction's xmin and a position by code. It runs every
``RESEAL_SECONDS`` while a round is open (the periodic task) and at the count, followed by a
VACUUM of the table (outside any transaction) so the old tuples are freed.
"""

from __future__ import annotations

import logging
import re

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused

from ..models import Election
from ..models.ballots import Ballot, PublishedBundle, VotingRound
from ..rules.ballots import BallotReader
from ..rules.model import Ballot as PlainBallot
from . import bundle, paper
from . import rounds as rounds_service
from .common import load_for
from .turnout import TURNOUT

log = logging.getLogger("linli.elections")
_CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{16}")  # Crockford base32 (rules.bundle)

RESEAL_SECONDS = 60.0
_MOVE = (
    'WITH moved AS (DELETE FROM "elections_ballot" WHERE "round_id" = $1 '
    'RETURNING "id", "round_id", "code", "marks", "write_ins") '
    'INSERT INTO "elections_ballot" ("id", "round_id", "code", "marks", "write_ins") '
    'SELECT "id", "round_id", "code", "marks", "write_ins" FROM moved ORDER BY "code"'
)


async def reseal(round_pk: int) -> None:
    """Move a round's ballots in tracking-code order (PostgreSQL: SQLite's ballot table is
    WITHOUT ROWID, ordered by the random key already)."""
    connection = db.connection()
    if connection.capabilities.dialect != "postgres":
        return
    async with db.atomic() as conn:
        await conn.execute_query(_MOVE, [round_pk])


async def vacuum() -> None:
    connection = db.connection()
    if connection.capabilities.dialect == "postgres":
        try:
            await connection.execute_script('VACUUM "elections_ballot"')
        except Exception:  # a VACUUM refused (inside a transaction) never fails a count
            log.warning("VACUUM elections_ballot did not run")


async def reseal_open_rounds() -> int:
    """The periodic task: reseal every open round's ballots (idempotent, any instance)."""
    rows = await VotingRound.filter(open_key="OPEN").values_list("pk", flat=True)
    for pk in rows:
        await reseal(pk)
    if rows:
        await vacuum()
    return len(rows)


async def close_polls(actor: Actor, election_id: int) -> VotingRound:
    election = await load_for(actor, election_id, "elections.manage")
    round_ = await rounds_service.current(election)
    if round_ is None:
        raise Refused("NO_OPEN_ROUND")
    async with db.atomic():
        moved = await VotingRound.filter(pk=round_.pk, status=rounds_service.OPEN).update(
            status=rounds_service.TALLYING)
        if not moved:
            raise Refused("NO_OPEN_ROUND")
        await audit.record(actor, "elections.close_polls", community_id=election.community_id,
                           obj=election, round=round_.number)
        await TURNOUT.publish(election_id=election.pk, community_id=election.community_id,
                              round=round_.number)
    await round_.refresh_from_db()
    return round_


async def closed_rounds(election: Election) -> list[VotingRound]:
    """The election's counted rounds in order, a recall's excepted (its own bundle)."""
    return [r for r in await VotingRound.filter(election_id=election.pk, status="CLOSED")
            .order_by("number") if r.kind != "RECALL"]


async def count_round(actor: Actor, election_id: int) -> PublishedBundle:
    """Count the round whose polls are closed, and publish the election's bundle."""
    election = await load_for(actor, election_id, "elections.manage")
    round_ = await rounds_service.current(election)
    if round_ is None or round_.status != rounds_service.TALLYING:
        raise Refused("POLLS_NOT_CLOSED")
    left = await paper.unsettled(round_)
    if left:
        raise Refused("PAPER_UNSETTLED", sheets=left)
    async with db.atomic():
        won = await VotingRound.filter(pk=round_.pk, status=rounds_service.TALLYING).update(
            status="CLOSED", open_key=None, closed_at=kit.now())
        if not won:
            raise Refused("POLLS_NOT_CLOSED")
        await audit.record(actor, "elections.count", community_id=election.community_id,
                           obj=election, round=round_.number)
    await reseal(round_.pk)
    await vacuum()
    if round_.kind == "RECALL":
        from .recall import publish_recall

        return await publish_recall(election, round_)
    return await bundle.publish(election, await closed_rounds(election))


async def open_next_round(actor: Actor, election_id: int) -> VotingRound:
    election = await load_for(actor, election_id, "elections.manage")
    published = await PublishedBundle.get_or_none(election_id=election.pk, name=bundle.ELECTION)
    if published is None:
        raise Refused("NO_ROUND_DUE")
    row = await rounds_service.open_next(election, published.outcome)
    await audit.record(actor, "elections.open_round", community_id=election.community_id,
                       obj=election, round=row.number, kind=row.kind)
    return row


async def verify_receipt(actor: Actor, election_id: int, code: str) -> dict | None:
    """E9 after the close: whether the ballot with this tracking code was counted, in which
    round, and for which posts it was valid. None: no such code in a counted round."""
    election = await load_for(actor, election_id)
    code = code.strip().upper()
    if not _CODE.fullmatch(code):  # a tracking code's alphabet and length, nothing else
        raise Refused("INVALID_INPUT", field="code")
    row = await Ballot.filter(round__election_id=election.pk, code=code).select_related(
        "round").first()
    if row is None:
        return None
    if row.round.status != "CLOSED":
        raise Refused("NOT_COUNTED_YET")
    plain = rounds_service.plain_round(row.round)
    chosen, _ = BallotReader(plain).read(PlainBallot(
        row.code, row.marks, tuple((p, q) for p, q in row.write_ins)))
    read = list(zip(plain.posts, chosen, strict=True))
    return {
        "round": plain.id, "kind": row.round.kind,
        "valid_posts": [str(s.post) for s, c in read if c is not None],
        "invalid_posts": [str(s.post) for s, c in read if c is None],
    }
