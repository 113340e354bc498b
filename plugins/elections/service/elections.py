"""Create an election, and move its phase (E2): by an act (through ``MACHINE``) or by the
clock (``move_due_phases``, the periodic task).

The phase is a guarded status (``kit.StatusMachine``): of two concurrent acts on one phase
one wins, the other is refused INVALID_TRANSITION; every move writes its history row, its
audit line (staff and committee acts) and an ``elections.updated`` event, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from linli.core import db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.access import require
from linli.core.identity.models import Community, Person

from ..models import CommitteeMember, Election, ElectionPost, PhaseChange, Settings
from ..rules.deadlines import MOVES, Mover, Phase, phase_due
from ..rules.posts import validate_posts
from ..rules.roll import ElectorateMode
from .common import time_zone_of
from .events import updated


def _transitions() -> dict[str | None, set[str]]:
    table: dict[str | None, set[str]] = {None: {str(Phase.SETUP)}}
    for move in MOVES:
        table.setdefault(str(move.source), set()).add(str(move.target))
    return table


MACHINE = kit.StatusMachine(
    Election, _transitions(), history=PhaseChange, history_key="election_id",
    status="phase", field="electionId",
)


async def create(actor: Actor, community_id: int, *, title: str, election_day: dt.date,
                 seats: Mapping[str, int], electorate_mode: str | None = None,
                 committee: Sequence[int] = (), chair: int | None = None) -> Election:
    """createElection: staff of the community (E3 posts validated, the settings snapshot
    taken, the committee named from the community's residents)."""
    require(actor, "elections.manage", community_id)
    community = await Community.get_or_none(pk=community_id, kind="community")
    if community is None:
        raise Refused("NOT_FOUND", field="communityId")
    settings = await kit.settings_of(Settings, community_id)
    errors = validate_posts(seats, settings.posts())
    if errors:
        first = errors[0]
        raise Refused(str(first.code), field="posts", **dict(first.details))
    title = title.strip()
    if not 1 <= len(title) <= 100:
        raise Refused("INVALID_INPUT", field="title")
    if election_day <= kit.today(community.time_zone):
        raise Refused("INVALID_INPUT", field="electionDay")
    mode = electorate_mode or settings.electorate_mode
    if mode not in {str(m) for m in ElectorateMode}:
        raise Refused("INVALID_INPUT", field="electorateMode")
    members = list(dict.fromkeys([*committee, *([chair] if chair else [])]))
    if len(members) > 30:  # an election committee is a handful of residents
        raise Refused("INVALID_INPUT", field="committee")
    names = dict(await Person.filter(pk__in=members, community_id=community_id)
                 .values_list("id", "real_name"))
    if len(names) != len(members):
        raise Refused("NOT_FOUND", field="committee")  # not a resident here: not revealed
    now = kit.now()
    count = settings.count()
    async with db.atomic():
        election = await Election.create(
            community_id=community_id, title=title, election_day=election_day,
            electorate_mode=mode, phase=str(Phase.SETUP), settings=settings.model_dump(),
            created_at=now, created_by_account_id=actor.account_id,
        )
        for post, n in seats.items():
            if n > 0:
                await ElectionPost.create(
                    election_id=election.pk, post=post, seats=n,
                    slate_size=count.slate_size(post, n),
                )
        for person in members:
            await CommitteeMember.create(election_id=election.pk, person_id=person,
                                         name=names[person], chair=person == chair,
                                         joined_at=now)
        await MACHINE.created(election, by=actor, audit="elections.create",
                              audit_detail={"election_day": election_day.isoformat()},
                              events=[updated(election, "CREATED")])
    return election


async def move(election: Election, target: Phase, *, by: Actor | None, audit: str | None,
               kind: str, changes: Mapping[str, object] | None = None,
               guard: Mapping[str, object] | None = None) -> None:
    """One phase move through the machine (the caller's transaction, if any, holds it)."""
    before = election.phase
    election.phase = str(target)  # the event names the phase it moved to
    try:
        # The loser of two concurrent acts finds the phase moved: INVALID_PHASE, as if it came
        # a moment later.
        lost = Refused("INVALID_PHASE", field="electionId", phase=str(target))
        await MACHINE.move(election, str(target), expect=before, by=by, changes=changes,
                           guard=guard, audit=audit, events=[updated(election, kind)], lost=lost)
    except Refused:
        election.phase = before
        raise


async def move_due_phases() -> int:
    """The periodic task (E2): every election whose day has come moves on (ROLL_PUBLISHED →
    NOMINATION after the objection window, SLATE_PUBLISHED → VOTING on election day, VOTING →
    COUNTING the day after). Idempotent: each move is guarded by the phase it leaves, so two
    instances running at once move each election once."""
    timed = {str(m.source) for m in MOVES if m.by is Mover.TIME}
    moved = 0
    zones: dict[int, str] = {}
    for election in await Election.filter(phase__in=sorted(timed)):
        if election.community_id not in zones:
            zones[election.community_id] = await time_zone_of(election.community_id)
        today = kit.today(zones[election.community_id])
        settings = election.rules_settings().deadlines()
        phase = Phase(election.phase)
        while True:
            due = phase_due(phase, today, election.election_day,
                            election.roll_published_on, settings)
            if due is phase:
                break
            nxt = next(m.target for m in MOVES if m.source is phase and m.by is Mover.TIME)
            try:
                await move(election, nxt, by=None, audit=None, kind="PHASE")
            except Refused:  # another instance moved it first
                break
            moved += 1
            phase = nxt
    return moved
