"""The count's rules, one or more tests per DOMAIN.md id (E5, E6, E12-E15, E17), and the
four worked cases of DOMAIN.md exactly. Every count here is also checked by the standalone
verifier (``both``), so each worked case holds for both implementations."""

from fractions import Fraction

import pytest
from count_helpers import (
    DD,
    D,
    M,
    ballots,
    bundle_bytes,
    candidates,
    cid,
    count,
    inp,
    main_round,
    round_for,
    spread,
    verify_file,
)

from linli.plugins.elections.rules.ballots import BallotReader
from linli.plugins.elections.rules.count import recall_proposal_ok
from linli.plugins.elections.rules.model import (
    FIRST_KINDS,
    KIND_RULES,
    TRANSITIONS,
    Ballot,
    CountSettings,
    Denominator,
    Kind,
    Outcome,
    Post,
    Round,
    Seats,
    Status,
    Step,
)
from linli.plugins.elections.rules.rounds import RoundInput


@pytest.fixture
def both(tmp_path):
    """Count with the plugin, publish the bundle, and require the verifier to accept it."""

    def run(posts, rounds, roll, settings=None):
        result = count(posts, rounds, roll, settings)
        path = tmp_path / f"bundle{len(list(tmp_path.iterdir()))}.json"
        path.write_bytes(bundle_bytes(posts, rounds, roll, settings, result))
        assert verify_file(path) == []
        return result

    return run


def post_of(result, k, post):
    return result.rounds[k].post(post)


# -- E6 ballot validity -------------------------------------------------------------------


def test_E6_more_choices_than_seats_invalid_for_that_post_only(both):
    posts = (Seats(D, 1), Seats(M, 2))
    cands = candidates(D, "a", "b") + candidates(M, "c", "d", "e")
    round_ = main_round(posts, cands)
    marks = [{cid(D, "a"): "FOR", cid(D, "b"): "FOR", cid(M, "c"): "FOR"}] + [
        {cid(D, "a"): "FOR", cid(M, "c"): "FOR"} for _ in range(3)
    ]
    result = both(posts, [inp(round_, ballots(marks))], roll=6, settings=CountSettings(
        carry_down=False))
    director = post_of(result, 0, D)
    assert director.invalid_ballots == 1
    assert dict(director.totals) == {"a": 3, "b": 0}
    # the ballot still counts in the denominator: 3 of 4 ballots, bar 4/2
    assert director.bar.value == Fraction(4, 2) and director.elected == ("a",)
    # and its member marks count
    assert dict(post_of(result, 0, M).totals)["c"] == 4


def test_E6_write_ins_count_toward_the_seat_limit_and_ineligible_marks_drop_alone(both):
    posts = (Seats(M, 2),)
    round_ = main_round(posts, candidates(M, "c", "d"))
    marks = [{cid(M, "c"): "FOR"}] * 3
    write_ins = {
        0: [(M, "w-ok")],  # eligible write-in: counts
        1: [(M, "w-bad")],  # ineligible: that mark only is dropped, c still counts
        2: [(M, "w-ok"), (M, "w-bad")],  # three people for two seats: invalid for the post
    }
    result = both(posts, [inp(round_, ballots(marks, write_ins), eligible={"w-ok"})], roll=5)
    member = post_of(result, 0, M)
    assert member.invalid_ballots == 1
    assert member.ineligible_write_ins == 1
    assert dict(member.totals) == {"c": 2, "d": 0, "w-ok": 1}
    assert result.rounds[0].written_in == {"w-ok": True, "w-bad": False}


def test_E6_reader_rules_per_mark():
    round_ = main_round((Seats(D, 1), Seats(M, 1)), candidates(D, "a") + candidates(M, "b"))
    reader = BallotReader(round_, {"x"})
    # AGAINST and ABSTAIN choose nobody; a duplicate write-in is one person
    chosen, dropped = reader.read(Ballot("1", {cid(D, "a"): "AGAINST", cid(M, "b"): "ABSTAIN"},
                                         ((M, "x"), (M, "x"))))
    assert chosen == [set(), {"x"}] and dropped == [0, 0]
    for bad in (Ballot("2", {"nobody": "FOR"}), Ballot("3", {cid(D, "a"): "YES"}),
                Ballot("4", {}, ((D, ""),)), Ballot("5", {}, (("TREASURER", "x"),))):
        with pytest.raises(ValueError):
            reader.read(bad)


