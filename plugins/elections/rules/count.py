"""The count of one round (E12, E13, E14, E15, E17), in exact integers and fractions.

``tally`` streams the round's ballots once and keeps one counter per (post, person): memory
is flat in the number of ballots. ``decide`` turns the tally into the round's result: the
round's validity, then post by post (highest first) who passes, who wins, a tie for the last
seat, seats left open. Thresholds are compared as integers (``2 * votes > denominator``) and
published as exact fractions; no float is ever involved.

Carry-down (E15, in the main round when the settings say so): a person's total for a post is
the number of ballots that validly chose them for that post *or a higher one*. A ballot that
chose the same person as director and as member counts once for them as member: a total is
a number of ballots, so that "more than half of the ballots" keeps its meaning. Without
carry-down the total is the ballots that chose them for that post. Either way a person who
wins a post leaves the lower posts (in rounds where posts are exclusive).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Container, Iterable, Mapping, Sequence
from fractions import Fraction

from .ballots import BallotReader
from .model import (
    KIND_RULES,
    RECALL_PROPOSAL_SHARE,
    RUNOFF_SHARE,
    TURNOUT_SHARE,
    Ballot,
    Choice,
    CountSettings,
    Denominator,
    Kind,
    Outcome,
    Post,
    Round,
    Status,
    Threshold,
)


@dataclasses.dataclass(slots=True)
class Tally:
    """A round's counters: ballots, and per post its invalid ballots and people's totals."""

    round: Round
    ballots: int
    invalid: list[int]
    ineligible: list[int]
    votes: list[dict[str, int]]
    written_in: dict[str, bool]  # every person written in -> whether the write-in counted


def carries_down(round_: Round, settings: CountSettings) -> bool:
    return KIND_RULES[round_.kind].carry_down and settings.carry_down


# Ballots without write-ins are grouped by the set of candidates they mark FOR (a bit mask)
# and counted per group; a group's effect is worked out once, by the same ballot reader.
# The number of groups is bounded by the slate (2 ** candidates), not by the ballots; past
# this many the groups are folded into the counters and the grouping starts again, so memory
# stays flat whatever the slate.
_GROUPS_LIMIT = 1 << 16
_FOR, _AGAINST, _ABSTAIN = Choice.FOR.value, Choice.AGAINST.value, Choice.ABSTAIN.value


class _Counters:
    """Per post: invalid ballots, ineligible write-ins dropped, and people's totals."""

    def __init__(self, n: int, carry: bool) -> None:
        self.n, self.carry = n, carry
        self.invalid = [0] * n
        self.ineligible = [0] * n
        self.votes: list[dict[str, int]] = [{} for _ in range(n)]

    def add(self, chosen: list[set[str] | None], dropped: list[int], weight: int) -> None:
        n, votes = self.n, self.votes
        # With carry-down a person counts once per ballot, at their highest validly chosen
        # post and every post below it; without, at each post that validly chose them.
        top: dict[str, int] = {}
        for i in range(n - 1, -1, -1):
            persons = chosen[i]
            if persons is None:
                self.invalid[i] += weight
                continue
            self.ineligible[i] += dropped[i] * weight
            if self.carry:
                for person in persons:
                    top[person] = i
            else:
                counts = votes[i]
                for person in persons:
                    counts[person] = counts.get(person, 0) + weight
        for person, i in top.items():
            for j in range(i, n):
                counts = votes[j]
                counts[person] = counts.get(person, 0) + weight


def tally(
    round_: Round,
    ballots: Iterable[Ballot],
    settings: CountSettings,
    eligible_write_ins: Container[str] = frozenset(),
) -> Tally:
    """Count a round's ballots in one pass (streaming: the iterable is read once)."""
    reader = BallotReader(round_, eligible_write_ins)
    counters = _Counters(len(round_.posts), carries_down(round_, settings))
    bits = {c.id: 1 << k for k, c in enumerate(round_.candidates)}
    ids = [c.id for c in round_.candidates]
    groups: dict[int, int] = {}

    def fold() -> None:
        for mask, weight in groups.items():
            marks = {ids[k]: _FOR for k in range(len(ids)) if mask >> k & 1}
            counters.add(*reader.read(Ballot("", marks)), weight)
        groups.clear()

    total = 0
    written: dict[str, bool] = {}
    for ballot in ballots:
        total += 1
        if ballot.write_ins:
            counters.add(*reader.read(ballot), 1)
            for _post, person in ballot.write_ins:
                if person not in written:
                    written[person] = reader.eligible(person)
            continue
        mask = 0
        for candidate_id, choice in ballot.marks.items():
            bit = bits.get(candidate_id)
            if bit is None:
                raise ValueError("a mark names a candidate who is not on this round's ballot")
            if choice == _FOR:
                mask |= bit
            elif choice != _AGAINST and choice != _ABSTAIN:
                raise ValueError("a mark is FOR, AGAINST or ABSTAIN")
        groups[mask] = groups.get(mask, 0) + 1
        if len(groups) >= _GROUPS_LIMIT:
            fold()
    fold()
    return Tally(round_, total, counters.invalid, counters.ineligible, counters.votes, written)


@dataclasses.dataclass(frozen=True, slots=True)
class Bar:
    """A threshold: pass iff ``votes > value`` (op ">") or ``votes >= value`` (op ">=")."""

    op: str
    value: Fraction

    def passes(self, votes: int) -> bool:
        return votes > self.value if self.op == ">" else votes >= self.value


