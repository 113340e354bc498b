"""Booking rules (DOMAIN.md B1–B12): one named test or more per rule id.

Times are written as local Shanghai wall-clock where that is what the rule is about; the
helper `sh()` turns them into aware UTC instants so nothing depends on the machine's zone.
"""

import dataclasses
import datetime as dt
import inspect
import itertools
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.core.errors import Refused
from linli.plugins.booking import rules
from linli.plugins.booking.rules import Reason, Status, ical, schedule
from linli.plugins.booking.rules import waitlist as waitlist_rules

SH = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
D = dt.date
T = dt.time


def refusal(rule, *args, **kwargs):
    """The code a rule refuses with (rules raise Refused), or None when it allows."""
    try:
        rule(*args, **kwargs)
    except Refused as refused:
        return refused.code
    return None


def sh(y, mo, d, h=0, mi=0, s=0):
    """An instant given in Shanghai wall-clock time, returned in UTC."""
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=SH).astimezone(UTC)


def utc(y, mo, d, h=0, mi=0, s=0):
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=UTC)


# --- settings and codes -------------------------------------------------------------------


def test_settings_defaults_match_domain():
    s = rules.BookingSettings()
    assert (s.tz, s.min_days_ahead, s.max_days_ahead, s.one_per_day) == (
        "Asia/Shanghai",
        1,
        14,
        True,
    )
    assert s.cancel_cutoff == rules.Cutoff(days_before=1, at=T(16, 0))
    assert s.noshow_ladder == (30, 60, 90)
    assert (s.elderly_age, s.reserved_priority_seats) == (65, 0)
    assert s.offer_hold == dt.timedelta(minutes=30)
    assert s.noshow_grace == dt.timedelta(hours=24)
    assert s.staff_bypass_window is True


@pytest.mark.parametrize(
    "kwargs",
    [
        {"tz": "Mars/Olympus"},
        {"min_days_ahead": 5, "max_days_ahead": 4},
        {"min_days_ahead": -1},
        {"noshow_ladder": ()},
        {"noshow_ladder": (30, 0)},
        {"offer_hold": dt.timedelta(0)},
        {"noshow_grace": dt.timedelta(minutes=-1)},
        {"reserved_priority_seats": -1},
        {"cancel_cutoff": rules.Cutoff(days_before=-1)},
    ],
)
def test_settings_refuse_nonsense(kwargs):
    with pytest.raises(ValueError):
        rules.BookingSettings(**kwargs)


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules.BookingSettings().max_days_ahead = 99


def test_reason_codes_are_the_api_strings():
    assert {r.value for r in Reason} == {
        "SLOT_FULL",
        "NOT_ELIGIBLE",
        "OUTSIDE_BOOKING_WINDOW",
        "ALREADY_BOOKED_TODAY",
        "BANNED_UNTIL",
        "PROXY_NOT_VERIFIED",
        "INVALID_TRANSITION",
        "OFFER_EXPIRED",
        "LATE_CANCELLATION",
    }
    assert Reason.SLOT_FULL == "SLOT_FULL"  # a str enum: serialises as its value


# --- B1 services and eligibility ----------------------------------------------------------


def test_B1_service_categories():
    assert [c.value for c in rules.ServiceCategory] == [
        "public_health",
        "medical",
        "rehabilitation",
        "health_education",
        "family_planning",
        "home_visit",
    ]


def test_B1_elderly_check_needs_age_65():
    elderly_check = rules.Eligibility(min_age=65)
    on = D(2026, 6, 1)
    assert (
        refusal(rules.check_eligibility, elderly_check, rules.PersonFacts(D(1961, 6, 1)), on)
        is None
    )
    assert refusal(
        rules.check_eligibility, elderly_check, rules.PersonFacts(D(1961, 6, 2)), on
    ) == (Reason.NOT_ELIGIBLE)
    assert (
        refusal(rules.check_eligibility, elderly_check, rules.PersonFacts(D(1930, 1, 1)), on)
        is None
    )


def test_B1_max_age_is_inclusive():
    child = rules.Eligibility(max_age=6)
    on = D(2026, 6, 1)
    assert (
        refusal(rules.check_eligibility, child, rules.PersonFacts(D(2019, 6, 2)), on) is None
    )  # 6
    assert refusal(rules.check_eligibility, child, rules.PersonFacts(D(2019, 6, 1)), on) == (
        Reason.NOT_ELIGIBLE
    )  # 7 today


def test_B1_unknown_birth_date_fails_an_age_rule_only():
    unknown = rules.PersonFacts(birth_date=None)
    on = D(2026, 6, 1)
    assert refusal(rules.check_eligibility, rules.Eligibility(min_age=65), unknown, on) == (
        Reason.NOT_ELIGIBLE
    )
    assert refusal(rules.check_eligibility, rules.Eligibility(), unknown, on) is None


