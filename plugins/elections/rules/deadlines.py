"""E2 (and E5's publication date): an election's windows in local dates, its phases, and
which acts each phase allows.

Every window is a pair of local dates, both inclusive (``closes`` is the last day one may
act); ``opens`` None means "from the election's creation". Days are the community's
(``roll.local_day``). A check outside its window raises OUTSIDE_WINDOW with the window's
dates; an act in the wrong phase raises INVALID_PHASE, and an act that would change the roll
once voting has opened raises ROLL_FROZEN.

Phases (the names the count uses where they meet: ``model.Kind.PRIMARY`` is the primary's
round): SETUP → ROLL_PUBLISHED → NOMINATION → (PRIMARY ⇄ PRIMARY_COUNTING →) SLATE_PUBLISHED
→ VOTING ⇄ COUNTING → COUNTED. Closing the polls and counting are staff's acts (closePolls,
countVotes), never the clock's: a tie vote or a runoff is voted on a later day, and the
paper ballots are counted when the committee says. ``polls_move`` says where each of those
acts moves the phase; which round follows a count is the count's state machine
(``model.TRANSITIONS``), not the phase's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from enum import StrEnum

from .refusals import Code, Refused

DAY = dt.timedelta(days=1)


@dataclasses.dataclass(frozen=True, slots=True)
class DeadlineSettings:
    """E2's and E5's *settings* in days, with DOMAIN.md's defaults."""

    roll_days_before: int = 20  # roll published at least this many days before election day
    objection_days: int = 5  # objections within this many days of publication
    decision_days: int = 3  # a decision within this many days of the objection
    slate_days_before: int = 5  # slate published at least this many days before (E5)

    def __post_init__(self) -> None:
        if min(self.roll_days_before, self.objection_days, self.decision_days,
               self.slate_days_before) < 1:
            raise ValueError("E2: every period is at least one day")
        if self.roll_days_before <= self.objection_days + self.decision_days:
            raise ValueError("E2: objections are decided before the election")


@dataclasses.dataclass(frozen=True, slots=True)
class Window:
    opens: dt.date | None
    closes: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and (
            self.opens is None or self.opens <= day) and day <= self.closes

    def details(self) -> dict[str, str | None]:
        return {"opens": self.opens.isoformat() if self.opens else None,
                "closes": self.closes.isoformat()}


def roll_publication_window(election_day: dt.date, s: DeadlineSettings) -> Window:
    """E2: published at least ``roll_days_before`` days before election day."""
    return Window(None, election_day - s.roll_days_before * DAY)


def objection_window(published_on: dt.date, s: DeadlineSettings) -> Window:
    """E2: objections from the day of publication to ``objection_days`` days after it."""
    return Window(published_on, published_on + s.objection_days * DAY)


def decision_window(filed_on: dt.date, s: DeadlineSettings) -> Window:
    """E2: the decision on an objection within ``decision_days`` days of its filing."""
    return Window(filed_on, filed_on + s.decision_days * DAY)


def slate_publication_window(election_day: dt.date, s: DeadlineSettings) -> Window:
    """E5: the final slate published at least ``slate_days_before`` days before."""
    return Window(None, election_day - s.slate_days_before * DAY)


def check_window(window: Window, today: dt.date) -> None:
    if today not in window:
        raise Refused(Code.OUTSIDE_WINDOW, **window.details())


class Phase(StrEnum):
    SETUP = "SETUP"
    ROLL_PUBLISHED = "ROLL_PUBLISHED"
    NOMINATION = "NOMINATION"
    PRIMARY = "PRIMARY"  # model.Kind.PRIMARY's round (预选, E5), and its tie votes
    PRIMARY_COUNTING = "PRIMARY_COUNTING"  # a primary round's polls are closed, not counted
    SLATE_PUBLISHED = "SLATE_PUBLISHED"
    VOTING = "VOTING"  # model.Kind.MAIN's round is open
    COUNTING = "COUNTING"  # the polls of the round being voted are closed, not counted
    COUNTED = "COUNTED"  # the round is counted and published; the next may be opened


