"""E4 Nomination: voters nominate, alone or jointly; the nominee must be a voter and accept.

A voter nominates no more people for a post than it has seats, counting every nomination
the voter is named on (proposer or co-nominator, confirmed or not) that the nominee has not
declined. A person stands at most once per post: a second nomination of the same nominee
for the same post, by anyone, is ALREADY_NOMINATED (a declined one no longer counts).
Staff nominate only as voters: nothing here knows of staff, a nominator must be on the roll.
An election-committee member who accepts leaves the committee: ``accept`` says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Container, Iterable, Mapping, Sequence
from enum import StrEnum

from .model import Post
from .refusals import Code, Refused


class NominationStatus(StrEnum):
    AWAITING_CONFIRMATION = "AWAITING_CONFIRMATION"  # co-nominators have not all confirmed
    AWAITING_ANSWER = "AWAITING_ANSWER"  # the nominee has not accepted or declined
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"


@dataclasses.dataclass(frozen=True, slots=True)
class Nomination:
    post: Post
    nominee: str
    nominators: tuple[str, ...]  # the proposer first, then the co-nominators
    confirmed: frozenset[str] = frozenset()  # the co-nominators who confirmed
    answer: NominationStatus | None = None  # ACCEPTED or DECLINED, once the nominee answers

    @property
    def status(self) -> NominationStatus:
        if self.answer is not None:
            return self.answer
        if set(self.nominators[1:]) - self.confirmed:
            return NominationStatus.AWAITING_CONFIRMATION
        return NominationStatus.AWAITING_ANSWER

    @property
    def live(self) -> bool:
        return self.answer is not NominationStatus.DECLINED


def nominations_by(voter: str, post: Post, nominations: Iterable[Nomination]) -> int:
    return sum(1 for n in nominations if n.live and n.post == post and voter in n.nominators)


def nominate(post: Post, nominee: str, nominators: Sequence[str], seats: Mapping[Post, int],
             roll: Container[str], existing: Sequence[Nomination]) -> Nomination:
    """E4: a new nomination, or the refusal. ``nominators``: the proposer, then any
    co-nominators (who confirm with ``confirm``). ``seats``: the election's posts."""
    if seats.get(post, 0) < 1:
        raise Refused(Code.UNKNOWN_POST)
    people = tuple(dict.fromkeys(nominators))
    if not people:
        raise ValueError("a nomination has a proposer")
    for voter in people:
        if voter not in roll:
            raise Refused(Code.NOT_ON_ROLL)
    if nominee not in roll:
        raise Refused(Code.NOMINEE_NOT_ELIGIBLE)
    if any(n.live and n.post == post and n.nominee == nominee for n in existing):
        raise Refused(Code.ALREADY_NOMINATED)
    for voter in people:
        if nominations_by(voter, post, existing) >= seats[post]:
            raise Refused(Code.TOO_MANY_NOMINATIONS, post=str(post), seats=seats[post])
    return Nomination(post, nominee, people)


def confirm(nomination: Nomination, voter: str) -> Nomination:
    """A co-nominator confirms a joint nomination (the limit was checked when it was made)."""
    if voter not in nomination.nominators[1:]:
        raise Refused(Code.NOT_A_CO_NOMINATOR)
    if nomination.answer is not None:
        raise Refused(Code.ALREADY_DECIDED)
    return dataclasses.replace(nomination, confirmed=nomination.confirmed | {voter})


@dataclasses.dataclass(frozen=True, slots=True)
class Acceptance:
    nomination: Nomination
    leaves_committee: bool  # the nominee sat on the election committee: they leave it (E4)


def accept(nomination: Nomination, person: str, committee: Container[str]) -> Acceptance:
    """E4: the nominee accepts, once every co-nominator confirmed."""
    _check_answer(nomination, person)
    if nomination.status is NominationStatus.AWAITING_CONFIRMATION:
        raise Refused(Code.NOT_CONFIRMED)
    accepted = dataclasses.replace(nomination, answer=NominationStatus.ACCEPTED)
    return Acceptance(accepted, leaves_committee=person in committee)


def decline(nomination: Nomination, person: str) -> Nomination:
    """The nominee declines (also before the co-nominators confirmed): it no longer counts."""
    _check_answer(nomination, person)
    return dataclasses.replace(nomination, answer=NominationStatus.DECLINED)


def _check_answer(nomination: Nomination, person: str) -> None:
    if person != nomination.nominee:
        raise Refused(Code.NOT_THE_NOMINEE)
    if nomination.answer is not None:
        raise Refused(Code.ALREADY_DECIDED)


def accepted_nominees(nominations: Iterable[Nomination]) -> dict[Post, tuple[str, ...]]:
    """Per post, the accepted nominees (sorted ids): what the primary and the slate read."""
    out: dict[Post, list[str]] = {}
    for n in nominations:
        if n.answer is NominationStatus.ACCEPTED:
            out.setdefault(n.post, []).append(n.nominee)
    return {post: tuple(sorted(people)) for post, people in out.items()}