def test_B1_contracted_service_needs_family_doctor_contract():
    contracted = rules.Eligibility(requires_family_doctor_contract=True)
    on = D(2026, 6, 1)
    with_contract = rules.PersonFacts(D(1980, 1, 1), family_doctor_contract=True)
    without = rules.PersonFacts(D(1980, 1, 1))
    assert refusal(rules.check_eligibility, contracted, with_contract, on) is None
    assert refusal(rules.check_eligibility, contracted, without, on) == Reason.NOT_ELIGIBLE


def test_B1_leap_day_birthday_turns_over_on_1_march():
    born = D(1960, 2, 29)
    assert rules.age_on(born, D(2025, 2, 28)) == 64
    assert rules.age_on(born, D(2025, 3, 1)) == 65
    assert rules.age_on(born, D(2028, 2, 29)) == 68


def test_B1_eligibility_refuses_nonsense():
    with pytest.raises(ValueError):
        rules.Eligibility(min_age=70, max_age=65)
    with pytest.raises(ValueError):
        rules.Eligibility(min_age=-1)
    with pytest.raises(ValueError):
        rules.age_on(D(2026, 1, 2), D(2026, 1, 1))


@given(st.dates(max_value=D(2100, 1, 1)), st.integers(0, 120))
def test_B1_age_is_reached_exactly_on_the_birthday(born, years):
    try:
        birthday = born.replace(year=born.year + years)
    except ValueError:  # 29 Feb in a non-leap year
        birthday = D(born.year + years, 3, 1)
    assert rules.age_on(born, birthday) == years
    if birthday > born:
        assert rules.age_on(born, birthday - dt.timedelta(days=1)) == years - 1


# --- B2 schedules and slots ---------------------------------------------------------------

MONDAY = 0


def weekly(**kw):
    base = {"weekday": MONDAY, "start": T(8), "end": T(10), "slot_minutes": 30, "capacity": 2}
    return schedule.WeeklyRule(**{**base, **kw})


def test_B2_weekly_pattern_expands_to_utc_slots():
    plan = schedule.Schedule(weekly=(weekly(),))
    # 2026-06-01 is a Monday; the range covers one full week.
    slots = schedule.expand(plan, D(2026, 6, 1), D(2026, 6, 7))
    assert [(s.start, s.end) for s in slots] == [
        (utc(2026, 6, 1, 0, 0), utc(2026, 6, 1, 0, 30)),
        (utc(2026, 6, 1, 0, 30), utc(2026, 6, 1, 1, 0)),
        (utc(2026, 6, 1, 1, 0), utc(2026, 6, 1, 1, 30)),
        (utc(2026, 6, 1, 1, 30), utc(2026, 6, 1, 2, 0)),
    ]
    assert {s.capacity for s in slots} == {2}
    assert {s.local_date for s in slots} == {D(2026, 6, 1)}
    assert all(s.start.utcoffset() == dt.timedelta(0) for s in slots)


def test_B2_range_is_inclusive_and_ordered():
    plan = schedule.Schedule(
        weekly=(weekly(start=T(14), end=T(15), slot_minutes=60), weekly(weekday=2), weekly())
    )
    slots = schedule.expand(plan, D(2026, 6, 1), D(2026, 6, 8))  # Mon .. next Mon
    assert [s.local_date for s in slots].count(D(2026, 6, 8)) == 5
    assert [s.local_date for s in slots].count(D(2026, 6, 3)) == 4  # Wednesday
    assert len(slots) == 14
    assert slots == sorted(slots, key=lambda s: s.start)


def test_B2_closed_date_has_no_slots():
    plan = schedule.Schedule(weekly=(weekly(),), overrides=(schedule.DayOverride(D(2026, 6, 1)),))
    assert schedule.expand(plan, D(2026, 6, 1), D(2026, 6, 7)) == []
    assert len(schedule.expand(plan, D(2026, 6, 1), D(2026, 6, 8))) == 4


def test_B2_replaced_pattern_on_a_date():
    holiday_hours = schedule.Window(start=T(9), end=T(10), slot_minutes=60, capacity=5)
    extra_saturday = schedule.Window(start=T(9), end=T(9, 40), slot_minutes=20)
    plan = schedule.Schedule(
        weekly=(weekly(),),
        overrides=(
            schedule.DayOverride(D(2026, 6, 1), (holiday_hours,)),
            schedule.DayOverride(D(2026, 6, 6), [extra_saturday]),
        ),
    )
    slots = schedule.expand(plan, D(2026, 6, 1), D(2026, 6, 7))
    assert [(s.local_date, s.start, s.capacity) for s in slots] == [
        (D(2026, 6, 1), sh(2026, 6, 1, 9), 5),
        (D(2026, 6, 6), sh(2026, 6, 6, 9), 1),
        (D(2026, 6, 6), sh(2026, 6, 6, 9, 20), 1),
    ]


