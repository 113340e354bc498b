"""Properties of the count (hypothesis): order does not matter, abstaining never helps,
more votes never place lower, and the thresholds are exact (E12-E14)."""

import random

from count_helpers import D, M, ballots, candidates, cid, count, inp, spread
from count_strategies import ELIGIBLE, main_rounds, round_ballots, settings, voters_for
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from linli.plugins.elections.rules.bundle import round_result_json
from linli.plugins.elections.rules.count import decide, tally
from linli.plugins.elections.rules.model import Ballot, Kind, Round, Seats, Status

FAST = hsettings(max_examples=100, deadline=None)


@st.composite
def one_round(draw):
    main = draw(main_rounds())
    bs = draw(round_ballots(main, max_size=30))
    voters = draw(voters_for(len(bs)))
    roll = draw(st.integers(1, 2 * max(voters, 1)))
    return main, bs, voters, roll, draw(settings())


def result_of(main, bs, voters, roll, s):
    t = tally(main, bs, s, ELIGIBLE)
    return t, decide(t, voters=voters, roll_size=roll, settings=s)


@FAST
@given(one_round(), st.randoms(use_true_random=False))
def test_E13_result_does_not_depend_on_ballot_order(case, rnd: random.Random):
    main, bs, voters, roll, s = case
    shuffled = list(bs)
    rnd.shuffle(shuffled)
    assert round_result_json(result_of(main, bs, voters, roll, s)[1]) == round_result_json(
        result_of(main, shuffled, voters, roll, s)[1])


@FAST
@given(one_round())
def test_E13_a_ballot_abstaining_on_everyone_never_makes_anyone_pass(case):
    main, bs, voters, roll, s = case
    abstain = Ballot("zz", {c.id: "ABSTAIN" for c in main.candidates})
    before_t, before = result_of(main, bs, voters, roll, s)
    after_t, after = result_of(main, [*bs, abstain], voters + 1, roll, s)
    for i, post in enumerate(main.posts):
        assert after_t.votes[i] == before_t.votes[i]  # the totals do not move
        bar_before, bar_after = before.posts[i].bar if before.posts else None, (
            after.posts[i].bar if after.posts else None)
        if bar_before is None or bar_after is None:
            continue
        for person, votes in after_t.votes[i].items():
            if bar_after.passes(votes):
                assert bar_before.passes(votes), (post, person)
    if len(main.posts) == 1 and before.posts and after.posts:
        passing_before = {p for p, v in before.posts[0].totals if before.posts[0].bar.passes(v)}
        assert set(after.posts[0].elected) <= passing_before


@FAST
@given(one_round())
def test_E13_more_votes_never_place_below_fewer_within_a_post(case):
    main, bs, voters, roll, s = case
    _, result = result_of(main, bs, voters, roll, s)
    for post in result.posts:
        if post.status is Status.PENDING:
            continue
        order = [p for p, _ in post.totals]
        votes = dict(post.totals)
        settled = set(post.elected) | (set(post.tie[0]) if post.tie else set())
        for p in order:
            for q in order:
                if votes[p] > votes[q]:
                    assert order.index(p) < order.index(q)
                    if q in settled:  # q won or is tied for the last seat: p won
                        assert p in post.elected, (post.post, p, q)


@hsettings(max_examples=100, deadline=None)
@given(st.integers(1, 1200), st.data())
def test_E13_E14_exact_thresholds(n, data):
    v = data.draw(st.integers(0, n))
    posts = (Seats(D, 1),)
    main = Round("main", Kind.MAIN, posts, candidates(D, "x"))
    result = count(posts, [inp(main, ballots(spread(n, {cid(D, "x"): v})))], roll=n)
    assert (result.rounds[0].posts[0].elected == ("x",)) is (2 * v > n)
    if 2 * v <= n:  # x goes to the runoff alone; at least a third of its ballots wins
        runoff = Round("r", Kind.RUNOFF, posts, candidates(D, "x", prefix="r/"), parent="main")
        w = data.draw(st.integers(0, n))
        rb = ballots(spread(n, {f"r/{D}:x": w}), prefix="r")
        both = count(posts, [inp(main, ballots(spread(n, {cid(D, "x"): v}))), inp(runoff, rb)],
                     roll=n)
        assert (both.rounds[1].posts[0].elected == ("x",)) is (3 * w >= n)


@FAST
@given(one_round())
def test_E6_invalid_ballots_stay_in_the_denominator(case):
    main, bs, voters, roll, s = case
    _, result = result_of(main, bs, voters, roll, s)
    if result.posts and main.kind is Kind.MAIN and s.denominator == "BALLOTS":
        for post in result.posts:
            assert post.bar.value * 2 == len(bs)
            assert post.invalid_ballots <= len(bs)
    for post in result.posts:
        if post.post is M and post.status is not Status.PENDING:
            assert len(post.elected) <= post.seats


@FAST
@given(one_round())
def test_E13_grouping_ballots_by_content_changes_nothing(case):
    """The count folds ballots with the same FOR marks into groups; with groups folded after
    every ballot (no grouping at all) the result is the same."""
    from linli.plugins.elections.rules import count as count_module

    main, bs, voters, roll, s = case
    grouped = round_result_json(result_of(main, bs, voters, roll, s)[1])
    saved = count_module._GROUPS_LIMIT
    count_module._GROUPS_LIMIT = 1
    try:
        ungrouped = round_result_json(result_of(main, bs, voters, roll, s)[1])
    finally:
        count_module._GROUPS_LIMIT = saved
    assert grouped == ungrouped