def test_E6_write_ins_are_invalid_marks_outside_the_main_round():
    runoff = Round("r", Kind.RUNOFF, (Seats(M, 1),), candidates(M, "c", "d"), parent="main")
    chosen, dropped = BallotReader(runoff, {"x"}).read(Ballot("1", {}, ((M, "x"),)))
    assert chosen == [set()] and dropped == [1]


# -- E12 validity ---------------------------------------------------------------------------


def test_E12_case1_turnout_500_of_1000_invalid_501_valid(both):
    posts = (Seats(D, 1),)
    round_ = main_round(posts, candidates(D, "x", "y"))
    invalid = both(posts, [inp(round_, ballots([{}] * 500))], roll=1000)
    assert invalid.rounds[0].outcome is Outcome.INVALID
    assert invalid.rounds[0].invalid_reasons == ("TURNOUT",)
    assert invalid.elected == () and invalid.rounds[0].posts == ()
    # what follows an invalid round: the same round again
    assert [(e.kind, e.parent) for e in invalid.next] == [(Kind.MAIN, None)]
    valid = both(posts, [inp(round_, ballots([{}] * 501))], roll=1000)
    assert valid.rounds[0].invalid_reasons == () and valid.rounds[0].outcome is Outcome.OPEN


def test_E12_case3_402_ballots_for_401_voters_invalid_nothing_dropped(both):
    posts = (Seats(D, 1),)
    round_ = main_round(posts, candidates(D, "x", "y"))
    marks = spread(402, {cid(D, "x"): 300, cid(D, "y"): 102})
    result = both(posts, [inp(round_, ballots(marks), voters=401)], roll=600)
    r = result.rounds[0]
    assert r.outcome is Outcome.INVALID
    assert r.invalid_reasons == ("MORE_BALLOTS_THAN_VOTERS",)
    assert (r.ballots, r.voters) == (402, 401)  # every ballot recorded is reported
    assert result.elected == () and result.status == "NEXT_ROUND"
    # 401 ballots for 401 voters is fine
    ok = both(posts, [inp(round_, ballots(marks[:401]), voters=401)], roll=600)
    assert ok.rounds[0].outcome is Outcome.FILLED


def test_E12_repeat_after_invalid_round_replaces_it(both):
    posts = (Seats(D, 1),)
    first = main_round(posts, candidates(D, "x", "y"))
    again = main_round(posts, candidates(D, "x", "y"), rid="main-2")
    marks = spread(10, {cid(D, "x"): 8})
    result = both(posts, [inp(first, ballots(marks[:4])), inp(again, ballots(marks))], roll=10)
    assert result.elected == ((D, ("x",)),) and result.status == "COMPLETE"
    with pytest.raises(ValueError):  # a repeat with other people on the ballot
        other = main_round(posts, candidates(D, "x", "z"), rid="main-2")
        count(posts, [inp(first, ballots(marks[:4])), inp(other, ballots(marks))], roll=10)


# -- E13 winning ---------------------------------------------------------------------------


def test_E13_case1_241_of_501_loses_with_invalid_ballots_in_the_denominator(both):
    posts = (Seats(D, 1),)
    round_ = main_round(posts, candidates(D, "x", "y"))
    overvotes = [{cid(D, "x"): "FOR", cid(D, "y"): "FOR"}] * 21
    valid = spread(480, {cid(D, "x"): 241, cid(D, "y"): 200})
    result = both(posts, [inp(round_, ballots(overvotes + valid))], roll=1000)
    director = post_of(result, 0, D)
    assert director.invalid_ballots == 21
    assert dict(director.totals)["x"] == 241
    assert director.bar.op == ">" and director.bar.value == Fraction(501, 2)  # 250.5
    assert director.elected == () and director.status is Status.OPEN
    # counting only the 480 valid ballots would have elected x (241 > 240)
    only_valid = both(posts, [inp(round_, ballots(valid))], roll=900)
    assert post_of(only_valid, 0, D).elected == ("x",)


def test_E13_exact_threshold_more_than_half():
    posts = (Seats(D, 1),)
    round_ = main_round(posts, candidates(D, "x", "y"))
    for n, x, wins in [(600, 300, False), (600, 301, True), (501, 250, False), (501, 251, True)]:
        result = count(posts, [inp(round_, ballots(spread(n, {cid(D, "x"): x})))], roll=n)
        assert (post_of(result, 0, D).elected == ("x",)) is wins, (n, x)


