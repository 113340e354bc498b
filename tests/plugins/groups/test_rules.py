"""The pure rules of the group registry (plugins/groups/rules.py), rule by rule."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core.errors import Refused
from linli.plugins.groups import rules
from linli.plugins.groups.rules import (
    Category,
    Decision,
    Entry,
    FilingKind,
    GroupKind,
    GroupSettings,
    Level,
    Status,
)

D = dt.date


def code(call, *args, **kwargs) -> str | None:
    try:
        call(*args, **kwargs)
    except Refused as refusal:
        return refusal.code
    return None


# ---------------------------------------------------------------- G1


@pytest.mark.parametrize("kind", [GroupKind.OWNERS_COMMITTEE, GroupKind.PROFIT_MAKING])
def test_G1_declared_excluded_kinds_are_refused(kind):
    with pytest.raises(Refused) as refused:
        rules.check_excluded(kind, "番禺路合唱团")
    assert refused.value.code == "EXCLUDED_KIND" and refused.value.field == ["kind"]
    assert refused.value.params == {"kind": kind.value}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("番禺路小区业委会", GroupKind.OWNERS_COMMITTEE),
        ("第三届业主委员会", GroupKind.OWNERS_COMMITTEE),
        ("业 委 会 筹备组", GroupKind.OWNERS_COMMITTEE),
        ("Panyu Road Owners' Committee", GroupKind.OWNERS_COMMITTEE),
        ("上海某某文化传播有限公司", GroupKind.PROFIT_MAKING),
        ("营利性舞蹈培训班", GroupKind.PROFIT_MAKING),
        ("Dance Studio Co., Ltd", GroupKind.PROFIT_MAKING),
    ],
)
def test_G1_name_keywords_are_the_second_line(name, kind):
    assert rules.excluded_kind(GroupKind.ACTIVITY_TEAM, name) is kind
    with pytest.raises(Refused) as refused:
        rules.check_excluded(GroupKind.ACTIVITY_TEAM, name)
    assert refused.value.code == "EXCLUDED_KIND" and refused.value.field == ["name"]


@pytest.mark.parametrize(
    "name", ["广场舞队", "老年合唱团", "书画社", "志愿服务队", "某公司退休职工合唱团", "业余棋社"]
)
def test_G1_activity_teams_file(name):
    assert rules.excluded_kind(GroupKind.ACTIVITY_TEAM, name) is None
    rules.check_excluded(GroupKind.ACTIVITY_TEAM, name)


def test_G1_form_texts_are_required_and_bounded():
    assert rules.checked_text(name=" 书画社 ", venue="活动室", schedule="周三下午", charter="") == {
        "name": "书画社",
        "venue": "活动室",
        "schedule": "周三下午",
        "charter": "",
    }
    assert code(rules.checked_text, name="  ") == "TEXT_REQUIRED"
    assert code(rules.checked_text, venue="x" * 201) == "TEXT_TOO_LONG"
    assert code(rules.checked_text, charter="x" * 5000) is None


# ---------------------------------------------------------------- G2

STREET, HOME, SIBLING = 1, 10, 11


def test_G2_committee_level_is_reviewed_by_its_community():
    assert rules.reviewing_community(Level.COMMUNITY, HOME, STREET) == HOME
    assert rules.reviewing_community(Level.COMMUNITY, HOME, STREET, [HOME]) == HOME


def test_G2_street_level_or_across_communities_goes_to_the_street_office():
    assert rules.reviewing_community(Level.STREET, HOME, STREET) == STREET
    assert rules.reviewing_community(Level.COMMUNITY, HOME, STREET, [SIBLING]) == STREET
    with pytest.raises(ValueError):
        rules.reviewing_community(Level.STREET, HOME, None)


def test_G2_where_a_group_is_active():
    args = (Level.COMMUNITY, HOME, STREET, [SIBLING])
    assert rules.may_organise_in(*args, HOME, STREET)
    assert rules.may_organise_in(*args, SIBLING, STREET)
    assert not rules.may_organise_in(*args, 12, STREET)
    assert rules.may_organise_in(Level.STREET, HOME, STREET, [], 12, STREET)
    assert not rules.may_organise_in(Level.STREET, HOME, STREET, [], 99, 2)


# ---------------------------------------------------------------- G3


def test_G3_status_machine():
    allowed = {
        (Status.DRAFT, Status.SUBMITTED),
        (Status.RETURNED, Status.SUBMITTED),
        (Status.SUBMITTED, Status.APPROVED),
        (Status.SUBMITTED, Status.REJECTED),
        (Status.SUBMITTED, Status.RETURNED),
        (Status.APPROVED, Status.SUPERSEDED),
        (Status.DRAFT, Status.DISSOLVED),
        (Status.RETURNED, Status.DISSOLVED),
        (Status.SUBMITTED, Status.DISSOLVED),
    }
    filing_statuses = [s for s in Status if s is not Status.LAPSED]
    for current in filing_statuses:
        for target in Status:
            expected = None if (current, target) in allowed else "INVALID_TRANSITION"
            assert code(rules.check_transition, current, target) == expected, (current, target)


def test_G3_reject_needs_a_reason_and_return_needs_comments():
    assert code(rules.decision_text, Decision.REJECT, None) == "REASON_REQUIRED"
    assert code(rules.decision_text, Decision.REJECT, "   ") == "REASON_REQUIRED"
    assert code(rules.decision_text, Decision.RETURN, "") == "REASON_REQUIRED"
    assert rules.decision_text(Decision.REJECT, " 属于业委会 ") == "属于业委会"
    assert rules.decision_text(Decision.APPROVE, None) == ""
    assert code(rules.decision_text, Decision.REJECT, "x" * 1001) == "TEXT_TOO_LONG"


def test_G3_decision_deadline_setting_and_overdue_flag():
    deadline = rules.decision_deadline(D(2026, 3, 2))
    assert deadline == D(2026, 3, 9)
    assert not rules.overdue(deadline, D(2026, 3, 9))
    assert rules.overdue(deadline, D(2026, 3, 10))
    assert rules.decision_deadline(D(2026, 3, 2), GroupSettings(decision_days=3)) == D(2026, 3, 5)


def test_G3_decisions_set_the_group_status():
    assert rules.group_status_after(FilingKind.INITIAL, Status.APPROVED) is Status.APPROVED
    assert rules.group_status_after(FilingKind.INITIAL, Status.REJECTED) is Status.REJECTED
    assert rules.group_status_after(FilingKind.INITIAL, Status.RETURNED) is Status.RETURNED
    assert rules.DECISION_STATUS[Decision.RETURN] is Status.RETURNED


def test_G3_local_day_is_the_communitys():
    late = dt.datetime(2026, 3, 2, 17, 30, tzinfo=dt.UTC)  # 01:30 on the 3rd in Shanghai
    assert rules.local_day(late, "Asia/Shanghai") == D(2026, 3, 3)
    assert rules.local_day(late, "Europe/London") == D(2026, 3, 2)
    with pytest.raises(ValueError):
        rules.local_day(dt.datetime(2026, 3, 2), "Asia/Shanghai")


# ---------------------------------------------------------------- G5


def test_G5_material_changes_are_name_leader_venue():
    before = {"name": "书画社", "leader_person_id": 1, "venue": "活动室", "schedule": "周三"}
    assert rules.material_changes(before, {"schedule": "周四"}) == []
    assert rules.material_changes(before, {"name": "书画社"}) == []
    assert rules.material_changes(before, {"name": "书画院", "venue": "二楼"}) == ["name", "venue"]
    assert rules.material_changes(before, {"leader_person_id": 2}) == ["leader_person_id"]


def test_G5_a_rejected_change_or_renewal_lapses_the_group():
    assert rules.group_status_after(FilingKind.CHANGE, Status.REJECTED) is Status.LAPSED
    assert rules.group_status_after(FilingKind.RENEWAL, Status.REJECTED) is Status.LAPSED
    assert rules.group_status_after(FilingKind.CHANGE, Status.RETURNED) is Status.RETURNED
    assert rules.group_status_after(FilingKind.CHANGE, Status.APPROVED) is Status.APPROVED


# ---------------------------------------------------------------- G6


def test_G6_term_window_and_lapse_day():
    until = rules.valid_until(D(2026, 3, 2))
    assert until == D(2027, 3, 2)
    assert rules.renewal_opens(until) == D(2027, 1, 31)
    assert not rules.in_renewal_window(until, D(2027, 1, 30))
    assert rules.in_renewal_window(until, D(2027, 1, 31))
    assert rules.in_renewal_window(until, D(2027, 3, 2))
    assert not rules.in_renewal_window(until, D(2027, 3, 3))
    assert rules.lapse_day(until) == D(2027, 3, 3)
    s = GroupSettings(term_days=30, renewal_window_days=5)
    assert rules.valid_until(D(2026, 3, 2), s) == D(2026, 4, 1)
    assert rules.renewal_opens(D(2026, 4, 1), s) == D(2026, 3, 27)


def test_G6_lapse_the_day_after_expiry_unless_renewal_pending():
    until = D(2027, 3, 2)
    assert not rules.lapses(Status.APPROVED, until, until)
    assert rules.lapses(Status.APPROVED, until, D(2027, 3, 3))
    assert not rules.lapses(Status.APPROVED, until, D(2027, 3, 3), renewal_pending=True)
    assert not rules.lapses(Status.SUBMITTED, until, D(2027, 4, 1))
    assert not rules.lapses(Status.APPROVED, None, D(2027, 4, 1))


def test_G6_renewal_only_in_the_window_or_after_a_lapse():
    s, until = GroupSettings(), D(2027, 3, 2)
    assert code(rules.check_renewal, Status.APPROVED, until, D(2027, 1, 1), s) == (
        "NOT_IN_RENEWAL_WINDOW"
    )
    assert code(rules.check_renewal, Status.APPROVED, until, D(2027, 2, 15), s) is None
    assert code(rules.check_renewal, Status.LAPSED, until, D(2028, 1, 1), s) is None
    assert code(rules.check_renewal, Status.SUBMITTED, until, D(2027, 2, 15), s) == (
        "INVALID_TRANSITION"
    )
    assert code(rules.check_renewal, Status.DRAFT, None, D(2027, 2, 15), s) == (
        "INVALID_TRANSITION"
    )


def test_G6_badge_and_organising_only_while_approved_and_valid():
    until = D(2027, 3, 2)
    assert rules.badge_shown(Status.APPROVED, until, until)
    assert not rules.badge_shown(Status.APPROVED, until, D(2027, 3, 3))
    for status in Status:
        if status is not Status.APPROVED:
            assert not rules.badge_shown(status, until, D(2026, 6, 1))
            assert not rules.may_organise(status, until, D(2026, 6, 1))


def test_G6_settings_are_validated():
    with pytest.raises(ValueError):
        GroupSettings(tz="Mars/Base")
    with pytest.raises(ValueError):
        GroupSettings(renewal_window_days=400)
    with pytest.raises(ValueError):
        GroupSettings(decision_days=0)


# ---------------------------------------------------------------- G7


def test_G7_minimum_members_per_category_setting():
    s = GroupSettings(min_members={**dict.fromkeys(Category, 5), "PUBLIC_WELFARE": 3})
    assert not rules.compliant(Category.CULTURE_SPORTS, 4, s)
    assert rules.compliant(Category.CULTURE_SPORTS, 5, s)
    assert rules.compliant(Category.PUBLIC_WELFARE, 3, s)
    assert rules.compliant(Category.OTHER, 5)
    with pytest.raises(ValueError):
        GroupSettings(min_members={"OTHER": 0})


# ---------------------------------------------------------------- G4


def test_G4_roster_as_of_half_open_days():
    entries = [
        Entry(1, "LEADER", D(2026, 3, 1), D(2026, 3, 5)),
        Entry(1, "MEMBER", D(2026, 3, 5)),
        Entry(2, "MEMBER", D(2026, 3, 1), D(2026, 3, 5)),
        Entry(2, "LEADER", D(2026, 3, 5)),
        Entry(3, "MEMBER", D(2026, 3, 3), D(2026, 3, 3)),  # joined and left the same day
    ]
    assert [(e.person_id, e.role) for e in rules.roster_as_of(entries, D(2026, 2, 28))] == []
    assert [(e.person_id, e.role) for e in rules.roster_as_of(entries, D(2026, 3, 3))] == [
        (1, "LEADER"),
        (2, "MEMBER"),
    ]
    assert [(e.person_id, e.role) for e in rules.roster_as_of(entries, D(2026, 3, 5))] == [
        (2, "LEADER"),
        (1, "MEMBER"),
    ]
    assert rules.closing_day(D(2026, 3, 3), D(2026, 3, 1)) == D(2026, 3, 3)
    assert rules.closing_day(D(2026, 3, 3), D(2026, 3, 9)) == D(2026, 3, 9)