@dataclasses.dataclass(frozen=True, slots=True)
class PostResult:
    post: Post
    seats: int
    status: Status
    invalid_ballots: int
    ineligible_write_ins: int
    bar: Bar | None
    totals: tuple[tuple[str, int], ...]  # votes descending, then person id
    elected: tuple[str, ...]  # in the order of totals
    tie: tuple[tuple[str, ...], int] | None  # (the tied, seats among them)
    decided_by: str | None  # the tie vote that completed this post

    @property
    def open_seats(self) -> int:
        return self.seats - len(self.elected) if self.status is Status.OPEN else 0


@dataclasses.dataclass(frozen=True, slots=True)
class RoundResult:
    round: Round
    outcome: Outcome
    invalid_reasons: tuple[str, ...]
    ballots: int
    voters: int
    posts: tuple[PostResult, ...]
    written_in: Mapping[str, bool] = dataclasses.field(default_factory=dict, compare=False)

    def post(self, post: Post) -> PostResult:
        return next(p for p in self.posts if p.post is post)


# Why a round is invalid, in the order they are listed.
PROPOSAL_SHORT = "PROPOSAL_SHORT"  # E17: fewer than one fifth of the roll proposed the recall
TURNOUT = "TURNOUT"  # E12: not more than half of the roll voted
MORE_BALLOTS_THAN_VOTERS = "MORE_BALLOTS_THAN_VOTERS"  # E12: nothing is dropped to fix it


def invalid_reasons(round_: Round, ballots: int, voters: int, roll_size: int) -> tuple[str, ...]:
    reasons = []
    if round_.kind is Kind.RECALL and (round_.signatures or 0) < RECALL_PROPOSAL_SHARE * roll_size:
        reasons.append(PROPOSAL_SHORT)
    if not voters > TURNOUT_SHARE * roll_size:
        reasons.append(TURNOUT)
    if ballots > voters:
        reasons.append(MORE_BALLOTS_THAN_VOTERS)
    return tuple(reasons)


def bar_for(round_: Round, ballots: int, roll_size: int, settings: CountSettings) -> Bar | None:
    threshold = KIND_RULES[round_.kind].threshold
    if threshold is Threshold.PLURALITY:
        return None
    if threshold is Threshold.ONE_THIRD:
        return Bar(">=", RUNOFF_SHARE * ballots)
    # E13's setting is about electing (the main round); a recall passes with more than half
    # of those voting (E17), whatever the setting.
    of_roll = round_.kind is Kind.MAIN and settings.denominator is Denominator.ROLL
    return Bar(">", Fraction(roll_size if of_roll else ballots, 2))


def decide(
    t: Tally,
    *,
    voters: int,
    roll_size: int,
    settings: CountSettings,
    decisions: Mapping[Post, tuple[Sequence[str], str]] | None = None,
) -> RoundResult:
    """The round's result from its tally. ``decisions``: post -> (the winners of the tie vote
    that completed it, that tie vote's id), for posts whose last seat(s) were tied."""
    round_ = t.round
    decisions = decisions or {}
    reasons = invalid_reasons(round_, t.ballots, voters, roll_size)
    if reasons:
        return RoundResult(round_, Outcome.INVALID, reasons, t.ballots, voters, (), t.written_in)
    rules = KIND_RULES[round_.kind]
    bar = bar_for(round_, t.ballots, roll_size, settings)
    taken: set[str] = set()  # winners of higher posts, who leave the lower ones
    waiting = False  # a higher post waits for a tie vote whose winner may leave this one
    posts = []
    for i, seats in enumerate(round_.posts):
        post, n = seats.post, seats.seats
        if waiting:
            posts.append(
                PostResult(post, n, Status.PENDING, t.invalid[i], t.ineligible[i], bar, (), (),
                           None, None)
            )
            continue
        counts = t.votes[i]
        persons = {c.person for c in round_.candidates if c.post is post} | counts.keys()
        totals = sorted(
            ((p, counts.get(p, 0)) for p in persons - taken), key=lambda pv: (-pv[1], pv[0])
        )
        passing = [pv for pv in totals if bar is None or bar.passes(pv[1])]
        tie = None
        decided_by = None
        if len(passing) <= n:
            won = {p for p, _ in passing}
            status = Status.FILLED if len(won) == n else Status.OPEN
        else:
            cut = passing[n - 1][1]
            won = {p for p, v in passing if v > cut}
            tied = tuple(sorted(p for p, v in passing if v == cut))
            left = n - len(won)
            if len(tied) == left:  # cannot happen (len(passing) > n), kept for clarity
                won |= set(tied)
                status = Status.FILLED
            else:
                tie = (tied, left)
                decision = decisions.get(post)
                if decision is not None:
                    winners, decided_by = decision
                    if len(winners) != left or not set(winners) <= set(tied):
                        raise ValueError("a tie vote's winners are among the tied, seats many")
                    won |= set(winners)
                    status = Status.FILLED
                else:
                    status = Status.TIE
                    waiting = rules.exclusive
        elected = tuple(p for p, _ in totals if p in won)
        if rules.exclusive:
            taken |= won
        posts.append(
            PostResult(post, n, status, t.invalid[i], t.ineligible[i], bar, tuple(totals),
                       elected, tie, decided_by)
        )
    if round_.kind is Kind.RECALL:
        outcome = Outcome.RECALLED if posts[0].elected else Outcome.NOT_RECALLED
    elif any(p.status is Status.TIE for p in posts):
        outcome = Outcome.TIE
    elif any(p.status is Status.OPEN for p in posts):
        outcome = Outcome.OPEN
    else:
        outcome = Outcome.FILLED
    return RoundResult(round_, outcome, (), t.ballots, voters, tuple(posts), t.written_in)


def recall_proposal_ok(signatures: int, roll_size: int) -> bool:
    """E17: a recall is proposed by at least one fifth of the roll."""
    return signatures >= RECALL_PROPOSAL_SHARE * roll_size