def test_E13_denominator_of_the_roll_setting(both):
    posts = (Seats(D, 1),)
    round_ = main_round(posts, candidates(D, "x", "y"))
    rounds = [inp(round_, ballots(spread(600, {cid(D, "x"): 450})))]
    assert both(posts, rounds, roll=1000).elected == ((D, ("x",)),)
    of_roll = both(posts, rounds, roll=1000, settings=CountSettings(
        denominator=Denominator.ROLL))
    assert post_of(of_roll, 0, D).bar.value == 500 and of_roll.elected == ((D, ()),)


def test_E13_more_passing_than_seats_the_highest_win(both):
    posts = (Seats(M, 2),)
    round_ = main_round(posts, candidates(M, "a", "b", "c"))
    marks = spread(600, {cid(M, "a"): 450, cid(M, "b"): 400, cid(M, "c"): 350})
    result = both(posts, [inp(round_, ballots(marks))], roll=1000)
    member = post_of(result, 0, M)
    assert [p for p, v in member.totals if 2 * v > 600] == ["a", "b", "c"]
    assert member.elected == ("a", "b") and member.status is Status.FILLED


def _deputy_tie_round():
    posts = (Seats(D, 1), Seats(DD, 2), Seats(M, 2))
    cands = candidates(D, "d1", "d2") + candidates(DD, "a", "b", "c") + candidates(
        M, "m1", "m2", "m3")
    marks = [{} for _ in range(600)]
    for i in range(600):
        marks[i][cid(D, "d1")] = "FOR"  # d1: 600
        if i < 400:
            marks[i][cid(DD, "a")] = "FOR"  # a: 400
        if i < 150 or i >= 400:
            marks[i][cid(DD, "b")] = "FOR"  # b: 350
        if 150 <= i < 500:
            marks[i][cid(DD, "c")] = "FOR"  # c: 350
        if i < 500:
            marks[i][cid(M, "m1")] = "FOR"
        if 500 <= i < 600 or i < 100:
            marks[i][cid(M, "m2")] = "FOR"  # m2: 200
    assert all(sum(1 for k in m if k.startswith("DEPUTY")) <= 2 for m in marks)
    return posts, main_round(posts, cands), ballots(marks)


def test_E13_tie_for_the_last_seat_means_a_tie_vote_and_lower_posts_wait(both):
    posts, main, bs = _deputy_tie_round()
    result = both(posts, [inp(main, bs)], roll=1000)
    deputy = post_of(result, 0, DD)
    assert deputy.status is Status.TIE and deputy.elected == ("a",)
    assert deputy.tie == (("b", "c"), 1)
    assert post_of(result, 0, M).status is Status.PENDING  # the tie's loser may win here
    assert result.rounds[0].outcome is Outcome.TIE
    (tie_vote,) = result.next
    assert (tie_vote.kind, tie_vote.parent, tie_vote.posts) == (Kind.TIE_VOTE, "main",
                                                               (Seats(DD, 1),))
    assert tie_vote.persons == {DD: frozenset({"b", "c"})}


@pytest.mark.parametrize(("b_votes", "deputies", "members"), [
    (30, ("a", "b"), ("m1", "c")),  # b wins the tie vote; c's 350 carry down to member
    (10, ("a", "c"), ("m1", "b")),
])
def test_E13_tie_vote_completes_the_round(both, b_votes, deputies, members):
    posts, main, bs = _deputy_tie_round()
    first = count(posts, [inp(main, bs)], roll=1000)
    tv = round_for(first.next[0], "tie-1")
    tv_marks = spread(40, {f"tie-1/{DD}:b": b_votes, f"tie-1/{DD}:c": 40 - b_votes})
    result = both(posts, [inp(main, bs), inp(tv, ballots(tv_marks, prefix="t"), voters=600)],
                  roll=1000)
    deputy = post_of(result, 0, DD)
    assert deputy.status is Status.FILLED and deputy.decided_by == "tie-1"
    assert set(deputy.elected) == set(deputies)
    assert post_of(result, 0, M).elected == members
    assert result.elected == ((D, ("d1",)), (DD, deputy.elected), (M, members))
    assert result.status == "COMPLETE"


