"""Booking domain rules (DOMAIN.md B1–B12) as plain functions of plain data.

No I/O, no clock, no framework: every instant comes in as an argument (timezone-aware), a
refusal is raised as ``linli.core.errors.Refused`` (``@refuses``), and every "day" is the
community's local day, never the UTC day (B6). The service layer calls these inside its
transaction; the database enforces what must hold under concurrency (B3) with the keys and
counts computed here. Keyword defaults equal the BookingSettings defaults.
B2 (schedules) lives in schedule.py, B8 and B9 (waitlist, no-show bans) in waitlist.py and
B12 (iCalendar export) in ical.py, in this package (the rules room, split past ~400 lines).
"""

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


# --- B4 status machine (FHIR Appointment.status) -----------------------------------------


class Status(enum.StrEnum):
    PROPOSED = "proposed"  # FHIR code; no transition of DOMAIN.md reaches it
    PENDING = "pending"
    BOOKED = "booked"
    ARRIVED = "arrived"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    NOSHOW = "noshow"
    ENTERED_IN_ERROR = "entered-in-error"
    CHECKED_IN = "checked-in"
    WAITLIST = "waitlist"


ACTIVE_STATUSES = frozenset({Status.PENDING, Status.BOOKED, Status.ARRIVED, Status.CHECKED_IN})
FINAL_STATUSES = frozenset(
    {Status.FULFILLED, Status.CANCELLED, Status.NOSHOW, Status.ENTERED_IN_ERROR}
)

# None is "new": the appointment does not exist yet. "any → entered-in-error" and the
# staff-only noshow → arrived correction are handled in transition_error.
TRANSITIONS: dict[Status | None, frozenset[Status]] = {
    None: frozenset({Status.BOOKED, Status.WAITLIST, Status.PENDING}),
    Status.PENDING: frozenset({Status.BOOKED, Status.CANCELLED}),
    Status.WAITLIST: frozenset({Status.BOOKED, Status.CANCELLED}),
    Status.BOOKED: frozenset({Status.ARRIVED, Status.CHECKED_IN, Status.CANCELLED, Status.NOSHOW}),
    Status.ARRIVED: frozenset({Status.CHECKED_IN, Status.FULFILLED, Status.CANCELLED}),
    Status.CHECKED_IN: frozenset({Status.FULFILLED, Status.CANCELLED}),
}

# Transitions only the booking itself makes, never a person: B8's offer holds a freed seat
# for the first person waiting, so their waitlist entry becomes the hold ("pending for a
# hold", B4), to be accepted (booked) or declined or left to lapse (cancelled).
SYSTEM_TRANSITIONS = frozenset({(Status.WAITLIST, Status.PENDING)})

# Statuses only staff (or a staff-run job) may set. Attendance is witnessed at the desk: a
# resident who could mark themself arrived would dodge the no-show job (B9), and
# entered-in-error voids a no-show, so it is a correction only staff make.
STAFF_ONLY_TARGETS = frozenset(
    {Status.ARRIVED, Status.CHECKED_IN, Status.FULFILLED, Status.NOSHOW, Status.ENTERED_IN_ERROR}
)


# The status machine's edges as data (linli.core.kit.StatusMachine): TRANSITIONS, the
# booking's own offer step, staff's no-show correction and any → entered-in-error. Who may
# take an edge, and until when, is transition_error's to say.
EDGES: dict[Status | None, frozenset[Status]] = {
    current: frozenset(
        {
            *TRANSITIONS.get(current, ()),
            *(after for before, after in SYSTEM_TRANSITIONS if before is current),
            *((Status.ARRIVED,) if current is Status.NOSHOW else ()),
            *((Status.ENTERED_IN_ERROR,) if current not in (None, Status.ENTERED_IN_ERROR) else ()),
        }
    )
    for current in (None, *Status)
}


@refuses
def transition_error(
    current: Status | str | None,
    target: Status | str,
    *,
    by_staff: bool,
    by_system: bool = False,
    now: dt.datetime | None = None,
    noshow_marked_at: dt.datetime | None = None,
    grace: dt.timedelta = DEFAULTS.noshow_grace,
) -> Reason | None:
    """INVALID_TRANSITION or None for current → target (current None = a new appointment).
    `by_system`: the booking's own step (an offer, SYSTEM_TRANSITIONS), never a request."""
    current = None if current is None else Status(current)
    target = Status(target)
    if by_system and (current, target) in SYSTEM_TRANSITIONS:
        return None
    if target in STAFF_ONLY_TARGETS and not by_staff:
        return Reason.INVALID_TRANSITION
    if target is Status.ENTERED_IN_ERROR:
        # "any": any existing appointment; not a new one, not one already voided.
        ok = current is not None and current is not Status.ENTERED_IN_ERROR
        return None if ok else Reason.INVALID_TRANSITION
    if current is Status.NOSHOW and target is Status.ARRIVED:
        if now is None or noshow_marked_at is None:
            return Reason.INVALID_TRANSITION
        elapsed = _aware(now, "now") - _aware(noshow_marked_at, "noshow_marked_at")
        return None if dt.timedelta(0) <= elapsed <= grace else Reason.INVALID_TRANSITION
    return None if target in TRANSITIONS.get(current, ()) else Reason.INVALID_TRANSITION


def can_transition(current: Status | str | None, target: Status | str, **kwargs) -> bool:
    return transition_error.__wrapped__(current, target, **kwargs) is None


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