def test_B2_other_zone():
    plan = schedule.Schedule(weekly=(weekly(),), tz="Asia/Urumqi")  # UTC+6
    assert schedule.expand(plan, D(2026, 6, 1), D(2026, 6, 1))[0].start == utc(2026, 6, 1, 2)


def test_B2_slot_near_midnight_belongs_to_its_local_day():
    late = weekly(start=T(7), end=T(8), slot_minutes=60)  # 07:00 local = 23:00Z the day before
    [slot] = schedule.expand(schedule.Schedule(weekly=(late,)), D(2026, 6, 1), D(2026, 6, 1))
    assert slot.local_date == D(2026, 6, 1)
    assert slot.start == utc(2026, 5, 31, 23)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"capacity": -3}, "capacity"),
        ({"end": T(8)}, "end"),
        ({"end": T(7)}, "end"),
        ({"slot_minutes": 0}, "slot_minutes"),
        ({"slot_minutes": 45}, "slot_minutes"),  # 120 min is not a multiple of 45
        ({"weekday": 7}, "weekday"),
        ({"weekday": -1}, "weekday"),
        ({"start": T(8, tzinfo=UTC)}, "start"),
    ],
)
def test_B2_invalid_window_is_refused(kw, field):
    with pytest.raises(schedule.ScheduleError) as err:
        weekly(**kw)
    assert err.value.field == field
    assert isinstance(err.value, ValueError)


def test_B2_overlaps_and_duplicates_are_refused():
    with pytest.raises(schedule.ScheduleError, match="overlap"):
        schedule.Schedule(weekly=(weekly(), weekly(start=T(9, 30), end=T(11))))
    schedule.Schedule(weekly=(weekly(), weekly(start=T(10), end=T(11))))  # touching is fine
    schedule.Schedule(weekly=(weekly(), weekly(weekday=1)))  # other day is fine
    w = schedule.Window(start=T(9), end=T(10), slot_minutes=30)
    with pytest.raises(schedule.ScheduleError, match="overlap"):
        schedule.DayOverride(D(2026, 6, 1), (w, w))
    with pytest.raises(schedule.ScheduleError) as err:
        schedule.Schedule(weekly=(), overrides=(schedule.DayOverride(D(2026, 6, 1)),) * 2)
    assert err.value.field == "overrides"
    with pytest.raises(schedule.ScheduleError):
        schedule.expand(schedule.Schedule(weekly=()), D(2026, 6, 2), D(2026, 6, 1))


@given(
    st.integers(1, 12).flatmap(lambda n: st.tuples(st.just(n), st.sampled_from([5, 10, 15, 20]))),
    st.integers(1, 20),
    st.integers(0, 30),
)
def test_B2_slot_count_and_contiguity(blocks_and_len, capacity, days):
    blocks, minutes = blocks_and_len
    end = (dt.datetime(2000, 1, 1, 8) + dt.timedelta(minutes=blocks * minutes)).time()
    rule_set = tuple(
        schedule.WeeklyRule(weekday=d, start=T(8), end=end, slot_minutes=minutes, capacity=capacity)
        for d in range(7)
    )
    first = D(2026, 1, 1)
    slots = schedule.expand(schedule.Schedule(weekly=rule_set), first, first + dt.timedelta(days))
    assert len(slots) == blocks * (days + 1)
    for a, b in itertools.pairwise(slots):
        assert a.end - a.start == dt.timedelta(minutes=minutes)
        assert a.end == b.start or a.local_date < b.local_date


# --- B4 status machine --------------------------------------------------------------------

# DOMAIN.md B4 written out independently of rules.TRANSITIONS ("new" is None).
ALLOWED = {
    None: {"booked", "waitlist", "pending"},
    "pending": {"booked", "cancelled"},
    "waitlist": {"booked", "cancelled"},
    "booked": {"arrived", "checked-in", "cancelled", "noshow"},
    "arrived": {"checked-in", "fulfilled", "cancelled"},
    "checked-in": {"fulfilled", "cancelled"},
}
STAFF_ONLY = {"arrived", "checked-in", "fulfilled", "noshow", "entered-in-error"}
FROM = [None, *Status]


def expected(current, target, by_staff):
    if target in STAFF_ONLY and not by_staff:
        return False
    if target == "entered-in-error":  # any existing appointment, once
        return current not in (None, "entered-in-error")
    return target in ALLOWED.get(current, set())


def test_B4_fhir_codes():
    assert {s.value for s in Status} == {
        "proposed",
        "pending",
        "booked",
        "arrived",
        "fulfilled",
        "cancelled",
        "noshow",
        "entered-in-error",
        "checked-in",
        "waitlist",
    }
    assert rules.ACTIVE_STATUSES == {"pending", "booked", "arrived", "checked-in"}