def test_E13_a_tied_tie_vote_gets_its_own_tie_vote(both):
    posts, main, bs = _deputy_tie_round()
    first = count(posts, [inp(main, bs)], roll=1000)
    tv = round_for(first.next[0], "tie-1")
    tied = ballots(spread(40, {f"tie-1/{DD}:b": 20, f"tie-1/{DD}:c": 20}), prefix="t")
    second = count(posts, [inp(main, bs), inp(tv, tied, voters=600)], roll=1000)
    (again,) = second.next
    assert (again.kind, again.parent) == (Kind.TIE_VOTE, "tie-1")
    tv2 = round_for(again, "tie-2")
    decisive = ballots(spread(40, {f"tie-2/{DD}:c": 21}), prefix="u")
    result = both(posts, [inp(main, bs), inp(tv, tied, voters=600),
                          inp(tv2, decisive, voters=600)], roll=1000)
    assert post_of(result, 0, DD).elected == ("a", "c")
    assert post_of(result, 1, DD).decided_by == "tie-2"


# -- E14 runoff ----------------------------------------------------------------------------


def _case2():
    posts = (Seats(M, 3),)
    main = main_round(posts, candidates(M, "A", "B", "C", "D"))
    marks = spread(600, {cid(M, p): v for p, v in
                         {"A": 420, "B": 330, "C": 290, "D": 280}.items()})
    return posts, main, ballots(marks)


def test_E14_case2_a_and_b_win_c_and_d_to_a_runoff(both):
    posts, main, bs = _case2()
    result = both(posts, [inp(main, bs)], roll=700)
    member = post_of(result, 0, M)
    assert member.elected == ("A", "B") and member.status is Status.OPEN
    assert member.open_seats == 1
    (runoff,) = result.next
    assert (runoff.kind, runoff.parent, runoff.posts) == (Kind.RUNOFF, "main", (Seats(M, 1),))
    assert runoff.persons == {M: frozenset({"C", "D"})}  # twice the open seat


@pytest.mark.parametrize(("c_votes", "wins"), [(133, True), (132, False)])
def test_E14_case2_runoff_of_399_ballots_one_third_wins(both, c_votes, wins):
    posts, main, bs = _case2()
    run = round_for(count(posts, [inp(main, bs)], roll=700).next[0], "runoff")
    marks = spread(399, {f"runoff/{M}:C": c_votes, f"runoff/{M}:D": 131})
    result = both(posts, [inp(main, bs), inp(run, ballots(marks, prefix="r"))], roll=700)
    member = post_of(result, 1, M)
    assert member.bar.op == ">=" and member.bar.value == Fraction(399, 3)  # 133
    if wins:
        assert member.elected == ("C",)
        assert result.elected == ((M, ("A", "B", "C")),) and result.status == "COMPLETE"
    else:
        assert member.elected == () and member.status is Status.OPEN
        assert result.status == "NEW_ELECTION"
        assert result.new_election == (Seats(M, 1),) and result.within_months == 3


def test_E14_runoff_tie_at_the_candidates_cut_off_takes_all_tied():
    posts = (Seats(M, 3),)
    main = main_round(posts, candidates(M, "A", "B", "C", "D", "E", "F"))
    marks = spread(600, {cid(M, p): v for p, v in
                         {"A": 420, "B": 330, "C": 290, "D": 280, "E": 280, "F": 100}.items()})
    result = count(posts, [inp(main, ballots(marks))], roll=700)
    assert result.next[0].persons == {M: frozenset({"C", "D", "E"})}
    # two open seats: four places, and the setting changes how many
    two_open = main_round((Seats(M, 4),), main.candidates)
    assert count((Seats(M, 4),), [inp(two_open, ballots(marks))], roll=700).next[0].persons == {
        M: frozenset({"C", "D", "E", "F"})}
    three_per_seat = count(posts, [inp(main, ballots(marks))], roll=700,
                           settings=CountSettings(runoff_candidates_per_seat=3))
    assert three_per_seat.next[0].persons == {M: frozenset({"C", "D", "E"})}


def test_E14_runoff_among_the_wrong_people_is_refused():
    posts, main, bs = _case2()
    wrong = Round("runoff", Kind.RUNOFF, (Seats(M, 1),), candidates(M, "C", "E"), parent="main")
    with pytest.raises(ValueError, match="not a round the rules call for"):
        count(posts, [inp(main, bs), inp(wrong, ballots([{}] * 399, prefix="r"))], roll=700)


def test_E14_runoff_tie_goes_to_a_tie_vote(both):
    posts, main, bs = _case2()
    run = round_for(count(posts, [inp(main, bs)], roll=700).next[0], "runoff")
    marks = spread(399, {f"runoff/{M}:C": 150, f"runoff/{M}:D": 150})
    result = both(posts, [inp(main, bs), inp(run, ballots(marks, prefix="r"))], roll=700)
    assert post_of(result, 1, M).tie == (("C", "D"), 1)
    assert [(e.kind, e.parent) for e in result.next] == [(Kind.TIE_VOTE, "runoff")]


