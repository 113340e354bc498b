"""V6 hours and V7 stars, in the rules room: plain functions of plain data.

An hours record is PENDING until its organiser approves or rejects it. Approved records are
never edited (条例 art. 19): a correction is a new record of its own (a REVERSAL of all of a
record's minutes, or an AMENDMENT by a difference), approved when written, so the sum over a
person's approved records is always what the organisation attests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Iterable, Sequence

from linli.core.errors import Refused

from . import Reason, refuse


class HoursStatus(enum.StrEnum):
    OPEN = "OPEN"  # checked in, not yet out
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class HoursKind(enum.StrEnum):
    ATTENDANCE = "ATTENDANCE"
    REVERSAL = "REVERSAL"
    AMENDMENT = "AMENDMENT"


# APPROVED and REJECTED are final: no edge leaves them, so the status machine itself refuses
# any change of an approved record (V6).
HOURS_EDGES = {
    None: {HoursStatus.OPEN, HoursStatus.PENDING, HoursStatus.APPROVED},
    HoursStatus.OPEN: {HoursStatus.PENDING},
    HoursStatus.PENDING: {HoursStatus.APPROVED, HoursStatus.REJECTED},
}

MAX_MINUTES = 24 * 60


def check_code(given: str, expected: str) -> None:
    """V6: self check-in and check-out need the shift's code shown by the organiser."""
    import hmac

    if not hmac.compare_digest(given.strip().upper().encode(), expected.upper().encode()):
        raise refuse(Reason.WRONG_CODE, "code")


def check_in_window(
    now: dt.datetime,
    start: dt.datetime,
    end: dt.datetime,
    *,
    early: dt.timedelta,
    late: dt.timedelta,
) -> None:
    """Self check-in opens ``early`` before the shift and attendance closes ``late`` after."""
    if now < start - early or now > end + late:
        raise refuse(Reason.ATTENDANCE_CLOSED, "shiftId")


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes served, 0…24 h; an end before the start is END_BEFORE_START."""
    if end <= start:
        raise refuse(Reason.END_BEFORE_START, "end")
    minutes = int((end - start).total_seconds() // 60)
    if minutes > MAX_MINUTES:
        raise Refused("INVALID_INPUT", field="end")
    return minutes


def check_approval(status: str) -> None:
    """Only a PENDING record is approved or rejected; an approved one is final (V6)."""
    if status != HoursStatus.PENDING:
        raise refuse(Reason.INVALID_TRANSITION, "recordId")


def correction(
    original_minutes: int, corrected_so_far: int, new_minutes: int
) -> tuple[HoursKind, int]:
    """V6: the correcting record for an approved one, never an edit: its kind and minutes
    (the difference). The record and its corrections stay at or above zero."""
    if new_minutes < 0 or new_minutes > MAX_MINUTES:
        raise refuse(Reason.CORRECTION_BELOW_ZERO, "minutes")
    standing = original_minutes + corrected_so_far
    delta = new_minutes - standing
    if delta == 0:
        raise Refused("INVALID_INPUT", field="minutes")
    return (HoursKind.REVERSAL if new_minutes == 0 else HoursKind.AMENDMENT), delta


@dataclasses.dataclass(frozen=True)
class Stars:
    hours: float
    level: int  # 0 … 5
    next_at: int | None  # hours for the next star, None at five


def star_level(approved_minutes: int, thresholds: Sequence[int]) -> Stars:
    """V7: cumulative approved hours against the thresholds (default 100/300/600/1000/1500);
    a reversal lowers the sum and so the level."""
    hours = max(approved_minutes, 0) / 60
    level = sum(1 for t in thresholds if hours >= t)
    nxt = thresholds[level] if level < len(thresholds) else None
    return Stars(hours=round(hours, 2), level=level, next_at=nxt)


def total_minutes(records: Iterable[tuple[str, int]]) -> int:
    """The sum of the approved records' minutes ((status, minutes) pairs)."""
    return sum(minutes for status, minutes in records if status == HoursStatus.APPROVED)