@pytest.mark.parametrize("by_staff", [True, False], ids=["staff", "resident"])
@pytest.mark.parametrize("target", list(Status), ids=str)
@pytest.mark.parametrize("current", FROM, ids=lambda s: "new" if s is None else str(s))
def test_B4_every_status_pair(current, target, by_staff):
    # Without now/noshow_marked_at the noshow → arrived correction is never allowed.
    ok = expected(current, target.value, by_staff)
    assert rules.can_transition(current, target, by_staff=by_staff) is ok
    assert refusal(rules.transition_error, current, target, by_staff=by_staff) == (
        None if ok else Reason.INVALID_TRANSITION
    )


def test_B4_count_of_allowed_transitions():
    staff = sum(rules.can_transition(c, t, by_staff=True) for c in FROM for t in Status)
    resident = sum(rules.can_transition(c, t, by_staff=False) for c in FROM for t in Status)
    # 3 + 2 + 2 + 4 + 3 + 2 = 16 listed, + entered-in-error from 9 existing statuses.
    assert staff == 16 + 9
    # Residents: booking, confirming a hold or an offer, and cancelling.
    assert resident == 3 + 2 + 2 + 1 + 1 + 1


def test_B4_final_statuses_have_no_way_out_but_entered_in_error():
    for final in (Status.FULFILLED, Status.CANCELLED, Status.NOSHOW):
        outs = {t for t in Status if rules.can_transition(final, t, by_staff=True)}
        assert outs == {Status.ENTERED_IN_ERROR}
    assert not any(rules.can_transition(Status.ENTERED_IN_ERROR, t, by_staff=True) for t in Status)


def test_B4_staff_turn_noshow_into_arrived_within_grace():
    marked = utc(2026, 6, 1, 3)
    grace = dt.timedelta(hours=2)

    def allowed(now, by_staff=True):
        return rules.can_transition(
            "noshow", "arrived", by_staff=by_staff, now=now, noshow_marked_at=marked, grace=grace
        )

    assert allowed(marked + dt.timedelta(minutes=10))
    assert allowed(marked + grace)  # the edge is inside
    assert not allowed(marked + grace + dt.timedelta(seconds=1))
    assert not allowed(marked - dt.timedelta(minutes=1))  # clock skew: marked in the future
    assert not allowed(marked + dt.timedelta(minutes=10), by_staff=False)
    # The default grace is the settings default (24 h).
    kw = {"by_staff": True, "noshow_marked_at": marked}
    assert rules.can_transition("noshow", "arrived", now=marked + dt.timedelta(hours=23), **kw)
    assert not rules.can_transition("noshow", "arrived", now=marked + dt.timedelta(hours=25), **kw)


def test_B4_accepts_strings_and_refuses_unknown_codes():
    assert rules.can_transition("booked", "checked-in", by_staff=True)
    with pytest.raises(ValueError):
        rules.can_transition("booked", "checkedin", by_staff=True)


# --- B5 for whom --------------------------------------------------------------------------


def test_B5_self_staff_or_verified_proxy():
    def err(account, person, staff=False, grant=None):
        return refusal(
            rules.proxy_error,
            account_person_id=account,
            person_id=person,
            is_staff=staff,
            grant_verified=grant,
        )

    assert err(1, 1) is None
    assert err(1, 2, staff=True) is None
    assert err(1, 2, grant=True) is None
    assert err(1, 2, grant=False) == Reason.PROXY_NOT_VERIFIED
    assert err(1, 2, grant=None) == Reason.PROXY_NOT_VERIFIED


# --- B6 limits follow the person ----------------------------------------------------------


def test_B6_local_day_not_utc_day():
    instant = utc(2026, 3, 14, 16, 30)  # 00:30 on the 15th in Shanghai
    assert rules.local_date(instant, "Asia/Shanghai") == D(2026, 3, 15)
    assert rules.local_date(instant, SH) == D(2026, 3, 15)
    assert rules.local_date(utc(2026, 3, 14, 15, 59), "Asia/Shanghai") == D(2026, 3, 14)
    with pytest.raises(ValueError):
        rules.local_date(dt.datetime(2026, 3, 14, 16, 30), "Asia/Shanghai")  # naive


def test_B6_65th_birthday_in_china_while_utc_is_still_yesterday():
    person = rules.PersonFacts(birth_date=D(1961, 3, 15))
    now = utc(2026, 3, 14, 16, 30)  # UTC still the 14th; Shanghai already the 15th
    elderly_check = rules.Eligibility(min_age=65)
    today = rules.local_date(now, "Asia/Shanghai")
    assert refusal(rules.check_eligibility, elderly_check, person, today) is None
    assert rules.is_priority(person, today)
    # The UTC day would wrongly refuse: that is the bug this rule exists to prevent.
    assert (
        refusal(rules.check_eligibility, elderly_check, person, now.date()) == Reason.NOT_ELIGIBLE
    )
    assert not rules.is_priority(person, now.date())


