"""Volunteer rules (DOMAIN.md V1–V10) as plain functions of plain data.

No I/O, no clock: every instant comes in as an argument (timezone-aware), a refusal is
raised as ``linli.core.errors.Refused``. The service calls these first; what must hold under
concurrency (V3 seats, V4 overlaps, V9 balances) the database holds with the keys and counts
computed here. The rest of the room: hours.py (V6, V7), ledger.py (V9), certificate.py
(V8), ical.py (a shift as iCalendar).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from linli.core.errors import Refused

UTC = dt.UTC
MAX_SKILLS = 20
MAX_SHIFT_HOURS = 24
MAX_CAPACITY = 10_000


class Reason(enum.StrEnum):
    """The plugin's own refusal codes (messages.json), besides core's common ones."""

    NOT_REGISTERED = "NOT_REGISTERED"
    ALREADY_REGISTERED = "ALREADY_REGISTERED"
    ORGANISER_NOT_ACTIVE = "ORGANISER_NOT_ACTIVE"
    SHIFT_CANCELLED = "SHIFT_CANCELLED"
    SHIFT_STARTED = "SHIFT_STARTED"
    NOT_PUBLISHED = "NOT_PUBLISHED"
    ALREADY_SIGNED_UP = "ALREADY_SIGNED_UP"
    OVERLAP = "OVERLAP"
    TOO_YOUNG = "TOO_YOUNG"
    ADULTS_ONLY = "ADULTS_ONLY"
    SKILL_REQUIRED = "SKILL_REQUIRED"
    CONSENT_NOT_NEEDED = "CONSENT_NOT_NEEDED"
    ACCOMPANIMENT_REQUIRED = "ACCOMPANIMENT_REQUIRED"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    END_BEFORE_START = "END_BEFORE_START"
    IN_THE_PAST = "IN_THE_PAST"
    INVALID_CAPACITY = "INVALID_CAPACITY"
    WRONG_CODE = "WRONG_CODE"
    NOT_CHECKED_IN = "NOT_CHECKED_IN"
    ATTENDANCE_CLOSED = "ATTENDANCE_CLOSED"
    ALREADY_RECORDED = "ALREADY_RECORDED"
    NOT_APPROVED = "NOT_APPROVED"
    CORRECTION_BELOW_ZERO = "CORRECTION_BELOW_ZERO"
    PERIOD_IN_FUTURE = "PERIOD_IN_FUTURE"
    NO_APPROVED_HOURS = "NO_APPROVED_HOURS"
    TIME_BANK_OFF = "TIME_BANK_OFF"
    INSUFFICIENT_COINS = "INSUFFICIENT_COINS"
    REDEEM_TOO_YOUNG = "REDEEM_TOO_YOUNG"
    INVALID_AMOUNT = "INVALID_AMOUNT"


def refuse(reason: Reason, field: str | None = None, **params: object) -> Refused:
    return Refused(str(reason), field=field, **params)


# ---------------------------------------------------------------- settings


@dataclasses.dataclass(frozen=True)
class VolunteerRules:
    """Every per-community *setting* of the module, with DOMAIN.md's defaults."""

    tz: str = "Asia/Shanghai"
    consent_below_age: int = 18  # V5: a guardian consents below this age
    accompanied_below_age: int = 14  # V5: and below this one a guardian also comes along
    star_hours: tuple[int, ...] = (100, 300, 600, 1000, 1500)  # V7: one to five stars
    time_bank: bool = False  # V9: off by default
    redeem_min_age: int = 60  # V9
    time_bank_cap_hours: int = 1500  # V9: a balance above it is donated

    def __post_init__(self) -> None:
        ZoneInfo(self.tz)
        if list(self.star_hours) != sorted(set(self.star_hours)) or not self.star_hours:
            raise ValueError("star_hours must rise strictly")
        if self.accompanied_below_age > self.consent_below_age:
            raise ValueError("accompanied_below_age must not pass consent_below_age")


DEFAULTS = VolunteerRules()


def local_date(instant: dt.datetime, tz: str) -> dt.date:
    return _aware(instant).astimezone(ZoneInfo(tz)).date()


def week_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week: the key the coming-week read filters by equality."""
    return day - dt.timedelta(days=day.weekday())


def weeks_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The Mondays of every week that [first, last] touches."""
    weeks, monday = [], week_of(first)
    while monday <= last:
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    return weeks


