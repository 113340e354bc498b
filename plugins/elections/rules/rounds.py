"""An election's rounds as a whole: what follows what (the state machine of ``model``), and
the election's outcome.

A tie vote completes the round whose last seat(s) tied (its ``parent``), post by post; a
repeated round (after an invalid one) replaces it; the main round's open seats go to one
runoff; the runoff's open seats are flagged for a new election (E14). Every round after the
first must be one the state machine asks for, with the right candidates and seats:
``count_election`` refuses a sequence of rounds that is not (ValueError), so a published
result cannot rest on a runoff among the wrong people.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Container, Iterable, Mapping, Sequence

from .count import RoundResult, Tally, decide, tally
from .model import (
    FIRST_KINDS,
    KIND_RULES,
    POST_RANK,
    TRANSITIONS,
    Ballot,
    Channel,
    CountSettings,
    Kind,
    Outcome,
    Post,
    Round,
    Seats,
    Status,
    Step,
)


@dataclasses.dataclass(frozen=True, slots=True)
class RoundInput:
    """A round with what the count needs: participation by channel, the ballots (an iterable
    read once, or a callable returning one) and the persons a write-in may validly name."""

    round: Round
    participation: Mapping[str, int]
    ballots: Iterable[Ballot] | Callable[[], Iterable[Ballot]]
    eligible_write_ins: Container[str] = frozenset()

    def __post_init__(self) -> None:
        channels = {str(c) for c in Channel}
        if not set(map(str, self.participation)) <= channels or any(
                not isinstance(v, int) or v < 0 for v in self.participation.values()):
            raise ValueError("participation is counted per channel (E7, E11), whole numbers")

    @property
    def voters(self) -> int:
        return sum(self.participation.values())

    def iter_ballots(self) -> Iterable[Ballot]:
        return self.ballots() if callable(self.ballots) else self.ballots


@dataclasses.dataclass(frozen=True, slots=True)
class Expected:
    """A round the state machine asks for. ``persons``: post -> who is on its ballot (None:
    not fixed by the count, e.g. a main round without a primary for that post)."""

    kind: Kind
    parent: str | None
    posts: tuple[Seats, ...]
    persons: Mapping[Post, frozenset[str] | None]

    def matches(self, round_: Round) -> bool:
        if (round_.kind, round_.parent, round_.posts) != (self.kind, self.parent, self.posts):
            return False
        for post, persons in self.persons.items():
            listed = frozenset(c.person for c in round_.candidates if c.post is post)
            if persons is not None and listed != persons:
                return False
        return True


@dataclasses.dataclass(frozen=True, slots=True)
class ElectionResult:
    rounds: tuple[RoundResult, ...]
    elected: tuple[tuple[Post, tuple[str, ...]], ...]  # per post, highest first
    next: tuple[Expected, ...]  # rounds still to hold
    new_election: tuple[Seats, ...]  # seats flagged for a new election (E14)
    within_months: int

    @property
    def status(self) -> str:
        if self.next:
            return "NEXT_ROUND"
        return "NEW_ELECTION" if self.new_election else "COMPLETE"


class _Fold:
    """Results of a prefix of the rounds: a round's result uses its tie votes in the prefix."""

    def __init__(self, tallies: Sequence[Tally], voters: Sequence[int], roll_size: int,
                 settings: CountSettings) -> None:
        self.tallies, self.voters = tallies, voters
        self.roll_size, self.settings = roll_size, settings
        self.rounds = [t.round for t in tallies]
        self._memo: dict[int, RoundResult] = {}

    def tie_votes(self, i: int, post: Post) -> list[int]:
        parent = self.rounds[i].id
        return [j for j, r in enumerate(self.rounds)
                if r.kind is Kind.TIE_VOTE and r.parent == parent and r.post is post]

    def result(self, i: int) -> RoundResult:
        if i not in self._memo:
            decisions = {}
            for seats in self.rounds[i].posts:
                children = self.tie_votes(i, seats.post)
                if children:
                    last = self.result(children[-1])
                    if last.outcome is Outcome.FILLED:
                        decisions[seats.post] = (last.posts[0].elected, last.round.id)
            self._memo[i] = decide(self.tallies[i], voters=self.voters[i],
                                   roll_size=self.roll_size, settings=self.settings,
                                   decisions=decisions)
        return self._memo[i]

    def superseded(self, i: int) -> bool:
        """A later round of the same kind, parent and posts repeats (replaces) round i."""
        r = self.rounds[i]
        return any((s.kind, s.parent, s.post) == (r.kind, r.parent, r.post)
                   and s.kind is not Kind.RECALL for s in self.rounds[i + 1:])

    def last(self, kind: Kind, parent: str | None = None) -> int | None:
        found = [i for i, r in enumerate(self.rounds) if r.kind is kind and r.parent == parent]
        return found[-1] if found else None


def _runoff(main: RoundResult, settings: CountSettings) -> tuple[Expected | None, list[Seats]]:
    """E14: the runoff after a decided main round, and the open seats nobody can contest."""
    won = {p for post in main.posts for p in post.elected}
    posts, persons, uncontested = [], {}, []
    for post in main.posts:
        if post.open_seats == 0:
            continue
        ranked = [(p, v) for p, v in post.totals if p not in won]
        k = settings.runoff_candidates_per_seat * post.open_seats
        if len(ranked) > k:  # a tie at the cut-off takes everyone tied into the runoff
            ranked = [(p, v) for p, v in ranked if v >= ranked[k - 1][1]]
        if not ranked:
            uncontested.append(Seats(post.post, post.open_seats))
            continue
        posts.append(Seats(post.post, post.open_seats))
        persons[post.post] = frozenset(p for p, _ in ranked)
    if not posts:
        return None, uncontested
    return Expected(Kind.RUNOFF, main.round.id, tuple(posts), persons), uncontested


