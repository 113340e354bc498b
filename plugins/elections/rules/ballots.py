"""Ballot validity (E6): what one ballot validly chooses, post by post.

A ballot *chooses* a person for a post by a FOR mark on a candidate of that post or by a
write-in for that post. Per post:

- it chooses more distinct people than the post has seats in this round → the ballot is
  invalid for that post (nothing it says about the post counts; the ballot still counts in
  every denominator, E13);
- otherwise each FOR mark counts, and each write-in counts if the round admits write-ins
  (the main round only) and the person written in is eligible; an ineligible write-in is an
  invalid mark, and only that mark is dropped. It still counted as a choice above: the voter
  chose that many people on paper.

AGAINST and ABSTAIN choose nobody. A mark on a candidate who is not on this round's ballot,
a choice that is not FOR/AGAINST/ABSTAIN, or a write-in for a post the round does not
contest is not a ballot of this round at all: the reader refuses it (ValueError) instead of
guessing, since it can only come from a bug or tampering.
"""

from __future__ import annotations

from collections.abc import Container

from .model import KIND_RULES, Ballot, Choice, Round

_FOR = Choice.FOR.value
_CHOICES = frozenset(c.value for c in Choice)


class BallotReader:
    """Reads ballots of one round; built once per round so that reading is a dict lookup."""

    __slots__ = ("_candidates", "_eligible", "_index", "_seats", "posts")

    def __init__(self, round_: Round, eligible_write_ins: Container[str] = frozenset()) -> None:
        self.posts = tuple(s.post for s in round_.posts)
        self._index = {str(post): i for i, post in enumerate(self.posts)}
        self._seats = tuple(s.seats for s in round_.posts)
        self._candidates = {
            c.id: (self._index[str(c.post)], c.person) for c in round_.candidates
        }
        # Outside the main round no write-in is eligible (E14: a runoff is among the listed).
        self._eligible: Container[str] = (
            eligible_write_ins if KIND_RULES[round_.kind].write_ins else frozenset()
        )

    def eligible(self, person: str) -> bool:
        return person in self._eligible

    def read(self, ballot: Ballot) -> tuple[list[set[str] | None], list[int]]:
        """Per post of the round: the set of people validly chosen, or None if the ballot is
        invalid for that post; and per post the number of ineligible write-ins dropped."""
        n = len(self.posts)
        valid: list[set[str]] = [set() for _ in range(n)]
        chosen: list[set[str]] | None = None  # only built when there are write-ins
        for candidate_id, choice in ballot.marks.items():
            where = self._candidates.get(candidate_id)
            if where is None:
                raise ValueError("a mark names a candidate who is not on this round's ballot")
            if choice == _FOR:
                valid[where[0]].add(where[1])
            elif choice not in _CHOICES:
                raise ValueError("a mark is FOR, AGAINST or ABSTAIN")
        dropped = [0] * n
        if ballot.write_ins:
            chosen = [set(s) for s in valid]
            bad: list[set[str]] = [set() for _ in range(n)]
            for post, person in ballot.write_ins:
                i = self._index.get(post)
                if i is None or not person:
                    raise ValueError("a write-in names a person for a post of this round")
                chosen[i].add(person)
                if person in self._eligible:
                    valid[i].add(person)
                elif person not in valid[i]:
                    bad[i].add(person)
            for i in range(n):
                dropped[i] = len(bad[i] - valid[i])
        counted = chosen if chosen is not None else valid
        result: list[set[str] | None] = [
            None if len(counted[i]) > self._seats[i] else valid[i] for i in range(n)
        ]
        return result, [0 if result[i] is None else dropped[i] for i in range(n)]