def test_B6_window_lower_bound_in_local_days():
    now = utc(2026, 3, 14, 16, 30)  # 00:30 on 15 March in Shanghai
    # Same local day: 0 days ahead, refused (a UTC count would call it tomorrow).
    assert (
        refusal(rules.booking_window_error, sh(2026, 3, 15, 9), now)
        == Reason.OUTSIDE_BOOKING_WINDOW
    )
    assert refusal(rules.booking_window_error, sh(2026, 3, 16, 8), now) is None  # 1 day ahead


def test_B6_window_upper_bound_in_local_days():
    now = sh(2026, 3, 15, 9)
    assert refusal(rules.booking_window_error, sh(2026, 3, 29, 23, 59), now) is None  # 14 days
    # 07:00 on the 30th is still the 29th in UTC (14 UTC days) but 15 local days ahead.
    assert (
        refusal(rules.booking_window_error, sh(2026, 3, 30, 7), now)
        == Reason.OUTSIDE_BOOKING_WINDOW
    )


def test_B6_window_settings_and_past_slots():
    now = sh(2026, 3, 15, 9)
    same_day = {"min_days": 0, "max_days": 2}
    assert refusal(rules.booking_window_error, sh(2026, 3, 15, 10), now, SH, **same_day) is None
    assert refusal(rules.booking_window_error, sh(2026, 3, 15, 9), now, SH, **same_day) == (
        Reason.OUTSIDE_BOOKING_WINDOW
    )  # already started
    assert refusal(rules.booking_window_error, sh(2026, 3, 18, 8), now, SH, **same_day) == (
        Reason.OUTSIDE_BOOKING_WINDOW
    )


def test_B6_one_active_appointment_per_person_service_and_local_day():
    day = rules.local_date(utc(2026, 3, 14, 23), "Asia/Shanghai")  # the 15th locally
    key = rules.daily_limit_key(7, 3, day, Status.BOOKED)
    assert key == "7:3:2026-03-15"
    assert rules.daily_limit_key(7, 3, day, "pending") == key  # a hold counts too
    assert rules.daily_limit_key(7, 3, day, "checked-in") == key
    assert rules.daily_limit_key(7, 4, day, "booked") != key  # other service type
    assert rules.daily_limit_key(8, 3, day, "booked") != key  # other person
    assert rules.daily_limit_key(7, 3, D(2026, 3, 16), "booked") != key
    for inactive in ("cancelled", "waitlist", "noshow", "fulfilled", "entered-in-error"):
        assert rules.daily_limit_key(7, 3, day, inactive) is None
    assert rules.daily_limit_key(7, 3, day, "booked", enabled=False) is None


# --- B7 cancellation cutoff ---------------------------------------------------------------


def test_B7_cutoff_is_1600_local_the_day_before():
    slot = sh(2026, 3, 20, 9)
    assert rules.cancellation_cutoff(slot) == sh(2026, 3, 19, 16)
    assert not rules.is_late_cancellation(slot, sh(2026, 3, 19, 15, 59), "Asia/Shanghai")
    assert rules.is_late_cancellation(slot, sh(2026, 3, 19, 16, 1), "Asia/Shanghai")
    assert rules.is_late_cancellation(slot, sh(2026, 3, 19, 16, 0), "Asia/Shanghai")
    assert not rules.is_late_cancellation(slot, sh(2026, 3, 1, 12), "Asia/Shanghai")


def test_B7_early_slot_uses_the_local_day_not_the_utc_day():
    slot = sh(2026, 3, 20, 7)  # 23:00 UTC on the 19th
    assert not rules.is_late_cancellation(slot, sh(2026, 3, 19, 15, 59))
    assert rules.is_late_cancellation(slot, sh(2026, 3, 19, 16, 1))


def test_B7_cutoff_setting():
    slot = sh(2026, 3, 20, 9)
    two_days_noon = rules.Cutoff(days_before=2, at=T(12))
    assert rules.is_late_cancellation(slot, sh(2026, 3, 18, 12, 1), SH, two_days_noon)
    assert not rules.is_late_cancellation(slot, sh(2026, 3, 18, 11, 59), SH, two_days_noon)
    # Same-day cutoff after the slot starts is capped at the start.
    same_day_late = rules.Cutoff(days_before=0, at=T(16))
    assert rules.cancellation_cutoff(slot, SH, same_day_late) == slot
    assert not rules.is_late_cancellation(slot, sh(2026, 3, 20, 8, 59), SH, same_day_late)
    assert rules.is_late_cancellation(slot, sh(2026, 3, 20, 9, 1), SH, same_day_late)


# --- B8 waitlist --------------------------------------------------------------------------


def entry(pid, minute, **kw):
    return waitlist_rules.WaitlistEntry(person_id=pid, joined_at=utc(2026, 6, 1, 8, minute), **kw)


def test_B8_first_waiting_gets_the_offer():
    today = D(2026, 6, 2)
    waiting = [entry("b", 5), entry("a", 1), entry("c", 9)]
    # by joined_at, not list order
    assert waitlist_rules.next_offer(waiting, today).person_id == "a"
    assert waitlist_rules.next_offer([], today) is None