PHASE_ORDER = tuple(Phase)


class Mover(StrEnum):
    ACT = "ACT"  # an act of staff moves it (the act is named)
    TIME = "TIME"  # the periodic task moves it when its day comes


@dataclasses.dataclass(frozen=True, slots=True)
class Move:
    source: Phase
    target: Phase
    by: Mover
    act: str | None = None  # the act, when ``by`` is ACT
    day: str | None = None  # when ``by`` is TIME: the day it moves, in words


# The phase table: every move an election's phase can make, and what makes it.
MOVES: tuple[Move, ...] = (
    Move(Phase.SETUP, Phase.ROLL_PUBLISHED, Mover.ACT, act="PUBLISH_ROLL"),
    Move(Phase.ROLL_PUBLISHED, Phase.NOMINATION, Mover.TIME,
         day="the day after the objection window closes"),
    Move(Phase.NOMINATION, Phase.PRIMARY, Mover.ACT, act="START_PRIMARY"),
    Move(Phase.NOMINATION, Phase.SLATE_PUBLISHED, Mover.ACT, act="PUBLISH_SLATE"),
    Move(Phase.PRIMARY, Phase.PRIMARY_COUNTING, Mover.ACT, act="CLOSE_POLLS"),
    Move(Phase.PRIMARY_COUNTING, Phase.PRIMARY, Mover.ACT, act="COUNT_VOTES"),
    Move(Phase.PRIMARY, Phase.SLATE_PUBLISHED, Mover.ACT, act="PUBLISH_SLATE"),
    Move(Phase.SLATE_PUBLISHED, Phase.VOTING, Mover.TIME, day="election day"),
    Move(Phase.VOTING, Phase.COUNTING, Mover.ACT, act="CLOSE_POLLS"),
    Move(Phase.COUNTING, Phase.COUNTED, Mover.ACT, act="COUNT_VOTES"),
    Move(Phase.COUNTED, Phase.VOTING, Mover.ACT, act="OPEN_NEXT_ROUND"),
)


class Act(StrEnum):
    PUBLISH_ROLL = "PUBLISH_ROLL"
    RESOLVE_CONFLICT = "RESOLVE_CONFLICT"  # staff settle a multiple registration (E1)
    FILE_OBJECTION = "FILE_OBJECTION"
    DECIDE_OBJECTION = "DECIDE_OBJECTION"
    NOMINATE = "NOMINATE"  # and confirm a joint nomination
    ANSWER_NOMINATION = "ANSWER_NOMINATION"  # accept or decline
    START_PRIMARY = "START_PRIMARY"
    PUBLISH_SLATE = "PUBLISH_SLATE"
    GRANT_PROXY = "GRANT_PROXY"
    WITHDRAW_PROXY = "WITHDRAW_PROXY"
    CLOSE_POLLS = "CLOSE_POLLS"  # of the round being voted (part II)
    COUNT_VOTES = "COUNT_VOTES"
    OPEN_NEXT_ROUND = "OPEN_NEXT_ROUND"  # the round the count asks for next


_BEFORE_VOTING = frozenset(PHASE_ORDER[:PHASE_ORDER.index(Phase.VOTING)])
_ROLL_OUT = _BEFORE_VOTING - {Phase.SETUP}

