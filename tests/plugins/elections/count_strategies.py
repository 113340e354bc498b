"""Hypothesis strategies: small elections (so that ties, overvotes and runoffs are common),
their ballots, and whole elections played round after round as the state machine asks."""

from __future__ import annotations

import dataclasses
import random

from count_helpers import DD, D, M, candidates, code, inp, round_for
from hypothesis import strategies as st

from linli.plugins.elections.rules.model import (
    Ballot,
    CountSettings,
    Denominator,
    Kind,
    Post,
    Round,
    Seats,
)
from linli.plugins.elections.rules.rounds import RoundInput, count_election

PEOPLE = ["p1", "p2", "p3", "p4", "p5", "p6"]
WRITE_IN_POOL = ["w1", "w2", "p1", "p6"]  # p1/p6 may be on the slate too
ELIGIBLE = frozenset({"w1", "p1", "p6"})  # w2 is not eligible
CHOICE = st.sampled_from(["FOR", "FOR", "FOR", "AGAINST", "ABSTAIN", None])


@st.composite
def settings(draw) -> CountSettings:
    return CountSettings(
        denominator=draw(st.sampled_from([Denominator.BALLOTS, Denominator.BALLOTS,
                                          Denominator.ROLL])),
        runoff_candidates_per_seat=draw(st.sampled_from([2, 2, 1, 3])),
        carry_down=draw(st.booleans()),
    )


@st.composite
def main_rounds(draw) -> Round:
    posts = [Seats(D, 1)]
    if draw(st.booleans()):
        posts.append(Seats(DD, draw(st.integers(1, 2))))
    posts.append(Seats(M, draw(st.integers(1, 3))))
    cands = ()
    for s in posts:
        persons = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=4, unique=True))
        cands += candidates(s.post, *persons)
    return Round("main", Kind.MAIN, tuple(posts), cands)


@st.composite
def popularity(draw, round_: Round) -> dict[str, list[str]]:
    """Per post, the candidate ids repeated by popularity (so that some win outright)."""
    weights = {}
    for s in round_.posts:
        ids = [c.id for c in round_.candidates if c.post is s.post]
        weights[s.post] = [i for i in ids for _ in range(draw(st.sampled_from([1, 1, 3, 6])))]
    return weights


def ballot_marks(rnd: random.Random, round_: Round, weights, write_ins: bool) -> tuple[dict,
                                                                                     tuple]:
    """One ballot's content. Drawn with a seeded Random (hypothesis draws the seed): a draw
    per mark made the tests slow on a shared machine, for no better elections."""
    marks = {}
    for s in round_.posts:
        over = rnd.randrange(10) == 0  # now and then more FOR than seats
        k = rnd.choice([s.seats, s.seats, *range(s.seats + over + 1)])
        chosen: list[str] = []
        pool = list(weights[s.post])
        rnd.shuffle(pool)  # popular ones come first more often
        for cid in pool:
            if len(chosen) == k:
                break
            if cid not in chosen:
                chosen.append(cid)
        for c in round_.candidates:
            if c.post is not s.post:
                continue
            if c.id in chosen:
                marks[c.id] = "FOR"
            else:
                other = rnd.choice(["AGAINST", "ABSTAIN", None, None])
                if other is not None:
                    marks[c.id] = other
    wis: tuple = ()
    if write_ins and rnd.randrange(5) == 0:
        wis = tuple((rnd.choice([str(s.post) for s in round_.posts]), rnd.choice(WRITE_IN_POOL))
                    for _ in range(rnd.randrange(3)))
    elif rnd.randrange(16) == 0:  # a write-in where none is admitted
        wis = ((str(round_.posts[0].post), "w1"),)
    return marks, wis


@st.composite
def round_ballots(draw, round_: Round, max_size: int = 24, prefix: str = "",
                  min_size: int = 0) -> list[Ballot]:
    n = draw(st.integers(min_size, max(min_size, max_size)))
    weights = draw(popularity(round_))
    rnd = random.Random(draw(st.integers(0, 2**32)))
    out = []
    for i in range(n):
        marks, wis = ballot_marks(rnd, round_, weights, write_ins=round_.kind is Kind.MAIN)
        out.append(Ballot(code(i, prefix), marks, wis))
    return out


@st.composite
def voters_for(draw, n: int) -> int:
    return max(0, n + draw(st.sampled_from([0, 0, 0, 0, 0, 1, 2, -1])))


@st.composite
def elections(draw, max_rounds: int = 5):
    """(posts, rounds, roll, settings): a first round (a main round; now and then a primary
    for the members or a recall) and the follow-ups the count asks for, as they come."""
    s = draw(settings())
    main = draw(main_rounds())
    roll = draw(st.integers(1, 24))
    # mostly more than half of the roll votes (so that rounds are valid), now and then not
    size = st.one_of(st.just(roll // 2 + 1), st.integers(0, roll))
    first = draw(st.sampled_from(["MAIN"] * 6 + ["PRIMARY", "PRIMARY", "RECALL"]))
    if first == "PRIMARY":
        member = next(x for x in main.posts if x.post is M)
        nominees = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=6, unique=True))
        opening = Round("primary", Kind.PRIMARY, (Seats(M, s.slate_size(M, member.seats)),),
                        candidates(M, *nominees, prefix="primary/"))
    elif first == "RECALL":
        opening = Round("recall", Kind.RECALL, (Seats(Post.RECALL, 1),),
                        candidates(Post.RECALL, "p1"), signatures=draw(st.integers(0, roll)))
    else:
        opening = main
    bs = draw(round_ballots(opening, min_size=draw(size), max_size=roll))
    voters = draw(voters_for(len(bs)))
    rounds: list[RoundInput] = [inp(opening, bs, voters, ELIGIBLE)]
    for step in range(max_rounds - 1):
        result = count_election(main.posts, rounds, roll_size=roll, settings=s)
        if not result.next:
            break
        wanted = draw(st.sampled_from(result.next))
        if wanted.kind is Kind.MAIN:  # after the primary: its slate, the drawn people elsewhere
            persons = {x.post: wanted.persons[x.post] or frozenset(
                c.person for c in main.candidates if c.post is x.post) for x in wanted.posts}
            wanted = dataclasses.replace(wanted, persons=persons)
        nxt = round_for(wanted, f"r{step}")
        bs = draw(round_ballots(nxt, prefix=f"{step}-", min_size=draw(size), max_size=roll))
        rounds.append(inp(nxt, bs, draw(voters_for(len(bs))), ELIGIBLE if nxt.kind is Kind.MAIN
                          else frozenset()))
    return main.posts, rounds, roll, s
