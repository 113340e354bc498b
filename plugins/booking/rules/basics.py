"""What every booking rule uses: the refusal reasons and ``refuses``, the settings with
DOMAIN.md's defaults, and the community's local day (B6). Plain data, no I/O."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from linli.core.errors import Refused

UTC = dt.UTC


class Reason(enum.StrEnum):
    """Why a request is refused (or, for LATE_CANCELLATION, flagged): the API's error codes."""

    SLOT_FULL = "SLOT_FULL"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    OUTSIDE_BOOKING_WINDOW = "OUTSIDE_BOOKING_WINDOW"
    ALREADY_BOOKED_TODAY = "ALREADY_BOOKED_TODAY"
    BANNED_UNTIL = "BANNED_UNTIL"
    PROXY_NOT_VERIFIED = "PROXY_NOT_VERIFIED"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    OFFER_EXPIRED = "OFFER_EXPIRED"
    LATE_CANCELLATION = "LATE_CANCELLATION"


def refuses(rule: Callable[..., Reason | None]) -> Callable[..., None]:
    """Make a rule that finds the Reason to refuse (None: allowed) refuse by raising it:
    ``Refused(reason, field=field)``, ``field`` (a keyword) naming the input at fault. The
    plain finding stays ``rule.__wrapped__`` for predicates such as can_transition."""

    @functools.wraps(rule)
    def check(*args: Any, field: str | None = None, **kwargs: Any) -> None:
        reason = rule(*args, **kwargs)
        if reason is not None:
            raise Refused(str(reason), field=field)

    return check


@dataclasses.dataclass(frozen=True)
class Cutoff:
    """B7: free cancellation until `at` (local time), `days_before` the slot's local day."""

    days_before: int = 1
    at: dt.time = dt.time(16, 0)


def _check_ladder(ladder: tuple[int, ...]) -> None:
    if not ladder or any(days < 1 for days in ladder):
        raise ValueError("noshow ladder needs at least one step, each >= 1 day")


@dataclasses.dataclass(frozen=True)
class BookingSettings:
    """Every per-community *setting* of the booking module, with DOMAIN.md's defaults."""

    tz: str = "Asia/Shanghai"
    min_days_ahead: int = 1  # B6 booking window, in local days
    max_days_ahead: int = 14
    one_per_day: bool = True  # B6 one active appointment per person, service type and day
    cancel_cutoff: Cutoff = Cutoff()  # B7
    noshow_ladder: tuple[int, ...] = (30, 60, 90)  # B9 ban days for the 1st, 2nd, 3rd+ no-show
    # B4: how long staff may still turn a no-show into "arrived" (DOMAIN.md gives no number;
    # a day lets the front desk fix the register before the daily no-show review).
    noshow_grace: dt.timedelta = dt.timedelta(hours=24)
    elderly_age: int = 65  # B10
    reserved_priority_seats: int = 0  # B10, per slot
    offer_hold: dt.timedelta = dt.timedelta(minutes=30)  # B8
    # B5/B6: staff booking for a resident (the seeds' proxy service, e.g. a same-day home
    # visit arranged at the desk) need not keep the minimum lead; the maximum still holds.
    staff_bypass_window: bool = True

    def __post_init__(self) -> None:
        try:  # an unknown zone fails here, not at the first booking
            ZoneInfo(self.tz)
        except (KeyError, ValueError) as exc:  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(f"unknown time zone {self.tz!r}") from exc
        if not 0 <= self.min_days_ahead <= self.max_days_ahead:
            raise ValueError("booking window needs 0 <= min_days_ahead <= max_days_ahead")
        if self.cancel_cutoff.days_before < 0:
            raise ValueError("cancel_cutoff.days_before must be >= 0")
        _check_ladder(self.noshow_ladder)
        if self.noshow_grace < dt.timedelta(0) or self.offer_hold <= dt.timedelta(0):
            raise ValueError("noshow_grace must be >= 0 and offer_hold > 0")
        if self.elderly_age < 0 or self.reserved_priority_seats < 0:
            raise ValueError("elderly_age and reserved_priority_seats must be >= 0")


DEFAULTS = BookingSettings()


# --- time: the local day (B6) ------------------------------------------------------------


def _zone(tz: str | dt.tzinfo) -> dt.tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _aware(instant: dt.datetime, name: str = "instant") -> dt.datetime:
    # A naive datetime is ambiguous (server-local? UTC?): refuse rather than guess.
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return instant


def local_date(instant: dt.datetime, tz: str | dt.tzinfo) -> dt.date:
    """The community-local calendar day of an instant."""
    return _aware(instant).astimezone(_zone(tz)).date()


def local_instant(day: dt.date, at: dt.time, tz: str | dt.tzinfo) -> dt.datetime:
    """The UTC instant of a local wall-clock time on a local day."""
    return dt.datetime.combine(day, at, tzinfo=_zone(tz)).astimezone(UTC)