# Which phases allow each act. The windows narrow it further (objections within their days).
ACT_PHASES: Mapping[Act, frozenset[Phase]] = {
    Act.PUBLISH_ROLL: frozenset({Phase.SETUP}),
    Act.RESOLVE_CONFLICT: frozenset({Phase.SETUP}),
    Act.FILE_OBJECTION: _ROLL_OUT,
    Act.DECIDE_OBJECTION: _ROLL_OUT,
    Act.NOMINATE: frozenset({Phase.NOMINATION}),
    Act.ANSWER_NOMINATION: frozenset({Phase.NOMINATION}),
    Act.START_PRIMARY: frozenset({Phase.NOMINATION}),
    Act.PUBLISH_SLATE: frozenset({Phase.NOMINATION, Phase.PRIMARY}),
    Act.GRANT_PROXY: _ROLL_OUT,
    Act.WITHDRAW_PROXY: _ROLL_OUT,  # a proxy can be withdrawn until voting opens (E10)
    Act.CLOSE_POLLS: frozenset({Phase.PRIMARY, Phase.VOTING}),
    Act.COUNT_VOTES: frozenset({Phase.PRIMARY_COUNTING, Phase.COUNTING}),
    Act.OPEN_NEXT_ROUND: frozenset({Phase.PRIMARY, Phase.COUNTED}),
}
# The acts that change the roll: refused ROLL_FROZEN, not INVALID_PHASE, once voting opened.
ROLL_CHANGES = frozenset({Act.RESOLVE_CONFLICT, Act.FILE_OBJECTION, Act.DECIDE_OBJECTION})


def check_act(act: Act, phase: Phase) -> None:
    if phase in ACT_PHASES[act]:
        return
    if act in ROLL_CHANGES and phase not in _BEFORE_VOTING:
        raise Refused(Code.ROLL_FROZEN)
    raise Refused(Code.INVALID_PHASE, phase=str(phase))


# The ballot box's acts on a round, by the phase they find: the phase they move to (the
# table above). A recall (E17) is voted after the election, in COUNTED, and moves nothing.
_POLLS_ACTS = (Act.CLOSE_POLLS, Act.COUNT_VOTES, Act.OPEN_NEXT_ROUND)
_RECALL_PHASES: Mapping[Act, Phase] = {
    Act.CLOSE_POLLS: Phase.COUNTED, Act.COUNT_VOTES: Phase.COUNTED,
}


def polls_move(act: Act, phase: Phase, recall: bool = False) -> Phase | None:
    """Where ``act`` (closing the polls, counting, opening the next round) moves ``phase``:
    the target phase, or None when the phase stays (a recall's round; the next round of a
    primary, still PRIMARY). INVALID_PHASE when the act has no place in ``phase``."""
    if act not in _POLLS_ACTS:
        raise ValueError(f"{act} is not an act of the ballot box")
    if recall:
        if _RECALL_PHASES.get(act) is not phase:
            raise Refused(Code.INVALID_PHASE, phase=str(phase))
        return None
    check_act(act, phase)
    if act is Act.OPEN_NEXT_ROUND and phase is Phase.PRIMARY:
        return None
    return next(m.target for m in MOVES if m.source is phase and m.act == str(act))


def phase_due(phase: Phase, today: dt.date, election_day: dt.date,
              roll_published_on: dt.date | None, s: DeadlineSettings) -> Phase:
    """The phase the clock moves ``phase`` to on ``today`` (itself if its day has not come).

    Only TIME moves are made, each at most once, in order: an election whose roll was
    published long ago goes from ROLL_PUBLISHED to NOMINATION, never past an ACT move.
    """
    while True:
        move = next((m for m in MOVES if m.source is phase and m.by is Mover.TIME), None)
        if move is None or today < _move_day(move, election_day, roll_published_on, s):
            return phase
        phase = move.target


def _move_day(move: Move, election_day: dt.date, roll_published_on: dt.date | None,
              s: DeadlineSettings) -> dt.date:
    if move.source is Phase.ROLL_PUBLISHED:
        if roll_published_on is None:
            raise ValueError("a published roll has a publication date")
        return objection_window(roll_published_on, s).closes + DAY
    if move.source is Phase.SLATE_PUBLISHED:
        return election_day
    raise ValueError(f"no day moves {move.source}")