# -- E15 carry-down -----------------------------------------------------------------------


def _case4():
    """X: 250 as director on ballots 310-559 and 100 as member on ballots 0-99 (disjoint)."""
    posts = (Seats(D, 1), Seats(M, 2))
    cands = candidates(D, "W", "X") + candidates(M, "X", "M1", "M2")
    marks = [{} for _ in range(600)]
    for i in range(600):
        if i < 310:
            marks[i][cid(D, "W")] = "FOR"
        elif i < 560:
            marks[i][cid(D, "X")] = "FOR"
        if i < 100:
            marks[i][cid(M, "X")] = "FOR"
            marks[i][cid(M, "M2")] = "FOR"
        elif i < 500:
            marks[i][cid(M, "M1")] = "FOR"
        else:
            marks[i][cid(M, "M2")] = "FOR"
    return posts, main_round(posts, cands), ballots(marks)


def test_E15_case4_with_carry_down_x_has_350_and_wins_a_member_seat(both):
    posts, main, bs = _case4()
    result = both(posts, [inp(main, bs)], roll=1000, settings=CountSettings(carry_down=True))
    director = post_of(result, 0, D)
    assert dict(director.totals)["X"] == 250 and director.bar.value == 300
    assert director.elected == ("W",)
    member = post_of(result, 0, M)
    assert dict(member.totals) == {"M1": 400, "X": 350, "M2": 200}  # W left for the top post
    assert member.elected == ("M1", "X")
    assert result.elected == ((D, ("W",)), (M, ("M1", "X")))


def test_E15_case4_without_carry_down_x_wins_nothing(both):
    posts, main, bs = _case4()
    result = both(posts, [inp(main, bs)], roll=1000, settings=CountSettings(carry_down=False))
    member = post_of(result, 0, M)
    assert dict(member.totals)["X"] == 100
    assert member.elected == ("M1",)
    assert all("X" not in persons for _, persons in result.elected)


def test_E15_one_ballot_counts_once_for_a_person_across_posts(both):
    posts = (Seats(D, 1), Seats(M, 1))
    round_ = main_round(posts, candidates(D, "X", "Y") + candidates(M, "X", "Z"))
    marks = [{cid(D, "Y"): "FOR", cid(M, "Z"): "FOR"}] * 6 + [
        {cid(D, "X"): "FOR", cid(M, "X"): "FOR"}] * 4
    result = both(posts, [inp(round_, ballots(marks))], roll=10)
    assert dict(post_of(result, 0, M).totals) == {"Z": 6, "X": 4}  # not 8: four ballots


def test_E15_a_winner_leaves_the_lower_posts_even_without_carry_down(both):
    posts = (Seats(D, 1), Seats(M, 1))
    round_ = main_round(posts, candidates(D, "X") + candidates(M, "X", "Z"))
    marks = [{cid(D, "X"): "FOR", cid(M, "X"): "FOR"}] * 8 + [{cid(M, "Z"): "FOR"}] * 2
    result = both(posts, [inp(round_, ballots(marks))], roll=10,
                  settings=CountSettings(carry_down=False))
    member = post_of(result, 0, M)
    assert "X" not in dict(member.totals) and member.elected == ()
    # the open member seat goes to a runoff without X
    assert result.next[0].persons == {M: frozenset({"Z"})}


# -- E17 recall ----------------------------------------------------------------------------


def _recall(signatures, voters, for_votes):
    posts = (Seats(Post.RECALL, 1),)
    round_ = Round("recall", Kind.RECALL, posts, candidates(Post.RECALL, "member-1"),
                   signatures=signatures)
    marks = spread(voters, {cid(Post.RECALL, "member-1"): for_votes})
    return posts, [inp(round_, ballots(marks))]


def test_E17_recall_proposal_needs_one_fifth_of_the_roll(both):
    assert not recall_proposal_ok(199, 1000) and recall_proposal_ok(200, 1000)
    short = both(*_recall(199, 800, 700), roll=1000)
    assert short.rounds[0].invalid_reasons == ("PROPOSAL_SHORT",)
    assert short.rounds[0].outcome is Outcome.INVALID and short.next == ()


