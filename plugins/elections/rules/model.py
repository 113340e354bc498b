"""The count's plain data: posts, choices, rounds, settings, and the rounds' state machine.

Everything is immutable and made of strings, integers and tuples, so a round can be written
to the published bundle (E9) and read back by the standalone verifier without this package.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from enum import StrEnum
from fractions import Fraction


class Post(StrEnum):
    """E3's posts, highest first: the order in which posts are filled (E15)."""

    DIRECTOR = "DIRECTOR"
    DEPUTY_DIRECTOR = "DEPUTY_DIRECTOR"
    MEMBER = "MEMBER"
    # A recall vote (E17) is counted as a round with this one post and one "candidate".
    RECALL = "RECALL"


POST_RANK = {Post.DIRECTOR: 0, Post.DEPUTY_DIRECTOR: 1, Post.MEMBER: 2, Post.RECALL: 3}


class Choice(StrEnum):
    """E6: for each candidate, for, against or abstain. Only FOR chooses someone."""

    FOR = "FOR"
    AGAINST = "AGAINST"
    ABSTAIN = "ABSTAIN"


class Channel(StrEnum):
    """Where a participation was recorded (E7, E11); the bundle counts each."""

    ONLINE = "ONLINE"
    PROXY = "PROXY"
    MOBILE_BOX = "MOBILE_BOX"
    POLLING_STATION = "POLLING_STATION"


class Kind(StrEnum):
    """The kinds of round; all use the same ballot box and the same counting code."""

    PRIMARY = "PRIMARY"  # 预选 (E5): ranks nominees to the slate size
    MAIN = "MAIN"  # the election proper (E13)
    TIE_VOTE = "TIE_VOTE"  # a new vote between the tied for the last seat(s) (E13, E5)
    RUNOFF = "RUNOFF"  # 另行选举 (E14)
    RECALL = "RECALL"  # 罢免 (E17)


class Threshold(StrEnum):
    """How a round decides who passes."""

    MAJORITY = "MAJORITY"  # more than half of the denominator (E13, E17)
    ONE_THIRD = "ONE_THIRD"  # at least one third of the round's ballots (E14)
    PLURALITY = "PLURALITY"  # everyone passes; the highest take the seats (E5, tie votes)


class Status(StrEnum):
    """A post's state after a round."""

    FILLED = "FILLED"  # every seat of the round is decided
    OPEN = "OPEN"  # fewer passed than seats: the rest stay open
    TIE = "TIE"  # a tie for the last seat(s): waiting for a tie vote
    PENDING = "PENDING"  # a higher post waits for a tie vote, and its winner leaves this one


class Outcome(StrEnum):
    """A round's state as a whole, the input of the state machine below."""

    INVALID = "INVALID"  # E12 (or a recall proposal short of one fifth, E17)
    TIE = "TIE"
    OPEN = "OPEN"
    FILLED = "FILLED"
    RECALLED = "RECALLED"
    NOT_RECALLED = "NOT_RECALLED"


class Step(StrEnum):
    """What follows a round (the state machine's targets)."""

    REPEAT = "REPEAT"  # the same round is voted again (E12)
    TIE_VOTE = "TIE_VOTE"
    RUNOFF = "RUNOFF"
    NEW_ELECTION = "NEW_ELECTION"  # flag: a new election within the setting's months (E14)
    BACK_TO_PARENT = "BACK_TO_PARENT"  # a tie vote's winners complete the round that tied
    SLATE = "SLATE"  # a primary's winners are the slate for its posts (E5)
    DONE = "DONE"


@dataclasses.dataclass(frozen=True, slots=True)
class KindRules:
    """How one kind of round is counted."""

    threshold: Threshold
    exclusive: bool  # a person wins at most one post, higher posts first (E15)
    carry_down: bool  # the settings' carry-down may apply (only where posts are first contested)
    write_ins: bool  # write-ins may be valid (E6); elsewhere a write-in is an invalid mark
    proxies: bool = True  # proxy voting is allowed (E10), except at a primary (E5)