def test_B8_skip_banned():
    today = D(2026, 6, 2)
    waiting = [entry("a", 1, banned_until=D(2026, 6, 2)), entry("b", 2)]
    # ban's last day: still banned
    assert waitlist_rules.next_offer(waiting, today).person_id == "b"
    waiting = [entry("a", 1, banned_until=D(2026, 6, 1)), entry("b", 2)]
    assert waitlist_rules.next_offer(waiting, today).person_id == "a"  # ban ended yesterday


def test_B8_skip_already_booked_and_lapsed_offers():
    today = D(2026, 6, 2)
    waiting = [
        entry("a", 1, booked_that_day=True),
        entry("b", 2, offer_expired=True),
        entry("c", 3),
    ]
    assert waitlist_rules.next_offer(waiting, today).person_id == "c"
    assert waitlist_rules.next_offer(waiting[:2], today) is None


def test_B8_ties_keep_the_given_order():
    assert waitlist_rules.next_offer([entry("x", 1), entry("y", 1)], D(2026, 6, 2)).person_id == "x"


def test_B8_offer_deadline_capped_at_slot_start():
    slot = utc(2026, 6, 2, 4)
    assert waitlist_rules.offer_deadline(utc(2026, 6, 2, 2), slot) == utc(2026, 6, 2, 2, 30)
    assert waitlist_rules.offer_deadline(utc(2026, 6, 2, 3, 45), slot) == slot
    assert waitlist_rules.offer_deadline(utc(2026, 6, 2, 2), slot, dt.timedelta(hours=3)) == slot
    assert waitlist_rules.offer_deadline(slot, slot) is None
    assert waitlist_rules.offer_deadline(utc(2026, 6, 2, 5), slot) is None


def test_B8_offer_expires_at_the_deadline():
    deadline = utc(2026, 6, 2, 2, 30)
    assert refusal(waitlist_rules.offer_error, deadline, deadline - dt.timedelta(seconds=1)) is None
    assert refusal(waitlist_rules.offer_error, deadline, deadline) == Reason.OFFER_EXPIRED
    assert (
        refusal(waitlist_rules.offer_error, deadline, deadline + dt.timedelta(minutes=5))
        == Reason.OFFER_EXPIRED
    )


def test_B8_held_seats_are_not_for_direct_booking():
    # A held seat is a pending appointment: counted in booked, so nobody else gets it.
    assert rules.seats_available_to(False, capacity=3, booked=3) == 0
    assert rules.seats_available_to(True, capacity=3, booked=3) == 0
    assert refusal(rules.seat_error, False, 3, 3) == Reason.SLOT_FULL
    assert rules.seats_available_to(False, capacity=3, booked=2) == 1


def test_B4_a_hold_is_pending_and_active():
    # new → pending for a hold; pending → booked | cancelled (declined or lapsed).
    assert Status.PENDING in rules.ACTIVE_STATUSES  # it occupies its seat
    # B8's offer turns the waitlist entry into the hold: the booking's own step, nobody's request
    assert rules.can_transition(Status.WAITLIST, Status.PENDING, by_staff=False, by_system=True)
    assert not rules.can_transition(Status.WAITLIST, Status.PENDING, by_staff=True)
    assert not rules.can_transition(Status.WAITLIST, Status.PENDING, by_staff=False)
    assert not rules.can_transition(Status.BOOKED, Status.PENDING, by_staff=True, by_system=True)
    assert rules.can_transition(Status.PENDING, Status.BOOKED, by_staff=False)
    assert rules.can_transition(Status.PENDING, Status.CANCELLED, by_staff=False)
    assert not rules.can_transition(Status.PENDING, Status.ARRIVED, by_staff=True)
    key = rules.daily_limit_key(1, 2, D(2026, 6, 2), Status.PENDING)
    assert key == rules.daily_limit_key(1, 2, D(2026, 6, 2), Status.BOOKED) is not None


def test_B10_a_freed_reserved_seat_goes_only_to_a_priority_waiter():
    today = D(2026, 6, 2)
    waiting = [entry("general", 1), entry("elder", 2, priority=True), entry("later", 3)]
    assert waitlist_rules.next_offer(waiting, today).person_id == "general"
    # Capacity 2, 1 reserved, one non-priority person booked: the free seat is the reserved one.
    general_seat = rules.seats_available_to(False, 2, 1, 1) > 0
    assert general_seat is False and rules.seats_available_to(True, 2, 1, 1) == 1
    assert waitlist_rules.next_offer(waiting, today, general_seat=general_seat).person_id == "elder"
    assert waitlist_rules.next_offer(waiting[::2], today, general_seat=False) is None


