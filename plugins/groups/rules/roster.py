"""G4 roster history: half-open day intervals, as of any day."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from .vocabulary import (
    Role,
)

# ---------------------------------------------------------------- G4 roster history


@dataclasses.dataclass(frozen=True)
class Entry:
    person_id: int
    role: str
    since: dt.date
    until: dt.date | None = None


def active_on(entry: Entry, day: dt.date) -> bool:
    """G4: [since, until) contains ``day``."""
    return entry.since <= day and (entry.until is None or day < entry.until)


def roster_as_of(entries: Iterable[Entry], day: dt.date) -> list[Entry]:
    """G4: who was in the group at the end of ``day``, leader first, then by person."""
    current = [e for e in entries if active_on(e, day)]
    return sorted(current, key=lambda e: (e.role != Role.LEADER, e.person_id))


def closing_day(since: dt.date, today: dt.date) -> dt.date:
    """The ``until`` of an entry ended today (never before it began: a same-day join and leave
    leaves an empty interval, and a clock set back cannot make entries overlap)."""
    return max(since, today)


def leads(leader_person_id: int, person_id: int) -> bool:
    """G4: the group's one leader is the person who organises for it (a member does not)."""
    return leader_person_id == person_id