_P, _M, _T = Threshold.PLURALITY, Threshold.MAJORITY, Threshold.ONE_THIRD
KIND_RULES: Mapping[Kind, KindRules] = {
    Kind.PRIMARY: KindRules(_P, exclusive=False, carry_down=False, write_ins=False,
                            proxies=False),
    Kind.MAIN: KindRules(_M, exclusive=True, carry_down=True, write_ins=True),
    Kind.TIE_VOTE: KindRules(_P, exclusive=True, carry_down=False, write_ins=False),
    Kind.RUNOFF: KindRules(_T, exclusive=True, carry_down=False, write_ins=False),
    Kind.RECALL: KindRules(_M, exclusive=True, carry_down=False, write_ins=False),
}

# The state machine: (kind of round, its outcome) -> what follows. A round whose outcome is
# TIE gets a tie vote for each tied post; OPEN seats of the main round go to one runoff; OPEN
# seats after the runoff are flagged for a new election. An invalid round is voted again,
# except a recall, which simply fails (the member stays; a new proposal may follow).
TRANSITIONS: Mapping[tuple[Kind, Outcome], Step] = {
    (Kind.PRIMARY, Outcome.INVALID): Step.REPEAT,
    (Kind.PRIMARY, Outcome.TIE): Step.TIE_VOTE,
    (Kind.PRIMARY, Outcome.OPEN): Step.SLATE,
    (Kind.PRIMARY, Outcome.FILLED): Step.SLATE,
    (Kind.MAIN, Outcome.INVALID): Step.REPEAT,
    (Kind.MAIN, Outcome.TIE): Step.TIE_VOTE,
    (Kind.MAIN, Outcome.OPEN): Step.RUNOFF,
    (Kind.MAIN, Outcome.FILLED): Step.DONE,
    (Kind.TIE_VOTE, Outcome.INVALID): Step.REPEAT,
    (Kind.TIE_VOTE, Outcome.TIE): Step.TIE_VOTE,
    (Kind.TIE_VOTE, Outcome.FILLED): Step.BACK_TO_PARENT,
    (Kind.RUNOFF, Outcome.INVALID): Step.REPEAT,
    (Kind.RUNOFF, Outcome.TIE): Step.TIE_VOTE,
    (Kind.RUNOFF, Outcome.OPEN): Step.NEW_ELECTION,
    (Kind.RUNOFF, Outcome.FILLED): Step.DONE,
    (Kind.RECALL, Outcome.INVALID): Step.DONE,
    (Kind.RECALL, Outcome.RECALLED): Step.DONE,
    (Kind.RECALL, Outcome.NOT_RECALLED): Step.DONE,
}

# The kinds an election's first round may have; every later round must be a follow-up the
# state machine asks for.
FIRST_KINDS = frozenset({Kind.PRIMARY, Kind.MAIN, Kind.RECALL})


class Denominator(StrEnum):
    """E13's setting: of the ballots cast (default) or of the roll."""

    BALLOTS = "BALLOTS"
    ROLL = "ROLL"


