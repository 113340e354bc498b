"""Booking domain rules for the waitlist (B8) and the no-show ladder (B9), as plain functions
of plain data: who is offered a freed seat, how long an offer holds, how long a ban lasts.

The same contract as the room's __init__ (split from it for size): no I/O, no clock,
every instant an aware argument, every "day" the community's local day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from .basics import DEFAULTS, UTC, Reason, _aware, _check_ladder, local_date, refuses

# --- B8 waitlist -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class WaitlistEntry:
    person_id: object
    joined_at: dt.datetime
    banned_until: dt.date | None = None  # last banned local day (see ban_until)
    booked_that_day: bool = False  # already holds an active appointment that local day
    offer_expired: bool = False  # was offered this seat and let it lapse: passes to the next
    priority: bool = False  # B10: may take a seat reserved for priority people


def is_banned(banned_until: dt.date | None, today: dt.date) -> bool:
    """A ban blocks booking while the local `today` is on or before its last day. Only the
    end is kept, so it also covers the rest of the no-show day once the no-show is marked."""
    return banned_until is not None and today <= banned_until


@refuses
def ban_error(banned_until: dt.date | None, today: dt.date) -> Reason | None:
    return Reason.BANNED_UNTIL if is_banned(banned_until, today) else None


def next_offer(
    entries: Iterable[WaitlistEntry], today: dt.date, *, general_seat: bool = True
) -> WaitlistEntry | None:
    """The first person waiting (by joined_at; ties keep the given order) who may take the
    seat, skipping the banned, those already booked that day and lapsed offers. When the
    free seat is one reserved for priority people (`general_seat` False: the slot's other
    seats are all taken, B10), only a priority person may have it."""
    for entry in sorted(entries, key=lambda e: _aware(e.joined_at, "joined_at")):
        if entry.offer_expired or entry.booked_that_day or is_banned(entry.banned_until, today):
            continue
        if not general_seat and not entry.priority:
            continue
        return entry
    return None


def offer_deadline(
    offered_at: dt.datetime, slot_start: dt.datetime, hold: dt.timedelta = DEFAULTS.offer_hold
) -> dt.datetime | None:
    """When a held seat returns to the pool: hold after the offer, capped at the slot start.
    None when the slot has started: there is nothing left to offer."""
    if _aware(offered_at, "offered_at") >= _aware(slot_start, "slot_start"):
        return None
    return min(offered_at + hold, slot_start).astimezone(UTC)


@refuses
def offer_error(deadline: dt.datetime, now: dt.datetime) -> Reason | None:
    """OFFER_EXPIRED from the deadline on (the hold lasts until, not through, it)."""
    return Reason.OFFER_EXPIRED if _aware(now, "now") >= _aware(deadline) else None


# --- B9 no-show ladder -------------------------------------------------------------------


def ban_until(
    no_shows: Iterable[dt.date | dt.datetime],
    ladder: tuple[int, ...] = DEFAULTS.noshow_ladder,
    tz: str | dt.tzinfo = DEFAULTS.tz,
) -> dt.date | None:
    """The last banned local day, from scratch over the non-voided no-shows (local days of
    their slots, or aware instants converted with `tz`), so voiding one just recomputes.

    The k-th no-show of a local calendar year bans for ladder[k-1] days (the last step
    repeats); the count restarts each year. A ban runs from the day after the no-show for N
    days, so it ends on day + N; the effective ban is the latest end. None: never banned.
    """
    _check_ladder(ladder)
    days = sorted(d if not isinstance(d, dt.datetime) else local_date(d, tz) for d in no_shows)
    count_in_year: dict[int, int] = {}
    latest: dt.date | None = None
    for day in days:
        k = count_in_year[day.year] = count_in_year.get(day.year, 0) + 1
        end = day + dt.timedelta(days=ladder[min(k, len(ladder)) - 1])
        latest = end if latest is None else max(latest, end)
    return latest
