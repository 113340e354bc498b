"""Booking domain rules (DOMAIN.md B1–B12) as plain functions of plain data.

No I/O, no clock, no framework: every instant comes in as an argument (timezone-aware), a
refusal is raised as ``linli.core.errors.Refused`` (``@refuses``), and every "day" is the
community's local day, never the UTC day (B6). The service layer calls these inside its
transaction; the database enforces what must hold under concurrency (B3) with the keys and
counts computed here. Keyword defaults equal the BookingSettings defaults.

The rules room is a package (split past ~400 lines): B1, B5-B7 and B10 here; the reasons,
settings and local day every rule uses in basics.py; B4 (the status machine) in status.py;
B2 (schedules) in schedule.py; B8 and B9 (waitlist, no-show bans) in waitlist.py; B12
(iCalendar export) in ical.py. Everything a service uses is importable from here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from .basics import (
    DEFAULTS,
    UTC,
    BookingSettings,
    Cutoff,
    Reason,
    _aware,
    local_date,
    local_instant,
    refuses,
)
from .status import (
    ACTIVE_STATUSES,
    EDGES,
    FINAL_STATUSES,
    STAFF_ONLY_TARGETS,
    SYSTEM_TRANSITIONS,
    TRANSITIONS,
    Status,
    can_transition,
    transition_error,
)

__all__ = [
    "ACTIVE_STATUSES",
    "DEFAULTS",
    "EDGES",
    "FINAL_STATUSES",
    "STAFF_ONLY_TARGETS",
    "SYSTEM_TRANSITIONS",
    "TRANSITIONS",
    "UTC",
    "BookingSettings",
    "Cutoff",
    "Reason",
    "Status",
    "can_transition",
    "local_date",
    "local_instant",
    "refuses",
    "transition_error",
]


# --- B1 services and eligibility ---------------------------------------------------------


class ServiceCategory(enum.StrEnum):
    PUBLIC_HEALTH = "public_health"  # 公卫, e.g. the yearly elderly check
    MEDICAL = "medical"  # 医疗
    REHABILITATION = "rehabilitation"  # 康复
    HEALTH_EDUCATION = "health_education"  # 健康教育
    FAMILY_PLANNING = "family_planning"  # 计划生育
    HOME_VISIT = "home_visit"  # 上门


@dataclasses.dataclass(frozen=True)
class PersonFacts:
    """What the rules may know about the person an appointment is for (never their ID number)."""

    birth_date: dt.date | None = None
    disabled: bool = False
    family_doctor_contract: bool = False


@dataclasses.dataclass(frozen=True)
class Eligibility:
    min_age: int | None = None  # inclusive
    max_age: int | None = None  # inclusive
    requires_family_doctor_contract: bool = False

    def __post_init__(self) -> None:
        if self.min_age is not None and self.min_age < 0:
            raise ValueError("min_age must be >= 0")
        if None not in (self.min_age, self.max_age) and self.max_age < self.min_age:
            raise ValueError("max_age must be >= min_age")


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on `day`; the birthday itself counts (29 Feb turns over on 1 Mar)."""
    if day < birth_date:
        raise ValueError("day is before birth_date")
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@refuses
def check_eligibility(
    eligibility: Eligibility, person: PersonFacts, on_local_date: dt.date
) -> Reason | None:
    """NOT_ELIGIBLE or None. Pass the local date of the slot, not a UTC date."""
    if eligibility.requires_family_doctor_contract and not person.family_doctor_contract:
        return Reason.NOT_ELIGIBLE
    if eligibility.min_age is None and eligibility.max_age is None:
        return None
    if person.birth_date is None:  # an age rule we cannot verify is not met
        return Reason.NOT_ELIGIBLE
    age = age_on(person.birth_date, on_local_date)
    if eligibility.min_age is not None and age < eligibility.min_age:
        return Reason.NOT_ELIGIBLE
    if eligibility.max_age is not None and age > eligibility.max_age:
        return Reason.NOT_ELIGIBLE
    return None


# --- B5 for whom --------------------------------------------------------------------------


@refuses
def proxy_error(
    *, account_person_id: object, person_id: object, is_staff: bool, grant_verified: bool | None
) -> Reason | None:
    """PROXY_NOT_VERIFIED unless booking for oneself, as staff of the person's community, or
    under a verified grant (grant_verified None = no grant at all)."""
    if account_person_id == person_id or is_staff or grant_verified:
        return None
    return Reason.PROXY_NOT_VERIFIED