@dataclasses.dataclass(frozen=True, slots=True)
class CountSettings:
    """Every *setting* of DOMAIN.md that the count reads, with DOMAIN.md's defaults.

    The plugin's per-community settings feed this later; the bundle publishes it (E9).
    """

    # E13: a winner needs more than half of the ballots cast (invalid ones included) or,
    # where the province says so, of the roll.
    denominator: Denominator = Denominator.BALLOTS
    # E14: the runoff takes the highest-placed non-winners, this many per open seat.
    runoff_candidates_per_seat: int = 2
    # E14: seats still open after the runoff: a new election within this many months.
    new_election_within_months: int = 3
    # E15: votes carry down (director -> deputy -> member) and winners leave lower posts.
    carry_down: bool = True
    # E5: the slate's size for each post is its seats plus this many (members: 1 or 2).
    slate_extra_director: int = 1
    slate_extra_deputy: int = 1
    slate_extra_member: int = 1

    def __post_init__(self) -> None:
        if self.runoff_candidates_per_seat < 1 or self.new_election_within_months < 1:
            raise ValueError("runoff_candidates_per_seat and new_election_within_months >= 1")
        if not (self.slate_extra_director >= 1 and self.slate_extra_deputy >= 1):
            raise ValueError("E5: the slate has more candidates than seats")
        if self.slate_extra_member not in (1, 2):
            raise ValueError("E5: members' slate is seats + 1 or 2")

    def slate_size(self, post: Post, seats: int) -> int:
        extra = {
            Post.DIRECTOR: self.slate_extra_director,
            Post.DEPUTY_DIRECTOR: self.slate_extra_deputy,
            Post.MEMBER: self.slate_extra_member,
        }[post]
        return seats + extra

    def as_json(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)} | {
            "denominator": str(self.denominator)
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> CountSettings:
        return cls(**{**data, "denominator": Denominator(data["denominator"])})  # type: ignore[arg-type]


# Fixed rules (not settings): E12 more than half of the roll; E14 at least one third; E17
# one fifth of the roll to propose, more than half of the roll to vote, more than half of
# those voting to pass.
TURNOUT_SHARE = Fraction(1, 2)
RUNOFF_SHARE = Fraction(1, 3)
RECALL_PROPOSAL_SHARE = Fraction(1, 5)


@dataclasses.dataclass(frozen=True, slots=True)
class Candidate:
    """A line of a round's ballot: ``id`` is what a mark names, ``person`` who it is.

    The same person may stand for several posts (carry-down adds their votes, E15); winning
    and leaving lower posts is decided per person.
    """

    id: str
    person: str
    post: Post
    name: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Seats:
    post: Post
    seats: int


@dataclasses.dataclass(frozen=True, slots=True)
class Round:
    """One round of voting: what is on its ballot and what it decides.

    ``parent``: the round a tie vote completes, or the main round a runoff follows. ``post``:
    the post a tie vote decides. ``signatures``: a recall's proposal (E17).
    """

    id: str
    kind: Kind
    posts: tuple[Seats, ...]
    candidates: tuple[Candidate, ...]
    parent: str | None = None
    signatures: int | None = None

    def __post_init__(self) -> None:
        ranks = [POST_RANK[s.post] for s in self.posts]
        if ranks != sorted(set(ranks)):
            raise ValueError("posts are listed once each, highest first")
        if any(s.seats < 1 for s in self.posts):
            raise ValueError("every post of a round has at least one seat")
        listed = {s.post for s in self.posts}
        if any(c.post not in listed for c in self.candidates):
            raise ValueError("a candidate stands for a post of the round")
        if len({c.id for c in self.candidates}) != len(self.candidates):
            raise ValueError("candidate ids are unique in a round")
        if len({(c.post, c.person) for c in self.candidates}) != len(self.candidates):
            raise ValueError("a person stands once per post")
        if self.kind is Kind.TIE_VOTE and (len(self.posts) != 1 or self.parent is None):
            raise ValueError("a tie vote decides one post of its parent round")
        if self.kind is Kind.RUNOFF and self.parent is None:
            raise ValueError("a runoff follows a main round")
        if self.kind is Kind.RECALL and (
            self.signatures is None or [s.post for s in self.posts] != [Post.RECALL]
            or len(self.candidates) != 1
        ):
            raise ValueError("a recall asks about one member, with its proposal's signatures")

    @property
    def post(self) -> Post | None:
        return self.posts[0].post if self.kind is Kind.TIE_VOTE else None


@dataclasses.dataclass(frozen=True, slots=True)
class Ballot:
    """What a ballot says (E6): ``marks`` candidate id -> choice; ``write_ins`` (post, person).

    Unmarked candidates are left blank (no choice). ``code`` is the random tracking code (E9).
    """

    code: str
    marks: Mapping[str, str]
    write_ins: Sequence[tuple[str, str]] = ()
