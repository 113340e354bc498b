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
from ..rules.count import RoundResult
from ..rules.deadlines import Act, Phase, check_act, polls_move
from ..rules.model import Ballot as PlainBallot
from ..rules.model import Kind
from ..rules.rounds import ElectionResult
from . import bundle, elections, paper
from . import rounds as rounds_service
from .common import load_for, ruled
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


async def _round_for(election: Election, act: Act) -> tuple[VotingRound | None, Phase | None]:
    """The round a close or a count acts on, and the phase it moves to: INVALID_PHASE when
    the phase has no such act (``rules.deadlines.polls_move``), checked before a main round
    opens itself. After the election (COUNTED) only a recall's round is closed or counted."""
    phase = Phase(election.phase)
    if phase is Phase.COUNTED:
        round_ = await VotingRound.get_or_none(election_id=election.pk, open_key="OPEN")
    else:
        with ruled():
            check_act(act, phase)
        round_ = await rounds_service.current(election)
    with ruled():
        target = polls_move(act, phase, recall=round_ is not None and round_.kind == "RECALL")
    return round_, target


async def _move_phase(actor: Actor, election: Election, target: Phase | None,
                      kind: str) -> None:
    """The phase move of a ballot-box act, in the caller's transaction: guarded by the phase
    read, so of two concurrent acts one moves it and the other is refused INVALID_PHASE
    before it touches the round."""
    if target is not None:
        await elections.move(election, target, by=actor, audit=None, kind=kind)


async def close_polls(actor: Actor, election_id: int) -> VotingRound:
    """closePolls: the round being voted stops taking ballots (OPEN → TALLYING: the tellers
    may still enter the polling station's sheets), and the phase moves (VOTING → COUNTING, a
    primary's PRIMARY → PRIMARY_COUNTING)."""
    election = await load_for(actor, election_id, "elections.manage")
    round_, target = await _round_for(election, Act.CLOSE_POLLS)
    if round_ is None or round_.status != rounds_service.OPEN:
        raise Refused("NO_OPEN_ROUND")
    async with db.atomic():
        await _move_phase(actor, election, target, "POLLS_CLOSED")
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
    """countVotes: count the round whose polls are closed, move the phase (COUNTING →
    COUNTED, PRIMARY_COUNTING → PRIMARY) and publish the election's bundle. A primary's
    count fixes the slate's posts (``slate.record_primary_result``)."""
    election = await load_for(actor, election_id, "elections.manage")
    round_, target = await _round_for(election, Act.COUNT_VOTES)
    if round_ is None or round_.status != rounds_service.TALLYING:
        raise Refused("POLLS_NOT_CLOSED")
    left = await paper.unsettled(round_)
    if left:
        raise Refused("PAPER_UNSETTLED", sheets=left)
    primary = election.phase == str(Phase.PRIMARY_COUNTING)
    async with db.atomic():
        await _move_phase(actor, election, target, "COUNTED")
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
    published, result = await bundle.publish_counted(election, await closed_rounds(election))
    if primary:
        from .slate import record_primary_result

        await record_primary_result(election, primary_of(result))
    return published


def primary_of(result: ElectionResult) -> RoundResult:
    """The primary's result as the election's rounds decided it: its last (a repeat replaces
    an invalid one) with the tie votes that completed it."""
    return [r for r in result.rounds if r.round.kind is Kind.PRIMARY][-1]


async def open_next_round(actor: Actor, election_id: int) -> VotingRound:
    """openNextRound: the round the published count asks for (a tie vote, a runoff, the
    round again); after the main round's count the phase moves back to VOTING."""
    election = await load_for(actor, election_id, "elections.manage")
    with ruled():
        target = polls_move(Act.OPEN_NEXT_ROUND, Phase(election.phase))
    published = await PublishedBundle.get_or_none(election_id=election.pk, name=bundle.ELECTION)
    if published is None:
        raise Refused("NO_ROUND_DUE")
    async with db.atomic():
        if target is not None:
            await elections.move(election, target, by=actor, audit=None, kind="PHASE")
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
