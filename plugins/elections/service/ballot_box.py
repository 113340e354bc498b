"""The one ballot box (E6, E7, E8, E9, E10, E11): every round (primary, main, tie vote,
runoff, recall) is cast into it through every channel.

- ``cast``: online, for oneself or, holding a granted proxy, for the grantor (never at a
  primary, E5);
- ``record_mobile``: staff record a ballot at home with two scrutineers or more, none a
  candidate nor a candidate's close relative (E11);
- ``sign_in``: the polling station's desk records participation only (the paper goes into
  the box); tellers enter the sheets (``service.paper``).

Each cast writes the participation and the ballot in one transaction with no shared key
(E8, ``models.ballots``). The unique participation per (round, person) makes E7 the
database's rule: of concurrent casts for one voter, through any channels, one commits and the
others are ALREADY_VOTED. The ballot's marks are checked against the round's ballot (a mark
on someone not on it is INVALID_BALLOT) but never judged: a ballot choosing more people than
seats is recorded and counted invalid for that post (E6), as a spoilt paper ballot is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tortoise.expressions import Q

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.models import Person, ProxyGrant

from ..models import Candidate, Election, Nomination, Proxy, RollEntry
from ..models.ballots import Ballot, Participation, VotingRound
from ..rules.ballots import BallotReader
from ..rules.bundle import new_tracking_code
from ..rules.model import KIND_RULES, Channel, Choice, Kind
from ..rules.model import Ballot as PlainBallot
from . import rounds as rounds_service
from .common import load_for, person_of
from .turnout import TURNOUT

MIN_SCRUTINEERS = 2  # E11


def plain_marks(marks: Iterable[tuple[str, str]], write_ins: Iterable[tuple[str, str]],
                round_: VotingRound) -> tuple[dict[str, str], list[list[str]]]:
    """The ballot as stored: marks candidate id -> choice, write-ins [post, person]. A mark
    twice on one candidate, a choice that is not one, a candidate not on this round's ballot
    or a write-in for a post it does not contest: INVALID_BALLOT (the rules' reader says)."""
    out: dict[str, str] = {}
    for candidate, choice in marks:
        if candidate in out or choice not in {str(c) for c in Choice}:
            raise Refused("INVALID_BALLOT", field="marks")
        out[candidate] = choice
    written = sorted({(str(post), str(person)) for post, person in write_ins})
    try:
        BallotReader(rounds_service.plain_round(round_)).read(PlainBallot("", out, written))
    except ValueError:
        raise Refused("INVALID_BALLOT", field="marks") from None
    return out, [list(w) for w in written]


async def _on_roll(election: Election, person_id: int, field: str) -> None:
    if not await RollEntry.filter(election_id=election.pk, person_id=person_id).exists():
        raise Refused("NOT_ON_ROLL", field=field)


async def _put(election: Election, round_: VotingRound, *, person_id: int, channel: Channel,
               marks: Mapping[str, str], write_ins: Sequence[Sequence[str]],
               **participation: Any) -> str:
    """The participation and the ballot, in one transaction, E7 by the unique key. Returns
    the tracking code (shown once, stored nowhere else)."""
    code = new_tracking_code()
    await kit.create_unless_exists(
        Participation, refuse=Refused("ALREADY_VOTED"), round_id=round_.pk,
        person_id=person_id, channel=str(channel), **participation)
    await Ballot.create(round_id=round_.pk, code=code, marks=dict(marks),
                        write_ins=[list(w) for w in write_ins])
    await TURNOUT.publish(election_id=election.pk, community_id=election.community_id,
                          round=round_.number)
    return code


async def cast(actor: Actor, election_id: int, marks: Iterable[tuple[str, str]],
               write_ins: Iterable[tuple[str, str]], for_voter: int | None = None
               ) -> tuple[VotingRound, str]:
    """E7 an online ballot, for oneself or (E10) for the grantor of a proxy the caller holds."""
    election = await load_for(actor, election_id)
    me = person_of(actor)
    round_ = await rounds_service.open_round_for_casting(election)
    voter, channel, extra = me, Channel.ONLINE, {}
    if for_voter is not None and for_voter != me:
        if not KIND_RULES[Kind(round_.kind)].proxies:
            raise Refused("NO_PROXY_AT_PRIMARY", field="forVoter")
        held = await Proxy.filter(election_id=election.pk, grantor_person_id=for_voter,
                                  holder_person_id=me, status="GRANTED").exists()
        if not held:
            raise Refused("NOT_A_PROXY", field="forVoter")
        voter, channel, extra = for_voter, Channel.PROXY, {"cast_by_person_id": me}
    await _on_roll(election, voter, "forVoter" if voter != me else "electionId")
    ballot, written = plain_marks(marks, write_ins, round_)
    async with db.atomic():
        code = await _put(election, round_, person_id=voter, channel=channel, marks=ballot,
                          write_ins=written, **extra)
        if channel is Channel.PROXY:
            # That a proxy voted, and for whom: never what (the audit names no ballot).
            await audit.record(actor, "elections.cast_by_proxy", community_id=election.community_id,
                               object_type="Election", object_id=election.pk,
                               on_behalf_of_person_id=voter)
    return round_, code


async def _kin_of_candidates(election: Election, round_: VotingRound,
                             people: Sequence[int]) -> set[int]:
    """Of ``people``, those who stand in this election (the slate, the accepted nominees
    before it, the round's ballot) or are a candidate's close relative: the same household (core's
    Person.household), a proxy of this election between them, or a close-relative grant in
    core (either way)."""
    standing = set(await Candidate.filter(election_id=election.pk)
                   .values_list("person_id", flat=True))
    standing |= set(await Nomination.filter(election_id=election.pk, status="ACCEPTED")
                    .values_list("nominee_person_id", flat=True))
    standing |= {int(c["person"]) for c in round_.candidates if str(c["person"]).isdigit()}
    blocked = {p for p in people if p in standing}
    if not standing:
        return blocked
    households = {h for h in await Person.filter(pk__in=standing)
                  .values_list("household", flat=True) if h}
    if households:
        blocked |= set(await Person.filter(pk__in=people, household__in=households)
                       .values_list("id", flat=True))
    for grantor, holder in await Proxy.filter(election_id=election.pk).values_list(
            "grantor_person_id", "holder_person_id"):
        if grantor in standing and holder in people:
            blocked.add(holder)
        if holder in standing and grantor in people:
            blocked.add(grantor)
    everyone = [*people, *standing]
    grants = await ProxyGrant.filter(
        Q(person_id__in=everyone) | Q(account__person_id__in=everyone)
    ).values_list("person_id", "account__person_id")
    for person, grantee in grants:
        if person in standing and grantee in people:
            blocked.add(grantee)
        if grantee in standing and person in people:
            blocked.add(person)
    return blocked


async def record_mobile(actor: Actor, election_id: int, voter: int,
                        marks: Iterable[tuple[str, str]], write_ins: Iterable[tuple[str, str]],
                        scrutineers: Sequence[int]) -> tuple[VotingRound, str]:
    """E11 the mobile ballot box: staff record the ballot of a voter at home, with the
    scrutineers named on the record. The tracking code is printed for the voter."""
    election = await load_for(actor, election_id, "elections.manage")
    round_ = await rounds_service.open_round_for_casting(election)
    people = sorted(set(scrutineers))
    if len(people) < MIN_SCRUTINEERS or voter in people:
        raise Refused("SCRUTINEERS_REQUIRED", field="scrutineerIds", min=MIN_SCRUTINEERS)
    if await _kin_of_candidates(election, round_, people):
        raise Refused("SCRUTINEER_NOT_ALLOWED", field="scrutineerIds")
    await _on_roll(election, voter, "voterId")
    ballot, written = plain_marks(marks, write_ins, round_)
    async with db.atomic():
        code = await _put(election, round_, person_id=voter, channel=Channel.MOBILE_BOX,
                          marks=ballot, write_ins=written,
                          recorded_by_account_id=actor.account_id, scrutineers=people)
        await audit.record(actor, "elections.mobile_box", community_id=election.community_id,
                           object_type="Election", object_id=election.pk,
                           on_behalf_of_person_id=voter, scrutineers=people)
    return round_, code


async def sign_in(actor: Actor, election_id: int, voter: int) -> VotingRound:
    """The polling station's sign-in desk: the voter takes a paper ballot, and is recorded as
    having voted (no ballot row: the tellers enter the sheets from the box, ``paper``)."""
    election = await load_for(actor, election_id, "elections.manage")
    round_ = await rounds_service.open_round_for_casting(election)
    await _on_roll(election, voter, "voterId")
    async with db.atomic():
        await kit.create_unless_exists(
            Participation, refuse=Refused("ALREADY_VOTED", field="voterId"),
            round_id=round_.pk, person_id=voter, channel=str(Channel.POLLING_STATION),
            recorded_by_account_id=actor.account_id)
        await audit.record(actor, "elections.sign_in", community_id=election.community_id,
                           object_type="Election", object_id=election.pk,
                           on_behalf_of_person_id=voter)
        await TURNOUT.publish(election_id=election.pk, community_id=election.community_id,
                              round=round_.number)
    return round_
