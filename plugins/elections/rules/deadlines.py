"""E2 (and E5's publication date): an election's windows in local dates, its phases, and
which acts each phase allows.

Every window is a pair of local dates, both inclusive (``closes`` is the last day one may
act); ``opens`` None means "from the election's creation". Days are the community's
(``roll.local_day``). A check outside its window raises OUTSIDE_WINDOW with the window's
dates; an act in the wrong phase raises INVALID_PHASE, and an act that would change the roll
once voting has opened raises ROLL_FROZEN.

Phases (the names the count uses where they meet: ``model.Kind.PRIMARY`` is the primary's
round): SETUP → ROLL_PUBLISHED → NOMINATION → (PRIMARY →) SLATE_PUBLISHED → VOTING →
COUNTING. From COUNTING on the count's rounds and their state machine (``model.TRANSITIONS``:
tie votes, runoffs, a new election) take over; part II adds their phases.
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
    PRIMARY = "PRIMARY"  # model.Kind.PRIMARY's round (预选, E5)
    SLATE_PUBLISHED = "SLATE_PUBLISHED"
    VOTING = "VOTING"  # model.Kind.MAIN's round is open
    COUNTING = "COUNTING"  # voting closed: the count's rounds (part II) follow


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
    Move(Phase.PRIMARY, Phase.SLATE_PUBLISHED, Mover.ACT, act="PUBLISH_SLATE"),
    Move(Phase.SLATE_PUBLISHED, Phase.VOTING, Mover.TIME, day="election day"),
    Move(Phase.VOTING, Phase.COUNTING, Mover.TIME, day="the day after election day"),
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
}
# The acts that change the roll: refused ROLL_FROZEN, not INVALID_PHASE, once voting opened.
ROLL_CHANGES = frozenset({Act.RESOLVE_CONFLICT, Act.FILE_OBJECTION, Act.DECIDE_OBJECTION})


def check_act(act: Act, phase: Phase) -> None:
    if phase in ACT_PHASES[act]:
        return
    if act in ROLL_CHANGES and phase not in _BEFORE_VOTING:
        raise Refused(Code.ROLL_FROZEN)
    raise Refused(Code.INVALID_PHASE, phase=str(phase))


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
    return election_day + DAY  # VOTING -> COUNTING
