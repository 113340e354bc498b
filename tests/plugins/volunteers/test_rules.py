"""V1–V10 rules as plain functions (no app, no database). Each test names its rule id."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.core.errors import Refused
from linli.plugins.volunteers import rules
from linli.plugins.volunteers.rules import certificate, hours, ledger
from linli.plugins.volunteers.rules.ical import shift_to_ical

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
START = NOW + dt.timedelta(days=1)
END = START + dt.timedelta(hours=3)


def code(exc: pytest.ExceptionInfo) -> str:
    return exc.value.code


# ---------------------------------------------------------------- V1


def test_V1_tags_are_normalized_deduplicated_and_limited():
    assert rules.clean_tags(["  First Aid ", "first  aid", "急救", ""], field="skills") == [
        "first aid",
        "急救",
    ]
    with pytest.raises(Refused) as exc:
        rules.clean_tags([f"s{i}" for i in range(21)], field="skills")
    assert exc.value.field == ["skills"]
    with pytest.raises(Refused):
        rules.clean_tags(["x" * 41], field="skills")


def test_V1_availability_windows_checked_and_sorted():
    got = rules.check_availability(
        [
            rules.Availability(5, dt.time(9), dt.time(11)),
            rules.Availability(1, dt.time(8), dt.time(9)),
        ]
    )
    assert [w["weekday"] for w in got] == [1, 5]
    for bad in (
        rules.Availability(7, dt.time(9), dt.time(10)),
        rules.Availability(1, dt.time(9), dt.time(9)),
    ):
        with pytest.raises(Refused) as exc:
            rules.check_availability([bad])
        assert exc.value.field == ["availability"]


def test_V1_no_payment_field_anywhere_in_the_module():
    from tortoise import Tortoise  # noqa: F401  (the models import cleanly without an app)

    from linli.plugins.volunteers import models

    names = [
        f
        for m in (
            models.Profile,
            models.Activity,
            models.Shift,
            models.SignUp,
            models.HoursRecord,
            models.Certificate,
            models.Account,
            models.Transfer,
            models.Entry,
        )
        for f in m._meta.fields_map
    ]
    names += list(models.Settings.model_fields)
    assert not [n for n in names if any(w in n.lower() for w in rules.PAYMENT_WORDS)]


# ---------------------------------------------------------------- V2


def plan(**kw):
    return rules.ShiftPlan(**{"start": START, "end": END, "capacity": 5, **kw})


def test_V2_a_good_shift_passes():
    rules.check_shift(plan(), NOW)


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"end": START}, "END_BEFORE_START"),
        ({"end": START - dt.timedelta(minutes=1)}, "END_BEFORE_START"),
        ({"capacity": 0}, "INVALID_CAPACITY"),
        ({"capacity": -3}, "INVALID_CAPACITY"),
        ({"capacity": 10_001}, "INVALID_CAPACITY"),
        (
            {"start": NOW - dt.timedelta(minutes=1), "end": NOW + dt.timedelta(hours=1)},
            "IN_THE_PAST",
        ),
        ({"end": START + dt.timedelta(hours=25)}, "INVALID_INPUT"),
        ({"min_age": -1}, "INVALID_INPUT"),
        ({"min_age": 121}, "INVALID_INPUT"),
    ],
)
def test_V2_bad_shifts_are_coded(kw, expected):
    with pytest.raises(Refused) as exc:
        rules.check_shift(plan(**kw), NOW)
    assert code(exc) == expected


def test_V2_organiser_is_staff_or_an_active_group():
    rules.check_organiser(is_staff=True, group_id=None, group_may_organise=False)
    rules.check_organiser(is_staff=True, group_id=7, group_may_organise=True)
    with pytest.raises(Refused) as exc:
        rules.check_organiser(is_staff=True, group_id=7, group_may_organise=False)
    assert code(exc) == "ORGANISER_NOT_ACTIVE"
    with pytest.raises(Refused) as exc:
        rules.check_organiser(is_staff=False, group_id=None, group_may_organise=False)
    assert code(exc) == "FORBIDDEN"
    # a group's leader posts for it; a plain member does not; nobody for a lapsed group
    rules.check_organiser(is_staff=False, group_id=7, group_may_organise=True, leads_group=True)
    with pytest.raises(Refused) as exc:
        rules.check_organiser(is_staff=False, group_id=7, group_may_organise=True)
    assert code(exc) == "FORBIDDEN"
    with pytest.raises(Refused) as exc:
        rules.check_organiser(is_staff=False, group_id=7, group_may_organise=False)
    assert code(exc) == "ORGANISER_NOT_ACTIVE"


def test_V2_naive_instants_are_invalid_input_not_guessed():
    with pytest.raises(Refused) as exc:
        rules.aware(dt.datetime(2026, 3, 3, 9), "start")
    assert exc.value.field == ["start"]
    assert rules.aware(dt.datetime(2026, 3, 3, 9, 0, 0, 5, tzinfo=UTC), "s").microsecond == 0


def test_V2_weeks_for_the_coming_week_read():
    monday = dt.date(2026, 3, 2)
    assert rules.week_of(dt.date(2026, 3, 8)) == monday
    assert rules.weeks_between(dt.date(2026, 3, 4), dt.date(2026, 3, 10)) == [
        monday,
        monday + dt.timedelta(days=7),
    ]


# ---------------------------------------------------------------- V3–V5

ADULT = rules.Volunteer(dt.date(1990, 1, 1), frozenset({"急救"}))


def facts(**kw):
    return rules.ShiftFacts(
        **{"start": START, "end": END, "cancelled": False, "published": True, **kw}
    )


def test_V3_waitlist_is_first_in_first_out():
    assert rules.waitlist_position(10, [4, 10, 12, 7]) == 3
    assert rules.waitlist_position(4, [4, 10, 12, 7]) == 1


def test_V3_fill_level():
    assert rules.fill_level(0, 4) == 0.0
    assert rules.fill_level(3, 4) == 0.75
    assert rules.fill_level(9, 4) == 1.0


def test_V3_sign_up_refusals_in_order():
    for kw, expected in (
        ({"cancelled": True}, "SHIFT_CANCELLED"),
        ({"published": False}, "NOT_PUBLISHED"),
        ({"start": NOW, "end": END}, "SHIFT_STARTED"),
        ({"required_skills": frozenset({"驾驶"})}, "SKILL_REQUIRED"),
    ):
        with pytest.raises(Refused) as exc:
            rules.check_sign_up(facts(**kw), ADULT, NOW)
        assert code(exc) == expected
    assert rules.check_sign_up(facts(required_skills=frozenset({"急救"})), ADULT, NOW) is False


def test_V4_overlap_is_half_open():
    a0, a1 = START, END
    assert rules.overlaps(a0, a1, a0 + dt.timedelta(hours=1), a1 + dt.timedelta(hours=1))
    assert rules.overlaps(a0, a1, a0, a1)
    assert rules.overlaps(a0, a1, a0 - dt.timedelta(hours=1), a0 + dt.timedelta(minutes=1))
    assert not rules.overlaps(a0, a1, a1, a1 + dt.timedelta(hours=1))  # starts as the other ends
    assert not rules.overlaps(a0, a1, a0 - dt.timedelta(hours=1), a0)


def test_V4_active_key_per_shift_and_person():
    assert rules.active_key(3, 9) == "3:9" != rules.active_key(9, 3)


def test_V5_minor_needs_consent_and_adults_only_refuses():
    day = rules.local_date(START, "Asia/Shanghai")
    minor = rules.Volunteer(dt.date(day.year - 15, 1, 1))
    assert rules.check_sign_up(facts(), minor, NOW) is True
    with pytest.raises(Refused) as exc:
        rules.check_sign_up(facts(adults_only=True), minor, NOW)
    assert code(exc) == "ADULTS_ONLY"
    with pytest.raises(Refused) as exc:
        rules.check_sign_up(facts(min_age=16), minor, NOW)
    assert code(exc) == "TOO_YOUNG"
    # the 18th birthday on the shift's local day counts as adult
    turning = rules.Volunteer(dt.date(day.year - 18, day.month, day.day))
    assert rules.check_sign_up(facts(adults_only=True), turning, NOW) is False
    # an unknown birth date is treated as a minor (an age rule we cannot verify is not met)
    assert rules.check_sign_up(facts(), rules.Volunteer(None), NOW) is True


def test_V5_consent_setting_and_accompaniment_below_14():
    s = rules.VolunteerRules(consent_below_age=16)
    day = rules.local_date(START, "Asia/Shanghai")
    sixteen = rules.Volunteer(dt.date(day.year - 16, 1, 1))
    assert rules.check_sign_up(facts(), sixteen, NOW, s) is False
    assert rules.needs_accompaniment(dt.date(day.year - 13, 1, 1), day, rules.DEFAULTS)
    assert not rules.needs_accompaniment(dt.date(day.year - 14, 1, 1), day, rules.DEFAULTS)
    with pytest.raises(Refused) as exc:
        rules.check_consent(True, False, True)
    assert code(exc) == "ACCOMPANIMENT_REQUIRED"
    with pytest.raises(Refused) as exc:
        rules.check_consent(False, True, False)
    assert code(exc) == "CONSENT_NOT_NEEDED"
    rules.check_consent(True, True, True)
    with pytest.raises(ValueError):
        rules.VolunteerRules(consent_below_age=12, accompanied_below_age=14)


# ---------------------------------------------------------------- V6, V7


def test_V6_approved_is_final_in_the_machine():
    assert hours.HoursStatus.APPROVED not in hours.HOURS_EDGES
    assert hours.HoursStatus.REJECTED not in hours.HOURS_EDGES
    with pytest.raises(Refused):
        hours.check_approval("APPROVED")
    hours.check_approval("PENDING")


def test_V6_corrections_are_differences_never_edits():
    assert hours.correction(180, 0, 0) == (hours.HoursKind.REVERSAL, -180)
    assert hours.correction(180, 0, 120) == (hours.HoursKind.AMENDMENT, -60)
    assert hours.correction(180, -60, 150) == (hours.HoursKind.AMENDMENT, 30)
    with pytest.raises(Refused) as exc:
        hours.correction(180, 0, -1)
    assert code(exc) == "CORRECTION_BELOW_ZERO"
    with pytest.raises(Refused):
        hours.correction(180, 0, 180)  # no change is no correction


def test_V6_code_and_window_and_minutes():
    hours.check_code(" 012345 ", "012345")
    with pytest.raises(Refused) as exc:
        hours.check_code("999999", "012345")
    assert code(exc) == "WRONG_CODE"
    early, late = dt.timedelta(minutes=30), dt.timedelta(hours=2)
    hours.check_in_window(START - early, START, END, early=early, late=late)
    with pytest.raises(Refused) as exc:
        hours.check_in_window(START - early * 2, START, END, early=early, late=late)
    assert code(exc) == "ATTENDANCE_CLOSED"
    assert hours.minutes_between(START, END) == 180
    with pytest.raises(Refused) as exc:
        hours.minutes_between(END, START)
    assert code(exc) == "END_BEFORE_START"


@pytest.mark.parametrize(
    ("hours_", "level", "next_at"),
    [
        (0, 0, 100),
        (99.9, 0, 100),
        (100, 1, 300),
        (299, 1, 300),
        (300, 2, 600),
        (1000, 4, 1500),
        (1500, 5, None),
        (9999, 5, None),
    ],
)
def test_V7_star_levels_default_thresholds(hours_, level, next_at):
    s = hours.star_level(round(hours_ * 60), rules.DEFAULTS.star_hours)
    assert (s.level, s.next_at) == (level, next_at)


def test_V7_a_reversal_lowers_the_level():
    records = [("APPROVED", 100 * 60), ("APPROVED", 20 * 60), ("PENDING", 500 * 60)]
    assert hours.star_level(hours.total_minutes(records), (100, 300)).level == 1
    records.append(("APPROVED", -30 * 60))
    assert hours.star_level(hours.total_minutes(records), (100, 300)).level == 0


# ---------------------------------------------------------------- V8


def test_V8_numbers_random_and_well_formed():
    numbers = {certificate.new_number(2026) for _ in range(200)}
    assert len(numbers) == 200
    assert all(certificate.well_formed(n) for n in numbers)
    assert not certificate.well_formed("LV-2026-ABC")
    assert not certificate.well_formed("'; drop table")


def test_V8_period_and_masked_name_and_lines():
    today = dt.date(2026, 3, 2)
    certificate.check_period(dt.date(2026, 1, 1), today, today)
    for first, last, expected in (
        (dt.date(2026, 1, 1), dt.date(2026, 3, 3), "PERIOD_IN_FUTURE"),
        (dt.date(2026, 2, 1), dt.date(2026, 1, 1), "END_BEFORE_START"),
    ):
        with pytest.raises(Refused) as exc:
            certificate.check_period(first, last, today)
        assert code(exc) == expected
    assert certificate.masked_name("王小明") == "王**"
    assert certificate.masked_name("李") == "李*"
    lines = certificate.lines_by_activity([(2, "消毒", 120), (1, "电影", 60), (2, "消毒", -120)])
    assert lines == [{"activity_id": 1, "title": "电影", "minutes": 60}]
    assert certificate.check_lines(lines) == 60
    with pytest.raises(Refused) as exc:
        certificate.check_lines([])
    assert code(exc) == "NO_APPROVED_HOURS"


def test_V8_pdf_renders_chinese_with_a_qr_code():
    from linli.plugins.volunteers.rules.certificate_pdf import certificate_pdf

    pdf = certificate_pdf(
        number="LV-2026-ABCDEFGHJK",
        holder="王小明",
        issuer="番禺路社区",
        period_from=dt.date(2026, 1, 1),
        period_to=dt.date(2026, 3, 1),
        lines=[("露天电影放映", 3.0)],
        total_hours=3.0,
        issued_on=dt.date(2026, 3, 2),
        verify_url="http://x/volunteers/verify/LV-2026-ABCDEFGHJK",
    )
    assert pdf.startswith(b"%PDF") and b"STSong-Light" in pdf


# ---------------------------------------------------------------- V9


def test_V9_deposit_over_cap_goes_to_donation():
    assert ledger.deposit(120, 0, 1500 * 60) == [("issue", -120), ("person", 120)]
    cap = 100
    assert ledger.deposit(60, 80, cap) == [("issue", -60), ("person", 20), ("donation", 40)]
    assert ledger.deposit(60, 100, cap) == [("issue", -60), ("donation", 60)]
    assert ledger.deposit(0, 0, cap) == []


def test_V9_redeem_and_transfer_never_below_zero():
    assert ledger.redeem(60, 60) == [("person", -60), ("service", 60)]
    for move in (ledger.redeem, ledger.transfer):
        with pytest.raises(Refused) as exc:
            move(61, 60)
        assert code(exc) == "INSUFFICIENT_COINS"
    assert ledger.withdraw(100, 30) == [("person", -30), ("issue", 30)]


def test_V9_redeem_needs_the_bank_on_and_the_age():
    today = dt.date(2026, 3, 2)
    with pytest.raises(Refused) as exc:
        rules.check_redeem(dt.date(1950, 1, 1), today, rules.DEFAULTS)
    assert code(exc) == "TIME_BANK_OFF"
    on = rules.VolunteerRules(time_bank=True)
    rules.check_redeem(dt.date(1966, 3, 2), today, on)  # 60 today
    with pytest.raises(Refused) as exc:
        rules.check_redeem(dt.date(1966, 3, 3), today, on)
    assert code(exc) == "REDEEM_TOO_YOUNG"
    for bad in (0, -5, 10_000 * 60 + 1):
        with pytest.raises(Refused):
            rules.check_amount(bad)


OPS = st.lists(
    st.tuples(
        st.sampled_from(["deposit", "withdraw", "transfer", "redeem"]),
        st.integers(min_value=0, max_value=3),
        st.integers(min_value=0, max_value=3),
        st.integers(min_value=1, max_value=3000),
    ),
    max_size=60,
)


@given(OPS, st.integers(min_value=1, max_value=5000))
def test_V9_property_every_sequence_sums_to_zero_and_no_balance_goes_negative(ops, cap):
    """Any sequence of postings over four people: each transfer sums to zero, so the whole
    ledger does; no person's balance is ever below zero."""
    balances: dict[str, int] = {}

    def apply(postings, who, other):
        assert ledger.balanced(postings)
        names = {"person": who, "other": other}
        for name, amount in postings:
            key = names.get(name, name)
            balances[key] = balances.get(key, 0) + amount

    for op, a, b, minutes in ops:
        who, other = f"p{a}", f"p{b}"
        held = balances.get(who, 0)
        try:
            if op == "deposit":
                apply(ledger.deposit(minutes, held, cap), who, other)
            elif op == "withdraw":
                apply(ledger.withdraw(minutes, held), who, other)
            elif op == "transfer" and who != other:
                apply(ledger.transfer(minutes, held), who, other)
            elif op == "redeem":
                apply(ledger.redeem(minutes, held), who, other)
        except Refused as exc:
            assert exc.code == "INSUFFICIENT_COINS"
        assert sum(balances.values()) == 0
        assert all(v >= 0 for k, v in balances.items() if k.startswith("p"))


# ---------------------------------------------------------------- V10 / calendar


def test_V10_calendar_of_a_shift():
    body = shift_to_ical(
        uid="volunteer-shift-1@x",
        start=START,
        end=END,
        summary="露天电影放映",
        location="广场",
        status="WAITLISTED",
        dtstamp=NOW,
        sequence=2,
    ).decode()
    assert "BEGIN:VEVENT" in body and "STATUS:TENTATIVE" in body and "SEQUENCE:2" in body
    assert "DTSTART:20260303T010000Z" in body
    with pytest.raises(ValueError):
        shift_to_ical(
            uid="u", start=END, end=START, summary="", location="", status="CONFIRMED", dtstamp=NOW
        )
