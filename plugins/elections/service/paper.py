"""The polling station's paper ballots: two tellers enter each sheet (double entry).

Sheets are numbered as they come out of the mixed box (so a number names no voter). The
first teller's entry is slot A, another teller's slot B. When both are in, the sheet is
*settled* by one conditional UPDATE (of two concurrent settlements one wins): equal entries
make one ballot (MATCHED), different ones flag the sheet (MISMATCH) and nothing is counted
from it until a teller enters it again and the entries agree. A mismatch is never resolved by
the software, and a round with a sheet not MATCHED cannot be counted (PAPER_UNSETTLED).
Paper ballots get a tracking code too, which nobody is given: the chain still covers them.
"""

from __future__ import annotations

from collections.abc import Iterable

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused

from ..models.ballots import Ballot, PaperEntry, VotingRound
from ..rules.bundle import new_tracking_code
from . import rounds as rounds_service
from .ballot_box import plain_marks
from .common import load_for

SINGLE, MATCHED, MISMATCH = "SINGLE", "MATCHED", "MISMATCH"
MAX_SHEET = 1_000_000  # more sheets than any community's voters


async def enter(actor: Actor, election_id: int, sheet: int, marks: Iterable[tuple[str, str]],
                write_ins: Iterable[tuple[str, str]]) -> str:
    """One teller's entry of one sheet; returns the sheet's status after it."""
    election = await load_for(actor, election_id, "elections.manage")
    round_ = await rounds_service.current(election)
    if round_ is None:
        raise Refused("NO_OPEN_ROUND")
    if not 1 <= sheet <= MAX_SHEET:
        raise Refused("INVALID_INPUT", field="sheet")
    ballot, written = plain_marks(marks, write_ins, round_)
    entries = {e.slot: e for e in await PaperEntry.filter(round_id=round_.pk, sheet=sheet)}
    mine = next((e for e in entries.values() if e.teller_account_id == actor.account_id), None)
    async with db.atomic():
        if mine is not None:
            if mine.status == MATCHED:
                raise Refused("SHEET_SETTLED", field="sheet")
            # A teller enters their sheet again: only after a mismatch, audited.
            if mine.status != MISMATCH:
                raise Refused("TELLER_ALREADY_ENTERED", field="sheet")
            await PaperEntry.filter(pk=mine.pk).update(marks=ballot, write_ins=written)
            await PaperEntry.filter(round_id=round_.pk, sheet=sheet).update(status=SINGLE)
            await audit.record(actor, "elections.paper.reenter",
                               community_id=election.community_id, object_type="PaperSheet",
                               object_id=f"{round_.number}/{sheet}")
        else:
            slot = "A" if "A" not in entries else "B"
            if len(entries) >= 2:
                raise Refused("SHEET_SETTLED", field="sheet")
            await kit.create_unless_exists(
                PaperEntry, refuse=Refused("CONFLICT", field="sheet"), round_id=round_.pk,
                sheet=sheet, slot=slot, teller_account_id=actor.account_id, marks=ballot,
                write_ins=written)
    return await settle(round_, sheet)


async def settle(round_: VotingRound, sheet: int) -> str:
    """Compare a sheet's two entries, once: the ballot on a match, a flag on a mismatch."""
    entries = await PaperEntry.filter(round_id=round_.pk, sheet=sheet)
    if len(entries) < 2:
        return SINGLE
    if any(e.status != SINGLE for e in entries):
        return entries[0].status
    a, b = entries
    same = (a.marks, sorted(map(tuple, a.write_ins))) == (b.marks, sorted(map(tuple, b.write_ins)))
    status = MATCHED if same else MISMATCH
    async with db.atomic():
        won = await PaperEntry.filter(round_id=round_.pk, sheet=sheet, status=SINGLE).update(
            status=status)
        if won == 2 and same:
            await Ballot.create(round_id=round_.pk, code=new_tracking_code(), marks=a.marks,
                                write_ins=a.write_ins)
    return status


async def unsettled(round_: VotingRound) -> int:
    """Sheets not MATCHED (settling the pairs first): the round is not counted while any."""
    sheets = await PaperEntry.filter(round_id=round_.pk, status=SINGLE).values_list(
        "sheet", flat=True)
    for sheet in sorted(set(sheets)):
        await settle(round_, sheet)
    return len(set(await PaperEntry.filter(round_id=round_.pk).exclude(status=MATCHED)
                   .values_list("sheet", flat=True)))