def _follow_ups(fold: _Fold, election_posts: tuple[Seats, ...]) -> tuple[list[Expected],
                                                                          list[Seats]]:
    """The rounds the state machine asks for after the prefix, and seats for a new election."""
    expected: list[Expected] = []
    new_election: list[Seats] = []
    settings = fold.settings
    for i, r in enumerate(fold.rounds):
        if fold.superseded(i):
            continue
        res = fold.result(i)
        step = TRANSITIONS[(r.kind, res.outcome)]
        if step is Step.REPEAT:
            # The same round again, with the same people on its ballot.
            expected.append(Expected(r.kind, r.parent, r.posts, {
                s.post: frozenset(c.person for c in r.candidates if c.post is s.post)
                for s in r.posts}))
        elif step is Step.TIE_VOTE:
            for post in res.posts:
                if post.status is Status.TIE and not fold.tie_votes(i, post.post):
                    tied, left = post.tie
                    expected.append(Expected(Kind.TIE_VOTE, r.id, (Seats(post.post, left),),
                                             {post.post: frozenset(tied)}))
        elif step is Step.RUNOFF:
            if fold.last(Kind.MAIN) != i:
                continue
            runoff, uncontested = _runoff(res, settings)
            new_election += uncontested
            if runoff is not None and fold.last(Kind.RUNOFF, r.id) is None:
                expected.append(runoff)
        elif step is Step.NEW_ELECTION:
            new_election += [Seats(p.post, p.open_seats) for p in res.posts if p.open_seats]
        elif step is Step.SLATE and fold.last(Kind.MAIN) is None:
            slate = {p.post: frozenset(p.elected) for p in res.posts}
            expected.append(Expected(Kind.MAIN, None, election_posts,
                                     {s.post: slate.get(s.post) for s in election_posts}))
    merged: dict[Post, int] = {}
    for s in new_election:
        merged[s.post] = merged.get(s.post, 0) + s.seats
    return expected, [Seats(p, n) for p, n in sorted(merged.items(), key=lambda x: POST_RANK[x[0]])]


def count_election(
    posts: Sequence[Seats],
    rounds: Sequence[RoundInput],
    *,
    roll_size: int,
    settings: CountSettings,
) -> ElectionResult:
    """Count every round (each one's ballots streamed once) and fold them into the result."""
    election_posts = tuple(posts)
    tallies = [tally(ri.round, ri.iter_ballots(), settings, ri.eligible_write_ins)
               for ri in rounds]
    voters = [ri.voters for ri in rounds]
    ids = [ri.round.id for ri in rounds]
    if len(set(ids)) != len(ids):
        raise ValueError("round ids are unique in an election")
    for k, ri in enumerate(rounds):
        if not KIND_RULES[ri.round.kind].proxies and ri.participation.get(Channel.PROXY, 0):
            raise ValueError(f"round {ri.round.id}: no proxy voting at a primary (E5)")
        if k == 0:
            ok = _first_ok(ri.round, election_posts, settings)
        else:
            prefix = _Fold(tallies[:k], voters[:k], roll_size, settings)
            ok = any(e.matches(ri.round) for e in _follow_ups(prefix, election_posts)[0])
        if not ok:
            raise ValueError(f"round {ri.round.id} is not a round the rules call for here")
    fold = _Fold(tallies, voters, roll_size, settings)
    expected, new_election = _follow_ups(fold, election_posts)
    results = tuple(fold.result(i) for i in range(len(rounds)))
    return ElectionResult(results, _elected(fold), tuple(expected), tuple(new_election),
                          settings.new_election_within_months)


def _first_ok(round_: Round, election_posts: tuple[Seats, ...], settings: CountSettings) -> bool:
    """The first round: a recall, a main round for the election's posts, or a primary for
    some of them with the slate's size as its seats (E5)."""
    if round_.kind not in FIRST_KINDS:
        return False
    if round_.kind is Kind.MAIN:
        return round_.posts == election_posts
    if round_.kind is Kind.PRIMARY:
        seats = {s.post: s.seats for s in election_posts}
        return all(s.post in seats and s.seats == settings.slate_size(s.post, seats[s.post])
                   for s in round_.posts)
    return True


def _elected(fold: _Fold) -> tuple[tuple[Post, tuple[str, ...]], ...]:
    """Who holds a post: the effective main round's winners and its runoff's, in post order;
    with no main round, a primary's slate or a recall's outcome is what the rounds decided."""
    main = fold.last(Kind.MAIN)
    sources = []
    if main is not None:
        sources.append(fold.result(main))
        runoff = fold.last(Kind.RUNOFF, fold.rounds[main].id)
        if runoff is not None:
            sources.append(fold.result(runoff))
    else:
        first = fold.last(Kind.PRIMARY) if fold.last(Kind.PRIMARY) is not None else fold.last(
            Kind.RECALL)
        if first is not None:
            sources.append(fold.result(first))
    elected: dict[Post, list[str]] = {}
    for res in sources:
        for post in res.posts:
            elected.setdefault(post.post, []).extend(post.elected)
    return tuple((p, tuple(v)) for p, v in sorted(elected.items(), key=lambda x: POST_RANK[x[0]]))