# --- B6 limits follow the person ---------------------------------------------------------


@refuses
def booking_window_error(
    slot_start: dt.datetime,
    now: dt.datetime,
    tz: str | dt.tzinfo = DEFAULTS.tz,
    *,
    min_days: int = DEFAULTS.min_days_ahead,
    max_days: int = DEFAULTS.max_days_ahead,
) -> Reason | None:
    """OUTSIDE_BOOKING_WINDOW unless the slot's local day is min..max local days after today."""
    if _aware(slot_start, "slot_start") <= _aware(now, "now"):
        return Reason.OUTSIDE_BOOKING_WINDOW
    ahead = (local_date(slot_start, tz) - local_date(now, tz)).days
    return None if min_days <= ahead <= max_days else Reason.OUTSIDE_BOOKING_WINDOW


def booking_window(s: BookingSettings, *, staff_for_resident: bool) -> tuple[int, int]:
    """(min, max) local days ahead for this booking: staff booking for a resident skip the
    minimum lead (same day, still only a slot not yet started) when the setting allows it."""
    if staff_for_resident and s.staff_bypass_window:
        return 0, s.max_days_ahead
    return s.min_days_ahead, s.max_days_ahead


def daily_limit_key(
    person_id: object,
    service_type_id: object,
    local_day: dt.date,
    status: Status | str,
    *,
    enabled: bool = DEFAULTS.one_per_day,
) -> str | None:
    """Value for a UNIQUE, nullable column: equal for two active appointments of one person
    and service type on one local day, so the second insert fails (→ ALREADY_BOOKED_TODAY).
    None (NULLs never collide) when the appointment is not active or the setting is off;
    the service must rewrite the key whenever the status changes."""
    if not enabled or Status(status) not in ACTIVE_STATUSES:
        return None
    return f"{person_id}:{service_type_id}:{local_day.isoformat()}"


# --- B7 cancellation cutoff --------------------------------------------------------------


def cancellation_cutoff(
    slot_start: dt.datetime, tz: str | dt.tzinfo = DEFAULTS.tz, cutoff: Cutoff = Cutoff()
) -> dt.datetime:
    """The UTC instant free cancellation ends (never later than the slot's start)."""
    day = local_date(slot_start, tz) - dt.timedelta(days=cutoff.days_before)
    return min(local_instant(day, cutoff.at, tz), slot_start.astimezone(UTC))


def is_late_cancellation(
    slot_start: dt.datetime,
    cancelled_at: dt.datetime,
    tz: str | dt.tzinfo = DEFAULTS.tz,
    cutoff: Cutoff = Cutoff(),
) -> bool:
    """True from the cutoff instant on: 15:59 the day before is free, 16:00 and 16:01 late."""
    return _aware(cancelled_at, "cancelled_at") >= cancellation_cutoff(slot_start, tz, cutoff)


# --- B10 priority ------------------------------------------------------------------------


def is_priority(
    person: PersonFacts, on_local_date: dt.date, elderly_age: int = DEFAULTS.elderly_age
) -> bool:
    born = person.birth_date
    elderly = (
        born is not None and born <= on_local_date and age_on(born, on_local_date) >= elderly_age
    )
    return elderly or person.disabled or person.family_doctor_contract


def seats_available_to(
    person_is_priority: bool,
    capacity: int,
    booked: int,
    reserved: int = DEFAULTS.reserved_priority_seats,
    *,
    booked_priority: int = 0,
) -> int:
    """Seats this person may still take. `booked`: active appointments (all people),
    pending holds for waitlist offers included (B8: a held seat is taken, so no direct
    booking gets it); `booked_priority`: how many of them are priority people, who use
    reserved seats first. Everyone else must leave the reserved seats not yet used by
    priority people free: a freed reserved seat goes only to a priority person (B10)."""
    free = capacity - booked
    if not person_is_priority:
        free -= min(max(reserved - booked_priority, 0), capacity)
    return max(free, 0)


@refuses
def seat_error(
    person_is_priority: bool, capacity: int, booked: int, reserved: int = 0, **kwargs: int
) -> Reason | None:
    """SLOT_FULL when seats_available_to (same arguments) leaves this person nothing."""
    if seats_available_to(person_is_priority, capacity, booked, reserved, **kwargs) > 0:
        return None
    return Reason.SLOT_FULL
