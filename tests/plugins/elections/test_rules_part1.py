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
    polls_move,
    roll_publication_window,
    slate_publication_window,
)
from linli.plugins.elections.rules.model import CountSettings, Kind, Post, Seats
from linli.plugins.elections.rules.nominations import (
    NominationStatus,
    accept,
    accepted_nominees,
    confirm,
    decline,
    nominate,
    nominations_by,
)
from linli.plugins.elections.rules.proxies import (
    CLOSE_RELATIVES,
    Proxy,
    ProxySettings,
    Relation,
    grant_proxy,
    proxies_held_by_candidates,
    proxy_list,
    withdraw_proxy,
)
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
from linli.plugins.elections.rules.slate import (
    PostPlan,
    PrimaryDecision,
    SlateEntry,
    check_competitive,
    plan_primary,
    slate_order,
    slate_sizes,
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
    assert [p.value for p in Phase] == ["SETUP", "ROLL_PUBLISHED", "NOMINATION", "PRIMARY",
                                        "PRIMARY_COUNTING", "SLATE_PUBLISHED", "VOTING",
                                        "COUNTING", "COUNTED"]
    assert Phase.PRIMARY.value == Kind.PRIMARY.value
    assert set(ACT_PHASES) == set(Act)
    # Every phase can be left (COUNTED: to the next round the count asks for), and only the
    # table's moves exist.
    assert {m.source for m in MOVES} == set(Phase)
    assert all((m.act is None) == (m.by is Mover.TIME) for m in MOVES)
    # Every act that moves the phase is allowed, by ACT_PHASES, exactly where it moves it.
    for move in MOVES:
        if move.by is Mover.ACT:
            assert move.source in ACT_PHASES[Act(move.act)], move


def test_E2_E12_closing_the_polls_and_counting_move_the_phase():
    assert polls_move(Act.CLOSE_POLLS, Phase.VOTING) is Phase.COUNTING
    assert polls_move(Act.COUNT_VOTES, Phase.COUNTING) is Phase.COUNTED
    assert polls_move(Act.OPEN_NEXT_ROUND, Phase.COUNTED) is Phase.VOTING
    # A primary's rounds (and its tie votes) stay in the primary's phases.
    assert polls_move(Act.CLOSE_POLLS, Phase.PRIMARY) is Phase.PRIMARY_COUNTING
    assert polls_move(Act.COUNT_VOTES, Phase.PRIMARY_COUNTING) is Phase.PRIMARY
    assert polls_move(Act.OPEN_NEXT_ROUND, Phase.PRIMARY) is None
    # A recall is voted after the election and moves nothing.
    assert polls_move(Act.CLOSE_POLLS, Phase.COUNTED, recall=True) is None
    assert polls_move(Act.COUNT_VOTES, Phase.COUNTED, recall=True) is None
    wrong = [(Act.CLOSE_POLLS, Phase.COUNTING), (Act.CLOSE_POLLS, Phase.SLATE_PUBLISHED),
             (Act.CLOSE_POLLS, Phase.COUNTED), (Act.COUNT_VOTES, Phase.VOTING),
             (Act.COUNT_VOTES, Phase.COUNTED), (Act.COUNT_VOTES, Phase.PRIMARY),
             (Act.OPEN_NEXT_ROUND, Phase.COUNTING), (Act.OPEN_NEXT_ROUND, Phase.VOTING)]
    for act, phase in wrong:
        err = refused(polls_move, act, phase)
        assert (err.code, err.details) == (Code.INVALID_PHASE, {"phase": str(phase)})
    assert refused(polls_move, Act.CLOSE_POLLS, Phase.VOTING, recall=True).code is (
        Code.INVALID_PHASE)


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
    # The polls close by staff's act (closePolls), never by the clock: a tie vote or a runoff
    # is voted days later, and the committee says when the paper ballots are counted.
    assert due(Phase.SLATE_PUBLISHED, DAY + ONE) is Phase.VOTING
    assert due(Phase.VOTING, DAY + 100 * ONE) is Phase.VOTING
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


# E3 ---------------------------------------------------------------------------------------

from linli.plugins.elections.rules.posts import PostSettings, posts_of, validate_posts  # noqa: E402


def codes(errors):
    return [e.code for e in errors]


def test_E3_posts_five_to_nine_in_all_with_exactly_one_director():
    assert validate_posts({"DIRECTOR": 1, "DEPUTY_DIRECTOR": 1, "MEMBER": 5}) == ()
    assert validate_posts({"DIRECTOR": 1, "MEMBER": 4}) == ()  # deputies may be none
    assert validate_posts({"DIRECTOR": 1, "DEPUTY_DIRECTOR": 2, "MEMBER": 6}) == ()
    too_few = validate_posts({"DIRECTOR": 1, "DEPUTY_DIRECTOR": 1, "MEMBER": 2})
    assert codes(too_few) == [Code.SEATS_OUT_OF_RANGE] and dict(too_few[0].details) == {
        "min": 5, "max": 9}
    assert codes(validate_posts({"DIRECTOR": 1, "MEMBER": 9})) == [Code.SEATS_OUT_OF_RANGE]
    assert codes(validate_posts({"DIRECTOR": 2, "MEMBER": 4})) == [Code.ONE_DIRECTOR]
    assert codes(validate_posts({"DEPUTY_DIRECTOR": 1, "MEMBER": 5})) == [Code.ONE_DIRECTOR]
    assert codes(validate_posts({"DIRECTOR": 1, "MEMBER": -1})) == [Code.INVALID_SEATS]
    assert codes(validate_posts({"DIRECTOR": 1, "MEMBER": "4"})) == [Code.INVALID_SEATS]
    assert codes(validate_posts({"DIRECTOR": True, "MEMBER": 4})) == [Code.INVALID_SEATS]
    unknown = validate_posts({"DIRECTOR": 1, "MEMBER": 4, "RECALL": 1, "<script>": 1})
    assert codes(unknown) == [Code.UNKNOWN_POST, Code.UNKNOWN_POST]
    assert all(e.post is None for e in unknown)  # the unknown name is not echoed
    small = PostSettings(min_seats=3, max_seats=5)
    assert validate_posts({"DIRECTOR": 1, "MEMBER": 2}, small) == ()
    with pytest.raises(ValueError):
        PostSettings(min_seats=6, max_seats=5)


def test_E3_valid_posts_become_the_counts_seats_highest_first():
    assert posts_of({"MEMBER": 5, "DIRECTOR": 1, "DEPUTY_DIRECTOR": 0}) == (
        Seats(Post.DIRECTOR, 1), Seats(Post.MEMBER, 5))
    with pytest.raises(ValueError):
        posts_of({"DIRECTOR": 2, "MEMBER": 5})


@FAST
@given(st.dictionaries(st.sampled_from(["DIRECTOR", "DEPUTY_DIRECTOR", "MEMBER"]),
                       st.integers(0, 10)))
def test_E3_valid_exactly_when_one_director_and_five_to_nine(seats):
    ok = seats.get("DIRECTOR", 0) == 1 and 5 <= sum(seats.values()) <= 9
    assert (validate_posts(seats) == ()) == ok


# E4 ---------------------------------------------------------------------------------------


SEATS = {Post.DIRECTOR: 1, Post.DEPUTY_DIRECTOR: 1, Post.MEMBER: 3}
ROLL = frozenset({f"v{i}" for i in range(20)})


def test_E4_a_voter_nominates_no_more_people_per_post_than_seats():
    made = []
    for i in range(3):
        made.append(nominate(Post.MEMBER, f"v{10 + i}", ["v0"], SEATS, ROLL, made))
    err = refused(nominate, Post.MEMBER, "v14", ["v0"], SEATS, ROLL, made)
    assert err.code is Code.TOO_MANY_NOMINATIONS
    assert err.details == {"post": "MEMBER", "seats": 3}
    # The limit is per post: the director's one seat is still open to v0.
    made.append(nominate(Post.DIRECTOR, "v14", ["v0"], SEATS, ROLL, made))
    assert refused(nominate, Post.DIRECTOR, "v15", ["v0"], SEATS, ROLL, made).code is (
        Code.TOO_MANY_NOMINATIONS)
    # A declined nomination no longer counts: v0 may name someone else.
    made[0] = decline(made[0], "v10")
    made.append(nominate(Post.MEMBER, "v15", ["v0"], SEATS, ROLL, made))
    assert nominations_by("v0", Post.MEMBER, made) == 3


def test_E4_joint_nominations_count_for_every_co_nominator_and_need_their_confirmation():
    made = [nominate(Post.MEMBER, f"v{10 + i}", ["v1"], SEATS, ROLL, []) for i in range(2)]
    joint = nominate(Post.MEMBER, "v12", ["v0", "v1", "v2"], SEATS, ROLL, made)
    assert joint.status is NominationStatus.AWAITING_CONFIRMATION
    made.append(joint)
    # v1 has reached 3 with the joint one, though not confirmed yet.
    assert refused(nominate, Post.MEMBER, "v13", ["v1"], SEATS, ROLL, made).code is (
        Code.TOO_MANY_NOMINATIONS)
    assert refused(nominate, Post.MEMBER, "v13", ["v3", "v1"], SEATS, ROLL, made).code is (
        Code.TOO_MANY_NOMINATIONS)
    assert refused(accept, joint, "v12", frozenset()).code is Code.NOT_CONFIRMED
    assert refused(confirm, joint, "v0").code is Code.NOT_A_CO_NOMINATOR  # the proposer
    assert refused(confirm, joint, "v5").code is Code.NOT_A_CO_NOMINATOR
    joint = confirm(confirm(joint, "v1"), "v2")
    assert joint.status is NominationStatus.AWAITING_ANSWER
    assert accept(joint, "v12", frozenset()).nomination.status is NominationStatus.ACCEPTED


def test_E4_the_nominee_must_be_on_the_roll_and_the_nominators_too():
    assert refused(nominate, Post.MEMBER, "outsider", ["v0"], SEATS, ROLL, []).code is (
        Code.NOMINEE_NOT_ELIGIBLE)
    # Staff nominate only as voters: a staff member not on the roll is NOT_ON_ROLL ...
    assert refused(nominate, Post.MEMBER, "v1", ["staff"], SEATS, ROLL, []).code is (
        Code.NOT_ON_ROLL)
    assert refused(nominate, Post.MEMBER, "v1", ["v0", "staff"], SEATS, ROLL, []).code is (
        Code.NOT_ON_ROLL)
    # ... and one on the roll has a voter's limit, no more.
    roll = ROLL | {"staff"}
    made = [nominate(Post.DIRECTOR, "v1", ["staff"], SEATS, roll, [])]
    assert refused(nominate, Post.DIRECTOR, "v2", ["staff"], SEATS, roll, made).code is (
        Code.TOO_MANY_NOMINATIONS)
    assert refused(nominate, Post.RECALL, "v1", ["v0"], SEATS, ROLL, []).code is (
        Code.UNKNOWN_POST)


def test_E4_a_person_stands_once_per_post():
    made = [nominate(Post.MEMBER, "v9", ["v0"], SEATS, ROLL, [])]
    assert refused(nominate, Post.MEMBER, "v9", ["v1"], SEATS, ROLL, made).code is (
        Code.ALREADY_NOMINATED)
    assert refused(nominate, Post.MEMBER, "v9", ["v0"], SEATS, ROLL, made).code is (
        Code.ALREADY_NOMINATED)
    # Another post is another candidacy (carry-down adds them, E15).
    made.append(nominate(Post.DIRECTOR, "v9", ["v1"], SEATS, ROLL, made))
    made[0] = decline(made[0], "v9")
    made.append(nominate(Post.MEMBER, "v9", ["v1"], SEATS, ROLL, made))
    assert len(made) == 3


def test_E4_the_nominee_accepts_and_a_committee_member_leaves_the_committee():
    n = nominate(Post.DIRECTOR, "v5", ["v0"], SEATS, ROLL, [])
    assert n.status is NominationStatus.AWAITING_ANSWER
    assert refused(accept, n, "v0", frozenset()).code is Code.NOT_THE_NOMINEE
    assert refused(decline, n, "v0").code is Code.NOT_THE_NOMINEE
    member = accept(n, "v5", frozenset({"v5", "v6"}))
    assert member.leaves_committee is True
    assert accept(n, "v5", frozenset({"v6"})).leaves_committee is False
    assert refused(accept, member.nomination, "v5", frozenset()).code is Code.ALREADY_DECIDED
    assert refused(decline, member.nomination, "v5").code is Code.ALREADY_DECIDED
    declined = decline(n, "v5")
    assert refused(confirm, declined, "v0").code is Code.NOT_A_CO_NOMINATOR
    assert accepted_nominees([member.nomination, declined]) == {Post.DIRECTOR: ("v5",)}


@FAST
@given(st.lists(st.tuples(st.sampled_from(sorted(ROLL | {"x"})),
                          st.sampled_from([Post.DIRECTOR, Post.MEMBER]),
                          st.lists(st.sampled_from(["v0", "v1", "v2", "x"]), min_size=1,
                                   max_size=3)), max_size=40))
def test_E4_no_voter_ever_exceeds_the_seats_nor_a_nominee_stands_twice(attempts):
    made = []
    for nominee, post, nominators in attempts:
        try:
            made.append(nominate(post, nominee, nominators, SEATS, ROLL, made))
        except Refused as err:
            assert err.code in {Code.TOO_MANY_NOMINATIONS, Code.NOMINEE_NOT_ELIGIBLE,
                                Code.ALREADY_NOMINATED, Code.NOT_ON_ROLL}
    for post in (Post.DIRECTOR, Post.MEMBER):
        for voter in ("v0", "v1", "v2"):
            assert nominations_by(voter, post, made) <= SEATS[post]
        nominees = [n.nominee for n in made if n.post == post]
        assert len(nominees) == len(set(nominees)) and set(nominees) <= ROLL


# E5 ---------------------------------------------------------------------------------------


def test_E5_slate_sizes_are_the_counts_setting_seats_plus_one_or_two():
    seats = {Post.DIRECTOR: 1, Post.DEPUTY_DIRECTOR: 1, Post.MEMBER: 5}
    assert slate_sizes(seats, CountSettings()) == {Post.DIRECTOR: 2, Post.DEPUTY_DIRECTOR: 2,
                                                   Post.MEMBER: 6}
    assert slate_sizes(seats, CountSettings(slate_extra_member=2))[Post.MEMBER] == 7
    assert Post.DEPUTY_DIRECTOR not in slate_sizes({**seats, Post.DEPUTY_DIRECTOR: 0},
                                                   CountSettings())


def test_E5_a_primary_only_when_nominees_exceed_the_slate_and_the_record_says_why():
    seats = {Post.DIRECTOR: 1, Post.DEPUTY_DIRECTOR: 1, Post.MEMBER: 5}
    accepted = {Post.DIRECTOR: ["a", "b"], Post.DEPUTY_DIRECTOR: ["c", "d", "e"],
                Post.MEMBER: [f"m{i}" for i in range(9)]}
    plans = plan_primary(seats, accepted, CountSettings())
    assert plans == (
        PostPlan(Post.DIRECTOR, 1, 2, 2, PrimaryDecision.NOT_NEEDED),
        PostPlan(Post.DEPUTY_DIRECTOR, 1, 2, 3, PrimaryDecision.NEEDED),
        PostPlan(Post.MEMBER, 5, 6, 9, PrimaryDecision.NEEDED),
    )
    check_competitive(plans)
    two = plan_primary(seats, {**accepted, Post.MEMBER: [f"m{i}" for i in range(7)]},
                       CountSettings(slate_extra_member=2))
    assert two[2].decision is PrimaryDecision.NOT_NEEDED and two[2].slate_size == 7
    # No more nominees than seats: no competitive slate; the refusal names the post.
    thin = plan_primary(seats, {**accepted, Post.DIRECTOR: ["a"]}, CountSettings())
    assert thin[0].decision is PrimaryDecision.NOT_COMPETITIVE
    err = refused(check_competitive, thin)
    assert err.code is Code.NOT_COMPETITIVE and err.details == {"post": "DIRECTOR", "seats": 1}
    assert plan_primary(seats, {}, CountSettings())[2].decision is (
        PrimaryDecision.NOT_COMPETITIVE)


@FAST
@given(seats=st.integers(1, 7), nominees=st.integers(0, 15), extra=st.sampled_from([1, 2]))
def test_E5_primary_decision_by_the_numbers(seats, nominees, extra):
    (plan,) = plan_primary({Post.MEMBER: seats}, {Post.MEMBER: [f"p{i}" for i in range(nominees)]},
                           CountSettings(slate_extra_member=extra))
    assert plan.slate_size == seats + extra
    assert (plan.decision is PrimaryDecision.NEEDED) == (nominees > seats + extra)
    assert (plan.decision is PrimaryDecision.NOT_COMPETITIVE) == (nominees <= seats)


NAMES = [("p1", "王", "芳"), ("p2", "丁", "一"), ("p3", "欧阳", "明"), ("p4", "王", "磊"),
         ("p5", "李", "娜"), ("p6", "丁", "一")]


def test_E5_slate_order_by_stroke_table_then_code_point():
    entries = [SlateEntry(*n) for n in NAMES]
    # Strokes: 丁 2, 王 4, 李 7, 欧 8; 芳 7, 磊 15, 一 1, 明 8, 娜 9, 阳 6.
    table = {"丁": 2, "王": 4, "李": 7, "欧": 8, "芳": 7, "磊": 15, "一": 1, "明": 8, "娜": 9,
             "阳": 6}
    ordered = [e.person for e in slate_order(entries, table)]
    assert ordered == ["p2", "p6", "p1", "p4", "p5", "p3"]  # equal names: by person id
    # Without a table: Unicode code point, character by character (the documented fallback).
    fallback = [e.person for e in slate_order(entries)]
    expected = sorted(NAMES, key=lambda n: ([ord(c) for c in n[1]], [ord(c) for c in n[2]],
                                            n[0]))
    assert fallback == [n[0] for n in expected]
    # A character missing from the table sorts after every known one.
    assert [e.person for e in slate_order(entries[:3], {"王": 4, "欧": 8})] == ["p1", "p3", "p2"]


@FAST
@given(st.permutations(range(len(NAMES))))
def test_E5_slate_order_does_not_depend_on_input_order(perm):
    entries = [SlateEntry(*NAMES[i]) for i in perm]
    assert slate_order(entries) == slate_order(SlateEntry(*n) for n in NAMES)


# E10 --------------------------------------------------------------------------------------


OPEN = Phase.SLATE_PUBLISHED


def grant(grantor, holder, relation="CHILD", existing=(), candidates=frozenset(), **kw):
    return grant_proxy(grantor, holder, relation, kw.pop("phase", OPEN), ROLL, candidates,
                       list(existing), **kw)


def test_E10_close_relatives_are_the_laws_list():
    assert CLOSE_RELATIVES == {"SPOUSE", "PARENT", "CHILD", "SIBLING", "GRANDPARENT",
                               "GRANDCHILD"}
    for relation in CLOSE_RELATIVES:
        assert grant("v0", "v1", relation).relation == Relation(relation)
    for other in ("NEIGHBOUR", "COUSIN", "FRIEND", "", None):
        assert refused(grant, "v0", "v1", other).code is Code.NOT_A_CLOSE_RELATIVE
    assert refused(grant, "v0", "v0", "SPOUSE").code is Code.NOT_A_CLOSE_RELATIVE


def test_E10_both_sides_on_the_roll():
    assert refused(grant, "x", "v1").code is Code.NOT_ON_ROLL
    assert refused(grant, "v1", "x").code is Code.NOT_ON_ROLL


def test_E10_a_proxy_holds_at_most_three():
    held = [grant(f"v{i}", "v9") for i in range(3)]
    err = refused(grant, "v3", "v9", existing=held)
    assert err.code is Code.PROXY_LIMIT and err.details == {"limit": 3}
    assert len([grant(f"v{i}", "v9", existing=held[:i],
                      settings=ProxySettings(limit=4)) for i in range(4)]) == 4
    # A withdrawn proxy frees its place.
    held[0] = withdraw_proxy(held[0], OPEN)
    assert grant("v3", "v9", existing=held).holder == "v9"
    with pytest.raises(ValueError):
        ProxySettings(limit=0)


def test_E10_a_candidate_cannot_be_a_proxy():
    err = refused(grant, "v0", "v1", candidates=frozenset({"v1"}))
    assert err.code is Code.CANDIDATE_CANNOT_BE_PROXY
    assert grant("v1", "v0", candidates=frozenset({"v1"})).grantor == "v1"  # may give one
    live = [Proxy("v0", "v1", Relation.CHILD), Proxy("v2", "v3", Relation.SPOUSE),
            Proxy("v4", "v1", Relation.PARENT, withdrawn=True)]
    assert proxies_held_by_candidates(live, {"v1"}) == (live[0],)


def test_E10_one_proxy_per_voter_withdrawn_until_voting_opens_and_published():
    first = grant("v0", "v1")
    assert refused(grant, "v0", "v2", existing=[first]).code is Code.ALREADY_GRANTED
    for phase in (Phase.ROLL_PUBLISHED, Phase.NOMINATION, Phase.PRIMARY, OPEN):
        assert withdraw_proxy(first, phase).withdrawn
    for phase in (Phase.VOTING, Phase.COUNTING):
        assert refused(withdraw_proxy, first, phase).code is Code.INVALID_PHASE
        assert refused(grant, "v0", "v1", phase=phase).code is Code.INVALID_PHASE
    assert refused(grant, "v0", "v1", phase=Phase.SETUP).code is Code.INVALID_PHASE
    again = grant("v0", "v2", existing=[withdraw_proxy(first, OPEN)])
    assert proxy_list([withdraw_proxy(first, OPEN), again, grant("v5", "v6")]) == (
        ("v0", "v2"), ("v5", "v6"))


@FAST
@given(st.lists(st.tuples(st.sampled_from(sorted(ROLL)), st.sampled_from(["v1", "v2", "v3"]),
                          st.sampled_from([*sorted(CLOSE_RELATIVES), "FRIEND"]),
                          st.booleans()), max_size=40))
def test_E10_no_holder_ever_exceeds_the_limit(steps):
    proxies = []
    for grantor, holder, relation, withdraw in steps:
        if withdraw and proxies:
            i = len(proxies) // 2
            if not proxies[i].withdrawn:
                proxies[i] = withdraw_proxy(proxies[i], OPEN)
            continue
        try:
            proxies.append(grant(grantor, holder, relation, proxies))
        except Refused:
            pass
        for h in ("v1", "v2", "v3"):
            assert sum(1 for p in proxies if p.holder == h and not p.withdrawn) <= 3
        live = [p.grantor for p in proxies if not p.withdrawn]
        assert len(live) == len(set(live))
