"""Part I's pure rules (E1-E5, E10), one or more tests per DOMAIN.md id: the electorate, the
roll's deadlines and phases, posts, nominations, the slate and proxies."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from linli.plugins.elections.rules.deadlines import (
    ACT_PHASES,
    MOVES,
    Act,
    DeadlineSettings,
    Mover,
    Phase,
    Window,
    check_act,
    check_window,
    decision_window,
    objection_window,
    phase_due,
    roll_publication_window,
    slate_publication_window,
)
from linli.plugins.elections.rules.model import Kind
from linli.plugins.elections.rules.refusals import Code, Refused
from linli.plugins.elections.rules.roll import (
    Conflict,
    ElectorateMode,
    Person,
    RollSettings,
    age_on,
    check_on_roll,
    compute_roll,
    local_day,
)

FAST = hsettings(max_examples=200, deadline=None)
SH = "Asia/Shanghai"
C = "fanyu"  # the community of the tests
DAY = dt.date(2027, 3, 20)  # election day
ONE = dt.timedelta(days=1)


def years_before(day, n):
    return day.replace(year=day.year - n)


def person(pid, birth, communities=(C,), household=None, group=None):
    return Person(pid, birth, frozenset(communities), household, group)


def refused(fn, *args, **kw):
    with pytest.raises(Refused) as err:
        fn(*args, **kw)
    return err.value


# E1 ---------------------------------------------------------------------------------------


def test_E1_turning_18_on_election_day_is_on_the_roll_the_day_after_is_not():
    on = person("on", years_before(DAY, 18))
    after = person("after", years_before(DAY, 18) + ONE)
    roll = compute_roll([on, after], C, DAY)
    assert roll.voters == ("on",)
    assert roll.refused == {"after": Code.UNDER_18}


def test_E1_election_day_is_the_local_day_not_utcs():
    # 2027-03-19 17:30 UTC is already 2027-03-20 01:30 in Shanghai: election day there.
    instant = dt.datetime(2027, 3, 19, 17, 30, tzinfo=dt.UTC)
    assert instant.date() == dt.date(2027, 3, 19)
    day = local_day(instant, SH)
    assert day == DAY
    # Born 2009-03-20: 18 on the Shanghai day, still 17 on the UTC date.
    p = person("p", dt.date(2009, 3, 20))
    assert compute_roll([p], C, day).voters == ("p",)
    assert compute_roll([p], C, instant.date()).refused == {"p": Code.UNDER_18}
    with pytest.raises(ValueError):
        local_day(dt.datetime(2027, 3, 19, 17, 30), SH)  # naive: no local day


def test_E1_leap_day_birthdays_complete_the_year_on_1_march():
    born = dt.date(2008, 2, 29)
    assert age_on(born, dt.date(2026, 2, 28)) == 17
    assert age_on(born, dt.date(2026, 3, 1)) == 18
    assert age_on(born, dt.date(2028, 2, 29)) == 20
    assert age_on(born, dt.date(2028, 2, 28)) == 19


@FAST
@given(births=st.lists(st.dates(dt.date(1920, 1, 1), dt.date(2027, 12, 31)), max_size=30),
       day=st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)))
def test_E1_roll_never_holds_anyone_under_18_and_holds_every_adult(births, day):
    persons = [person(f"p{i}", b) for i, b in enumerate(births)]
    roll = compute_roll(persons, C, day)
    for p in persons:
        # An independent oracle: 18 on election day iff (year, month, day) of election day is
        # at least the birth's with 18 added to the year (29 February: not before 1 March).
        b = p.birth_date
        adult = (day.year, day.month, day.day) >= (b.year + 18, b.month, b.day)
        assert (p.id in roll) == adult
        assert (roll.refused.get(p.id) == Code.UNDER_18) == (not adult)
    assert all(age_on(next(p.birth_date for p in persons if p.id == v), day) >= 18
               for v in roll.voters)


def test_E1_other_community_is_refused():
    p = person("p", dt.date(1970, 1, 1), communities=("fahua",))
    roll = compute_roll([p], C, DAY)
    assert roll.voters == () and roll.refused == {"p": Code.OTHER_COMMUNITY}


def test_E1_registered_in_several_communities_is_a_conflict_until_staff_resolve_it():
    p = person("p", dt.date(1970, 1, 1), communities=(C, "fahua"))
    q = person("q", dt.date(1980, 1, 1))
    roll = compute_roll([p, q], C, DAY)
    assert roll.voters == ("q",)
    assert roll.conflicts == (Conflict("p", ("fahua", C)),)
    assert not roll.publishable and "p" not in roll.refused
    here = compute_roll([p, q], C, DAY, resolved={"p": C})
    assert here.voters == ("p", "q") and here.conflicts == () and here.publishable
    there = compute_roll([p, q], C, DAY, resolved={"p": "fahua"})
    assert there.voters == ("q",) and there.refused == {"p": Code.OTHER_COMMUNITY}
    # A resolution to a community the person is not registered in resolves nothing.
    assert compute_roll([p], C, DAY, resolved={"p": "elsewhere"}).conflicts == roll.conflicts[:1]


def test_E1_household_mode_one_representative_each():
    s = RollSettings(mode=ElectorateMode.HOUSEHOLD_REPRESENTATIVES)
    a, b = person("a", dt.date(1970, 1, 1), household="h1"), person("b", dt.date(1972, 1, 1),
                                                                       household="h1")
    c = person("c", dt.date(1990, 1, 1), household="h2")
    kid = person("kid", dt.date(2015, 1, 1), household="h2")
    roll = compute_roll([a, b, c, kid], C, DAY, s, representatives={"h1": ["b"], "h2": ["kid"]})
    assert roll.voters == ("b",)
    assert roll.unrepresented == ("h2",)  # a child cannot represent the household
    assert roll.refused == {"a": Code.NOT_ON_ROLL, "c": Code.NOT_ON_ROLL, "kid": Code.UNDER_18}
    two = compute_roll([a, b], C, DAY, s, representatives={"h1": ["a", "b"]})
    assert two.voters == () and two.unrepresented == ("h1",)
    # Someone of another household cannot represent this one.
    assert compute_roll([a, c], C, DAY, s, representatives={"h1": ["c"]}).unrepresented == (
        "h1", "h2")


def test_E1_group_mode_two_or_three_per_group():
    s = RollSettings(mode=ElectorateMode.GROUP_REPRESENTATIVES)
    g = [person(f"g{i}", dt.date(1960 + i, 1, 1), group="G") for i in range(5)]
    for named, ok in ((["g0"], False), (["g0", "g1"], True), (["g0", "g1", "g2"], True),
                      (["g0", "g1", "g2", "g3"], False)):
        roll = compute_roll(g, C, DAY, s, representatives={"G": named})
        assert roll.voters == (tuple(sorted(named)) if ok else ())
        assert roll.unrepresented == (() if ok else ("G",))
    wide = RollSettings(ElectorateMode.GROUP_REPRESENTATIVES, 1, 4)
    assert len(compute_roll(g, C, DAY, wide, representatives={"G": ["g0"]}).voters) == 1
    with pytest.raises(ValueError):
        RollSettings(ElectorateMode.GROUP_REPRESENTATIVES, 3, 2)


def test_E1_acts_reserved_to_voters_refuse_NOT_ON_ROLL():
    roll = compute_roll([person("v", dt.date(1970, 1, 1))], C, DAY)
    check_on_roll(roll, "v")
    assert refused(check_on_roll, roll, "x").code is Code.NOT_ON_ROLL


# E2 ---------------------------------------------------------------------------------------

S = DeadlineSettings()


def test_E2_windows_default_days():
    assert roll_publication_window(DAY, S) == Window(None, dt.date(2027, 2, 28))
    pub = dt.date(2027, 2, 20)
    assert objection_window(pub, S) == Window(pub, dt.date(2027, 2, 25))
    assert decision_window(dt.date(2027, 2, 25), S) == Window(dt.date(2027, 2, 25),
                                                              dt.date(2027, 2, 28))
    assert slate_publication_window(DAY, S) == Window(None, dt.date(2027, 3, 15))
    custom = DeadlineSettings(roll_days_before=30, objection_days=7, decision_days=5,
                              slate_days_before=7)
    assert roll_publication_window(DAY, custom).closes == DAY - 30 * ONE
    assert objection_window(pub, custom).closes == pub + 7 * ONE
    assert decision_window(pub, custom).closes == pub + 5 * ONE
    assert slate_publication_window(DAY, custom).closes == DAY - 7 * ONE
    with pytest.raises(ValueError):
        DeadlineSettings(roll_days_before=8)  # 5 + 3 days of objections would not fit
    with pytest.raises(ValueError):
        DeadlineSettings(decision_days=0)


def test_E2_outside_window_names_the_windows_dates():
    w = objection_window(dt.date(2027, 2, 20), S)
    check_window(w, dt.date(2027, 2, 20))
    check_window(w, dt.date(2027, 2, 25))
    for day in (dt.date(2027, 2, 19), dt.date(2027, 2, 26)):
        err = refused(check_window, w, day)
        assert err.code is Code.OUTSIDE_WINDOW
        assert err.details == {"opens": "2027-02-20", "closes": "2027-02-25"}
    late = refused(check_window, roll_publication_window(DAY, S), dt.date(2027, 3, 1))
    assert late.details == {"opens": None, "closes": "2027-02-28"}
    check_window(roll_publication_window(DAY, S), dt.date(2027, 2, 28))


@FAST
@given(day=st.dates(dt.date(2026, 1, 1), dt.date(2030, 1, 1)),
       today=st.dates(dt.date(2025, 6, 1), dt.date(2030, 6, 1)),
       before=st.integers(9, 40), objection=st.integers(1, 4), decision=st.integers(1, 4))
def test_E2_a_roll_published_in_time_is_decided_before_election_day(day, today, before,
                                                                     objection, decision):
    s = DeadlineSettings(before, objection, decision, 5)
    in_time = today in roll_publication_window(day, s)
    assert in_time == ((day - today).days >= before)
    if in_time:
        last_objection = objection_window(today, s).closes
        assert decision_window(last_objection, s).closes < day


def test_E2_phase_table_matches_the_counts_names():
    assert [p.value for p in Phase][:6] == ["SETUP", "ROLL_PUBLISHED", "NOMINATION", "PRIMARY",
                                            "SLATE_PUBLISHED", "VOTING"]
    assert Phase.PRIMARY.value == Kind.PRIMARY.value
    assert set(ACT_PHASES) == set(Act)
    # Every phase but the last can be left, and only the table's moves exist.
    assert {m.source for m in MOVES} == set(Phase) - {Phase.COUNTING}
    assert all((m.act is None) == (m.by is Mover.TIME) for m in MOVES)


def test_E2_the_clock_moves_only_the_phases_that_move_by_time():
    pub = dt.date(2027, 2, 20)  # objections close on the 25th
    due = lambda phase, today: phase_due(phase, today, DAY, pub, S)  # noqa: E731
    assert due(Phase.ROLL_PUBLISHED, dt.date(2027, 2, 25)) is Phase.ROLL_PUBLISHED
    assert due(Phase.ROLL_PUBLISHED, dt.date(2027, 2, 26)) is Phase.NOMINATION
    # Nomination ends by an act (start the primary, or publish the slate), never by time.
    assert due(Phase.ROLL_PUBLISHED, DAY + 10 * ONE) is Phase.NOMINATION
    assert due(Phase.SETUP, DAY) is Phase.SETUP
    assert due(Phase.PRIMARY, DAY) is Phase.PRIMARY
    assert due(Phase.SLATE_PUBLISHED, DAY - ONE) is Phase.SLATE_PUBLISHED
    assert due(Phase.SLATE_PUBLISHED, DAY) is Phase.VOTING
    assert due(Phase.VOTING, DAY) is Phase.VOTING
    assert due(Phase.SLATE_PUBLISHED, DAY + ONE) is Phase.COUNTING
    assert due(Phase.COUNTING, DAY + 100 * ONE) is Phase.COUNTING


def test_E2_acts_in_the_wrong_phase_refuse_INVALID_PHASE_and_the_roll_freezes():
    check_act(Act.PUBLISH_ROLL, Phase.SETUP)
    assert refused(check_act, Act.PUBLISH_ROLL, Phase.ROLL_PUBLISHED).code is Code.INVALID_PHASE
    assert refused(check_act, Act.NOMINATE, Phase.ROLL_PUBLISHED).details == {
        "phase": "ROLL_PUBLISHED"}
    check_act(Act.NOMINATE, Phase.NOMINATION)
    check_act(Act.PUBLISH_SLATE, Phase.PRIMARY)
    check_act(Act.PUBLISH_SLATE, Phase.NOMINATION)
    assert refused(check_act, Act.PUBLISH_SLATE, Phase.SLATE_PUBLISHED).code is (
        Code.INVALID_PHASE)
    for phase in (Phase.ROLL_PUBLISHED, Phase.NOMINATION, Phase.PRIMARY, Phase.SLATE_PUBLISHED):
        check_act(Act.DECIDE_OBJECTION, phase)
        check_act(Act.WITHDRAW_PROXY, phase)
    for phase in (Phase.VOTING, Phase.COUNTING):
        for act in (Act.FILE_OBJECTION, Act.DECIDE_OBJECTION, Act.RESOLVE_CONFLICT):
            assert refused(check_act, act, phase).code is Code.ROLL_FROZEN
        assert refused(check_act, Act.WITHDRAW_PROXY, phase).code is Code.INVALID_PHASE
    assert refused(check_act, Act.FILE_OBJECTION, Phase.SETUP).code is Code.INVALID_PHASE
