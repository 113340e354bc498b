"""Turnout (E16): during voting the only thing anyone learns from the ballot box.

``TURNOUT`` goes out after each commit that adds a participation; it carries the round's
number and no person, channel or ballot: subscribers re-read the counts.
"""

from __future__ import annotations

import dataclasses

from tortoise.functions import Count

from linli import EventType

from ..models import Election, RollEntry
from ..models.ballots import Participation, VotingRound
from ..rules.model import Channel

TURNOUT = EventType(
    "elections.turnout",
    keys=["election_id"],
    description="Someone voted in an election's open round (turnout only, E16).",
    election_id=int,
    community_id=int,
    round=int,
)

BALLOT_EVENTS = [TURNOUT]


@dataclasses.dataclass(frozen=True, slots=True)
class Turnout:
    election_id: int
    round_number: int | None
    round_kind: str | None
    round_status: str | None
    roll_size: int
    voted: int
    by_channel: dict[str, int]


async def participation(round_pk: int) -> dict[str, int]:
    """Per channel (every channel, zero included), from the participation rows."""
    rows = await (Participation.filter(round_id=round_pk).annotate(n=Count("id"))
                  .group_by("channel").values_list("channel", "n"))
    counts = dict.fromkeys((str(c) for c in Channel), 0)
    counts.update({channel: int(n) for channel, n in rows})
    return counts


async def roll_size(election: Election) -> int:
    return await RollEntry.filter(election_id=election.pk).count()


async def turnout(election: Election) -> Turnout:
    """The current round's turnout (or the last one's, once every round is counted)."""
    from .rounds import current

    row = await current(election) or await VotingRound.filter(
        election_id=election.pk).order_by("-number").first()
    counts = await participation(row.pk) if row else dict.fromkeys(map(str, Channel), 0)
    return Turnout(election.pk, row.number if row else None, row.kind if row else None,
                   row.status if row else None, await roll_size(election),
                   sum(counts.values()), counts)