def test_B6_staff_for_a_resident_may_skip_the_minimum_lead():
    s = rules.BookingSettings(min_days_ahead=1, max_days_ahead=14)
    assert rules.booking_window(s, staff_for_resident=False) == (1, 14)
    assert rules.booking_window(s, staff_for_resident=True) == (0, 14)  # setting on by default
    off = dataclasses.replace(s, staff_bypass_window=False)
    assert rules.booking_window(off, staff_for_resident=True) == (1, 14)


# --- B9 no-show ladder --------------------------------------------------------------------


def test_B9_ladder_within_a_year():
    assert waitlist_rules.ban_until([]) is None
    assert waitlist_rules.ban_until([D(2026, 3, 10)]) == D(2026, 4, 9)  # banned 11 Mar .. 9 Apr
    assert waitlist_rules.ban_until([D(2026, 3, 10), D(2026, 5, 1)]) == D(2026, 6, 30)  # 2nd: 60
    third = [D(2026, 3, 10), D(2026, 5, 1), D(2026, 7, 1)]
    assert waitlist_rules.ban_until(third) == D(2026, 9, 29)  # 3rd: 90
    assert waitlist_rules.ban_until([*third, D(2026, 8, 1)]) == D(2026, 10, 30)  # 4th: 90 again


def test_B9_latest_end_wins_whatever_the_order():
    # A 2nd no-show 10 days after the 1st: 60 days from then outlasts the first 30.
    assert waitlist_rules.ban_until([D(2026, 3, 20), D(2026, 3, 10)]) == D(2026, 5, 19)


def test_B9_count_restarts_across_a_year_boundary():
    shows = [D(2026, 12, 31), D(2027, 1, 2)]
    # Both are the 1st of their year: 30 days each, the later end wins.
    assert waitlist_rules.ban_until(shows) == D(2027, 2, 1)
    assert waitlist_rules.ban_until(shows) != D(2027, 1, 2) + dt.timedelta(days=60)


def test_B9_year_is_the_local_year_of_the_slot():
    new_year_morning = utc(2026, 12, 31, 17)  # 01:00 on 1 Jan 2027 in Shanghai
    # 2nd of 2027
    assert waitlist_rules.ban_until([new_year_morning, D(2027, 1, 2)]) == D(2027, 3, 3)
    assert waitlist_rules.ban_until([new_year_morning], tz="UTC") == D(2027, 1, 30)


def test_B9_voiding_a_noshow_recomputes():
    shows = [D(2026, 3, 10), D(2026, 5, 1)]
    assert waitlist_rules.ban_until(shows) == D(2026, 6, 30)
    assert waitlist_rules.ban_until([D(2026, 3, 10)]) == D(2026, 4, 9)  # 5 May voided
    # 10 Mar voided: 1 May is 1st
    assert waitlist_rules.ban_until([D(2026, 5, 1)]) == D(2026, 5, 31)
    assert waitlist_rules.ban_until([]) is None


def test_B9_ban_blocks_booking_through_its_last_day():
    until = waitlist_rules.ban_until([D(2026, 3, 10)])
    assert (
        refusal(waitlist_rules.ban_error, until, D(2026, 3, 10)) == Reason.BANNED_UNTIL
    )  # once marked
    assert refusal(waitlist_rules.ban_error, until, D(2026, 3, 11)) == Reason.BANNED_UNTIL
    assert refusal(waitlist_rules.ban_error, until, D(2026, 4, 9)) == Reason.BANNED_UNTIL
    assert refusal(waitlist_rules.ban_error, until, D(2026, 4, 10)) is None
    assert refusal(waitlist_rules.ban_error, None, D(2026, 4, 10)) is None


def test_B9_ladder_setting():
    assert waitlist_rules.ban_until([D(2026, 1, 1), D(2026, 1, 2)], ladder=(7,)) == D(2026, 1, 9)
    with pytest.raises(ValueError):
        waitlist_rules.ban_until([D(2026, 1, 1)], ladder=())


@given(st.lists(st.dates(D(2020, 1, 1), D(2030, 12, 31)), max_size=8), st.data())
def test_B9_properties(shows, data):
    end = waitlist_rules.ban_until(shows)
    assert waitlist_rules.ban_until(list(reversed(shows))) == end  # order does not matter
    if shows:
        assert end >= max(shows) + dt.timedelta(days=30)
        assert end <= max(shows) + dt.timedelta(days=90)
        extra = data.draw(st.dates(D(2020, 1, 1), D(2030, 12, 31)))
        assert waitlist_rules.ban_until([*shows, extra]) >= end  # another no-show never shortens it


# --- B10 priority -------------------------------------------------------------------------