def aware(instant: dt.datetime, field: str) -> dt.datetime:
    """An input instant with its offset, in UTC to the second; a naive one is INVALID_INPUT
    (server-local? UTC? never guessed)."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise Refused("INVALID_INPUT", field=field)
    return instant.astimezone(UTC).replace(microsecond=0)


def _aware(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instants must be timezone-aware")
    return instant


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on ``day`` (the birthday itself counts)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# ---------------------------------------------------------------- V1 registration

_SPACE = re.compile(r"\s+")


def clean_tags(values: Iterable[str], *, field: str, limit: int = MAX_SKILLS) -> list[str]:
    """V1: skills and service areas as short normalized tags (NFKC, trimmed, lower-cased
    Latin, no duplicates, order kept). Too many or too long is INVALID_INPUT naming the
    field, never echoing the value."""
    seen: dict[str, None] = {}
    for raw in values:
        tag = _SPACE.sub(" ", unicodedata.normalize("NFKC", raw)).strip().lower()
        if not tag:
            continue
        if len(tag) > 40:
            raise Refused("INVALID_INPUT", field=field)
        seen.setdefault(tag, None)
    if len(seen) > limit:
        raise Refused("INVALID_INPUT", field=field)
    return list(seen)


@dataclasses.dataclass(frozen=True)
class Availability:
    """A weekly window the volunteer offers: weekday 0 (Monday) … 6, local times."""

    weekday: int
    start: dt.time
    end: dt.time


def check_availability(windows: Sequence[Availability]) -> list[dict[str, object]]:
    """V1: the weekly availability as stored (JSON); a window ending before it starts or on
    a weekday outside 0–6 is INVALID_INPUT."""
    if len(windows) > 50:
        raise Refused("INVALID_INPUT", field="availability")
    out = []
    for w in windows:
        if not 0 <= w.weekday <= 6 or w.end <= w.start:
            raise Refused("INVALID_INPUT", field="availability")
        out.append({"weekday": w.weekday, "start": w.start.isoformat(), "end": w.end.isoformat()})
    return sorted(out, key=lambda w: (w["weekday"], w["start"]))


# V1 (条例 art. 3): volunteering is unpaid. Nothing in this module stores money: the words
# a payment field would carry, checked against every model and input by a test.
PAYMENT_WORDS = ("pay", "wage", "salary", "fee", "price", "cash", "money", "reward_amount")


# ---------------------------------------------------------------- V2 activities and shifts


class ActivityStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    CANCELLED = "CANCELLED"


ACTIVITY_EDGES = {
    None: {ActivityStatus.DRAFT},
    ActivityStatus.DRAFT: {ActivityStatus.PUBLISHED, ActivityStatus.CANCELLED},
    ActivityStatus.PUBLISHED: {ActivityStatus.CANCELLED},
}


@dataclasses.dataclass(frozen=True)
class ShiftPlan:
    start: dt.datetime
    end: dt.datetime
    capacity: int
    min_age: int | None = None
    adults_only: bool = False


def check_shift(plan: ShiftPlan, now: dt.datetime) -> None:
    """V2: end after start (at most a day long), capacity 1…10,000, not in the past, a
    minimum age 0…120."""
    start, end = _aware(plan.start), _aware(plan.end)
    if end <= start:
        raise refuse(Reason.END_BEFORE_START, "end")
    if end - start > dt.timedelta(hours=MAX_SHIFT_HOURS):
        raise Refused("INVALID_INPUT", field="end")
    if start < _aware(now):
        raise refuse(Reason.IN_THE_PAST, "start")
    if not 1 <= plan.capacity <= MAX_CAPACITY:
        raise refuse(Reason.INVALID_CAPACITY, "capacity")
    if plan.min_age is not None and not 0 <= plan.min_age <= 120:
        raise Refused("INVALID_INPUT", field="minAge")


def check_organiser(
    *, is_staff: bool, group_id: int | None, group_may_organise: bool, leads_group: bool = False
) -> None:
    """V2: staff of the community organise; a group the groups module says may organise
    there that day organises too, posted by staff or by its leader (ORGANISER_NOT_ACTIVE when
    the group may not, whoever posts; FORBIDDEN for anyone else, a plain member included)."""
    if group_id is None:
        if not is_staff:
            raise Refused("FORBIDDEN", field="communityId")
        return
    if not group_may_organise:
        raise refuse(Reason.ORGANISER_NOT_ACTIVE, "groupId")
    if not (is_staff or leads_group):
        raise Refused("FORBIDDEN", field="groupId")


# ---------------------------------------------------------------- V3–V5 sign-up


class SignUpStatus(enum.StrEnum):
    CONFIRMED = "CONFIRMED"
    WAITLISTED = "WAITLISTED"
    PENDING_CONSENT = "PENDING_CONSENT"
    WITHDRAWN = "WITHDRAWN"
    CANCELLED = "CANCELLED"  # the shift was cancelled
    EXPIRED = "EXPIRED"  # consent never came before the shift started


ACTIVE_SIGNUPS = frozenset(
    {SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED, SignUpStatus.PENDING_CONSENT}
)

SIGNUP_EDGES = {
    None: {SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED, SignUpStatus.PENDING_CONSENT},
    SignUpStatus.PENDING_CONSENT: {
        SignUpStatus.CONFIRMED,
        SignUpStatus.WAITLISTED,
        SignUpStatus.WITHDRAWN,
        SignUpStatus.CANCELLED,
        SignUpStatus.EXPIRED,
    },
    SignUpStatus.WAITLISTED: {
        SignUpStatus.CONFIRMED,
        SignUpStatus.WITHDRAWN,
        SignUpStatus.CANCELLED,
        SignUpStatus.EXPIRED,
    },
    SignUpStatus.CONFIRMED: {SignUpStatus.WITHDRAWN, SignUpStatus.CANCELLED},
}


@dataclasses.dataclass(frozen=True)
class Volunteer:
    """What the rules know of the person signing up (never a name or ID number)."""

    birth_date: dt.date | None
    skills: frozenset[str] = frozenset()


@dataclasses.dataclass(frozen=True)
class ShiftFacts:
    start: dt.datetime
    end: dt.datetime
    cancelled: bool
    published: bool
    required_skills: frozenset[str] = frozenset()
    min_age: int | None = None
    adults_only: bool = False


def check_sign_up(
    shift: ShiftFacts, volunteer: Volunteer, now: dt.datetime, s: VolunteerRules = DEFAULTS
) -> bool:
    """V2/V5: may this volunteer sign up? Refused with the first rule broken; True when a
    guardian's consent is needed first (V5: a minor's sign-up is pending, takes no seat)."""
    if shift.cancelled:
        raise refuse(Reason.SHIFT_CANCELLED, "shiftId")
    if not shift.published:
        raise refuse(Reason.NOT_PUBLISHED, "shiftId")
    if _aware(now) >= _aware(shift.start):
        raise refuse(Reason.SHIFT_STARTED, "shiftId")
    day = local_date(shift.start, s.tz)
    age = None if volunteer.birth_date is None else age_on(volunteer.birth_date, day)
    if shift.adults_only and (age is None or age < 18):
        raise refuse(Reason.ADULTS_ONLY, "shiftId")
    if shift.min_age is not None and (age is None or age < shift.min_age):
        raise refuse(Reason.TOO_YOUNG, "shiftId")
    if not shift.required_skills <= volunteer.skills:
        raise refuse(Reason.SKILL_REQUIRED, "shiftId")
    return age is None or age < s.consent_below_age


def needs_accompaniment(birth_date: dt.date | None, day: dt.date, s: VolunteerRules) -> bool:
    """V5: under 14 (setting) a guardian's consent also says they come along."""
    return birth_date is None or age_on(birth_date, day) < s.accompanied_below_age