@pytest.mark.parametrize(("voters", "for_votes", "outcome"), [
    (500, 400, Outcome.INVALID),  # not more than half of the roll voted
    (501, 251, Outcome.RECALLED),  # 251 > 250.5
    (501, 250, Outcome.NOT_RECALLED),
    (1000, 501, Outcome.RECALLED),
    (1000, 500, Outcome.NOT_RECALLED),
])
def test_E17_recall_vote(both, voters, for_votes, outcome):
    result = both(*_recall(200, voters, for_votes), roll=1000)
    assert result.rounds[0].outcome is outcome
    assert result.status == "COMPLETE"


# -- E5 primary (the same count: ranks nominees to the slate size) --------------------------


def test_E5_primary_ranks_to_the_slate_and_a_tie_at_the_cut_off_gets_a_new_vote(both):
    posts = (Seats(M, 3),)
    settings = CountSettings()
    slate_size = settings.slate_size(M, 3)
    assert slate_size == 4
    primary = Round("primary", Kind.PRIMARY, (Seats(M, slate_size),),
                    candidates(M, "n1", "n2", "n3", "n4", "n5", "n6"))
    marks = spread(300, {cid(M, p): v for p, v in
                         {"n1": 250, "n2": 240, "n3": 200, "n4": 150, "n5": 150, "n6": 10}.items()})
    result = both(posts, [inp(primary, ballots(marks))], roll=500)
    assert post_of(result, 0, M).tie == (("n4", "n5"), 1)
    tv = round_for(result.next[0], "primary-tie")
    tv_marks = spread(300, {f"primary-tie/{M}:n5": 160})
    done = both(posts, [inp(primary, ballots(marks)), inp(tv, ballots(tv_marks, prefix="t"))],
                roll=500)
    (main,) = done.next
    assert main.kind is Kind.MAIN and main.persons == {M: frozenset({"n1", "n2", "n3", "n5"})}
    with pytest.raises(ValueError, match="no proxy voting at a primary"):
        count(posts, [RoundInput(primary, {"ONLINE": 299, "PROXY": 1}, ballots(marks))],
              roll=500)
    with pytest.raises(ValueError):  # a primary's seats are the slate's size
        wrong = Round("primary", Kind.PRIMARY, (Seats(M, 3),), primary.candidates)
        count(posts, [inp(wrong, ballots(marks))], roll=500)


# -- the round state machine ----------------------------------------------------------------


def test_round_state_machine_is_data_and_total():
    outcomes = {
        Kind.PRIMARY: {Outcome.INVALID, Outcome.TIE, Outcome.OPEN, Outcome.FILLED},
        Kind.MAIN: {Outcome.INVALID, Outcome.TIE, Outcome.OPEN, Outcome.FILLED},
        Kind.TIE_VOTE: {Outcome.INVALID, Outcome.TIE, Outcome.FILLED},
        Kind.RUNOFF: {Outcome.INVALID, Outcome.TIE, Outcome.OPEN, Outcome.FILLED},
        Kind.RECALL: {Outcome.INVALID, Outcome.RECALLED, Outcome.NOT_RECALLED},
    }
    assert set(TRANSITIONS) == {(k, o) for k, os in outcomes.items() for o in os}
    assert TRANSITIONS[(Kind.MAIN, Outcome.OPEN)] is Step.RUNOFF
    assert TRANSITIONS[(Kind.RUNOFF, Outcome.OPEN)] is Step.NEW_ELECTION
    assert TRANSITIONS[(Kind.TIE_VOTE, Outcome.FILLED)] is Step.BACK_TO_PARENT
    assert FIRST_KINDS == {Kind.PRIMARY, Kind.MAIN, Kind.RECALL}
    assert set(KIND_RULES) == set(Kind)
    assert [k for k, r in KIND_RULES.items() if r.write_ins] == [Kind.MAIN]
    assert [k for k, r in KIND_RULES.items() if r.carry_down] == [Kind.MAIN]


def test_settings_defaults_are_domain_md():
    s = CountSettings()
    assert (s.denominator, s.runoff_candidates_per_seat, s.new_election_within_months,
            s.carry_down) == (Denominator.BALLOTS, 2, 3, True)
    assert [s.slate_size(p, 1) for p in (D, DD, M)] == [2, 2, 2]
    assert CountSettings(slate_extra_member=2).slate_size(M, 5) == 7
    assert CountSettings.from_json(s.as_json()) == s
    with pytest.raises(ValueError):
        CountSettings(slate_extra_member=3)