def test_B10_who_is_priority():
    on = D(2026, 6, 1)
    assert rules.is_priority(rules.PersonFacts(D(1961, 6, 1)), on)  # 65 today
    assert not rules.is_priority(rules.PersonFacts(D(1961, 6, 2)), on)
    assert rules.is_priority(rules.PersonFacts(D(1990, 1, 1), disabled=True), on)
    assert rules.is_priority(rules.PersonFacts(D(1990, 1, 1), family_doctor_contract=True), on)
    assert not rules.is_priority(rules.PersonFacts(None), on)
    assert rules.is_priority(rules.PersonFacts(D(1966, 6, 1)), on, elderly_age=60)  # setting


def test_B10_reserved_seats():
    # Capacity 5 with 2 reserved; 3 booked by others: only priority people may take the rest.
    assert rules.seats_available_to(False, 5, 3, 2) == 0
    assert rules.seats_available_to(True, 5, 3, 2) == 2
    assert refusal(rules.seat_error, False, 5, 3, 2) == Reason.SLOT_FULL
    assert refusal(rules.seat_error, True, 5, 3, 2) is None
    # One priority person already sits in a reserved seat: one reserved seat remains.
    assert rules.seats_available_to(False, 5, 3, 2, booked_priority=1) == 1
    assert rules.seats_available_to(False, 5, 3, 2, booked_priority=3) == 2
    # Default reserved capacity is 0: everyone is equal.
    assert rules.seats_available_to(False, 5, 3) == rules.seats_available_to(True, 5, 3) == 2
    # Reserved beyond capacity and overbooked slots never go negative.
    assert rules.seats_available_to(False, 2, 0, 9) == 0
    assert rules.seats_available_to(True, 2, 3) == 0


@given(st.integers(1, 50), st.integers(0, 60), st.integers(0, 60), st.integers(0, 60))
def test_B10_properties(capacity, booked, reserved, booked_priority):
    booked_priority = min(booked_priority, booked)
    kw = {"booked_priority": booked_priority}
    mine = rules.seats_available_to(False, capacity, booked, reserved, **kw)
    prio = rules.seats_available_to(True, capacity, booked, reserved, **kw)
    assert 0 <= mine <= prio <= capacity
    assert prio == max(capacity - booked, 0)  # reservation never limits priority
    # Filling every seat others may take still leaves the unused reserved seats free.
    if mine:
        assert rules.seats_available_to(False, capacity, booked + mine, reserved, **kw) == 0


# --- B12 calendar -------------------------------------------------------------------------


def ics(**kw):
    base = {
        "uid": "appointment-42@linli.example",
        "start": sh(2026, 6, 2, 9),
        "end": sh(2026, 6, 2, 9, 30),
        "summary": "老年人健康体检",
        "location": "幸福社区卫生服务站, 1号楼",
        "status": Status.BOOKED,
        "dtstamp": utc(2026, 5, 30, 12),
    }
    return ical.appointment_to_ical(**{**base, **kw})


def test_B12_ical_round_trip():
    data = ics()
    assert isinstance(data, bytes)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["version"]) == "2.0"
    assert "PRODID" in cal
    [event] = cal.walk("VEVENT")
    assert str(event["uid"]) == "appointment-42@linli.example"
    assert event.decoded("dtstart") == utc(2026, 6, 2, 1)
    assert event.decoded("dtend") == utc(2026, 6, 2, 1, 30)
    assert event.decoded("dtstamp") == utc(2026, 5, 30, 12)
    assert str(event["summary"]) == "老年人健康体检"
    assert str(event["location"]) == "幸福社区卫生服务站, 1号楼"
    assert str(event["status"]) == "CONFIRMED"
    assert b"DTSTART:20260602T010000Z" in data  # UTC form, no TZID to resolve


@pytest.mark.parametrize(
    ("status", "ical"),
    [
        ("proposed", "TENTATIVE"),
        ("pending", "TENTATIVE"),
        ("waitlist", "TENTATIVE"),
        ("booked", "CONFIRMED"),
        ("arrived", "CONFIRMED"),
        ("checked-in", "CONFIRMED"),
        ("fulfilled", "CONFIRMED"),
        ("cancelled", "CANCELLED"),
        ("noshow", "CANCELLED"),
        ("entered-in-error", "CANCELLED"),
    ],
)
def test_B12_status_mapping(status, ical):
    [event] = icalendar.Calendar.from_ical(ics(status=status, sequence=3)).walk("VEVENT")
    assert str(event["status"]) == ical
    assert int(event["sequence"]) == 3


def test_B12_no_personal_data_can_enter():
    params = set(inspect.signature(ical.appointment_to_ical).parameters)
    assert params == {"uid", "start", "end", "summary", "location", "status", "dtstamp", "sequence"}
    id_number = "11010519491231002X"
    assert id_number.encode() not in ics()
    assert b"ATTENDEE" not in ics() and b"ORGANIZER" not in ics()


def test_B12_refuses_bad_times():
    with pytest.raises(ValueError):
        ics(end=sh(2026, 6, 2, 9))
    with pytest.raises(ValueError):
        ics(start=dt.datetime(2026, 6, 2, 9), end=dt.datetime(2026, 6, 2, 10))