def check_consent(needs_consent: bool, accompanied: bool, must_accompany: bool) -> None:
    """V5: consent to a sign-up pending it; below the accompaniment age it must say the
    guardian comes along (ACCOMPANIMENT_REQUIRED)."""
    if not needs_consent:
        raise refuse(Reason.CONSENT_NOT_NEEDED, "signUpId")
    if must_accompany and not accompanied:
        raise refuse(Reason.ACCOMPANIMENT_REQUIRED, "accompanied")


def overlaps(
    a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime, b_end: dt.datetime
) -> bool:
    """V4: two half-open intervals [start, end) overlap; one that starts exactly when the
    other ends does not. The database's constraint says the same (tstzrange '[)' on
    PostgreSQL, the trigger's strict comparisons on SQLite)."""
    return _aware(a_start) < _aware(b_end) and _aware(b_start) < _aware(a_end)


def active_key(shift_id: int, person_id: int) -> str:
    """One live sign-up per shift and person (a unique key, NULL once final)."""
    return f"{shift_id}:{person_id}"


def waitlist_position(my_id: int, waiting_ids: Iterable[int]) -> int:
    """V3: first in, first out by arrival (the sign-up's id is its arrival order)."""
    return 1 + sum(1 for other in waiting_ids if other < my_id)


def fill_level(confirmed: int, capacity: int) -> float:
    """V10: the share of seats taken, 0…1."""
    return 0.0 if capacity <= 0 else min(1.0, confirmed / capacity)


# ---------------------------------------------------------------- V9 time-bank gate


def check_redeem(birth_date: dt.date | None, today: dt.date, s: VolunteerRules) -> None:
    """V9: redeeming coins needs the time bank on and the minimum age (setting, 60)."""
    if not s.time_bank:
        raise refuse(Reason.TIME_BANK_OFF)
    if birth_date is None or age_on(birth_date, today) < s.redeem_min_age:
        raise refuse(Reason.REDEEM_TOO_YOUNG, "personId")


def check_amount(minutes: int) -> None:
    """Coins move in whole minutes (1 h = 1 coin), at least one, at most 10,000 h."""
    if not 1 <= minutes <= 10_000 * 60:
        raise refuse(Reason.INVALID_AMOUNT, "hours")
