"""The ballot box's API (part II): casting through every channel, closing and counting,
receipts, turnout, results, recall. Thin: each mutation is the kit's ``g.mutation`` (its
payload ``<VerbNoun>Payload { <result>, errors }``): it decodes its ids (a bad id is a payload
error) and calls one service function, a refusal becoming the payload's errors."""

from __future__ import annotations

from collections.abc import AsyncIterator

import strawberry
from strawberry.types import Info

from linli.core import graphql as g
from linli.core.errors import ApiError, Refused
from linli.core.graphql import GlobalID, pk

from ..models.ballots import PublishedBundle, VotingRound
from ..service import ballot_box, count, paper, recall, turnout
from ..service import rounds as rounds_service
from ..service.common import load_for
from .ballots_types import (
    BallotMarkInput,
    RecallProposalType,
    Receipt,
    ReceiptCheck,
    Result,
    Round,
    TurnoutType,
    WriteInInput,
)
from .elections import election_for
from .types import ElectionError


def _error(info: Info, refusal: Refused) -> ApiError:
    """A query's refusal with this plugin's message (its code's, never the value's)."""
    return ApiError(refusal.code, info.context.locale, plugin="elections", **refusal.params)


def _marks(marks: list[BallotMarkInput]) -> list[tuple[str, str]]:
    return [(m.candidate_id, m.choice.value) for m in marks]


def _receipt(done: tuple[VotingRound, str]) -> Receipt:
    row, code = done
    return Receipt(tracking_code=code, round=row.number)


def _write_ins(write_ins: list[WriteInInput] | None) -> list[tuple[str, str]]:
    return [(w.post, str(pk(w.person_id, "Person", field="writeIns")))
            for w in write_ins or []]


@strawberry.input
class CastBallotInput:
    election_id: GlobalID
    marks: list[BallotMarkInput]
    write_ins: list[WriteInInput] | None = None
    for_voter: GlobalID | None = strawberry.field(
        default=None, description="E10: the voter whose written proxy you hold.")


@g.mutation(receipt=Receipt, error=ElectionError,
            description="E7: cast your ballot (or a proxy's) in the open round. The tracking "
            "code is shown once.")
async def cast_ballot(info: Info, input: CastBallotInput) -> Receipt:
    election = pk(input.election_id, "Election", field="electionId")
    voter = pk(input.for_voter, "Person", field="forVoter")
    return _receipt(await ballot_box.cast(info.context.actor, election, _marks(input.marks),
                                          _write_ins(input.write_ins), voter))


@strawberry.input
class RecordMobileBallotInput:
    election_id: GlobalID
    voter_id: GlobalID
    marks: list[BallotMarkInput]
    scrutineer_ids: list[GlobalID] = strawberry.field(
        description="E11: two or more, none a candidate or a candidate's close relative.")
    write_ins: list[WriteInInput] | None = None


@g.mutation(receipt=Receipt, error=ElectionError,
            description="E11 staff: record a mobile-box ballot at a voter's home.")
async def record_mobile_ballot(info: Info, input: RecordMobileBallotInput) -> Receipt:
    election = pk(input.election_id, "Election", field="electionId")
    voter = pk(input.voter_id, "Person", field="voterId")
    scrutineers = [pk(s, "Person", field="scrutineerIds") for s in input.scrutineer_ids]
    return _receipt(await ballot_box.record_mobile(
        info.context.actor, election, voter, _marks(input.marks), _write_ins(input.write_ins),
        scrutineers))


@strawberry.input
class SignInVoterInput:
    election_id: GlobalID
    voter_id: GlobalID


@g.mutation(round=int, error=ElectionError,
            description="Polling station staff: the voter signs in and takes a paper ballot "
            "(recorded as having voted).")
async def sign_in_voter(info: Info, input: SignInVoterInput) -> int:
    election = pk(input.election_id, "Election", field="electionId")
    voter = pk(input.voter_id, "Person", field="voterId")
    return (await ballot_box.sign_in(info.context.actor, election, voter)).number


@strawberry.input
class EnterPaperBallotInput:
    election_id: GlobalID
    sheet: int = strawberry.field(description="The sheet's number, given as it leaves the box.")
    marks: list[BallotMarkInput]
    write_ins: list[WriteInInput] | None = None


@g.mutation(sheet_status=str, error=ElectionError,
            description="A teller enters a paper ballot (two tellers per sheet): SINGLE, "
            "MATCHED or MISMATCH (flagged: enter it again).")
async def enter_paper_ballot(info: Info, input: EnterPaperBallotInput) -> str:
    election = pk(input.election_id, "Election", field="electionId")
    return await paper.enter(info.context.actor, election, input.sheet, _marks(input.marks),
                             _write_ins(input.write_ins))


@strawberry.input
class ElectionRoundActInput:
    election_id: GlobalID


# One input per mutation (docs/api.md's naming rule), the same field.
ClosePollsInput = strawberry.input(type("ClosePollsInput", (ElectionRoundActInput,), {}))
CountVotesInput = strawberry.input(type("CountVotesInput", (ElectionRoundActInput,), {}))
OpenNextRoundInput = strawberry.input(type("OpenNextRoundInput", (ElectionRoundActInput,), {}))


def _election(input: ElectionRoundActInput) -> int:
    return pk(input.election_id, "Election", field="electionId")


@g.mutation(round=Round, error=ElectionError,
            description="Staff: close the polls of the open round (no more casts; the phase "
            "moves to COUNTING, or PRIMARY_COUNTING for a primary).")
async def close_polls(info: Info, input: ClosePollsInput) -> VotingRound:  # type: ignore[valid-type]
    return await count.close_polls(info.context.actor, _election(input))


@g.mutation(result=Result, error=ElectionError,
            description="Staff: count the round whose polls are closed and publish the bundle "
            "(E9, E12–E15, E17; the phase moves to COUNTED, or back to PRIMARY).")
async def count_votes(info: Info, input: CountVotesInput) -> PublishedBundle:  # type: ignore[valid-type]
    return await count.count_round(info.context.actor, _election(input))


@g.mutation(round=Round, error=ElectionError,
            description="Staff: open the round the count asks for next (a tie vote, a runoff, "
            "or the round again).")
async def open_next_round(info: Info, input: OpenNextRoundInput) -> VotingRound:  # type: ignore[valid-type]
    return await count.open_next_round(info.context.actor, _election(input))


@strawberry.input
class ProposeRecallInput:
    election_id: GlobalID
    member_id: GlobalID
    reason: str


@strawberry.input
class RecallProposalActInput:
    proposal_id: GlobalID


SignRecallInput = strawberry.input(type("SignRecallInput", (RecallProposalActInput,), {}))
OpenRecallVoteInput = strawberry.input(type("OpenRecallVoteInput", (RecallProposalActInput,),
                                            {}))


@g.mutation(proposal=RecallProposalType, error=ElectionError,
            description="E17: propose to recall an elected member (you sign first).")
async def propose_recall(info: Info, input: ProposeRecallInput) -> RecallProposalType:
    return RecallProposalType(**await recall.propose(
        info.context.actor, pk(input.election_id, "Election", field="electionId"),
        pk(input.member_id, "Person", field="memberId"), input.reason))


@g.mutation(proposal=RecallProposalType, error=ElectionError,
            description="E17: sign a recall proposal (once per voter).")
async def sign_recall(info: Info, input: SignRecallInput) -> RecallProposalType:  # type: ignore[valid-type]
    return RecallProposalType(**await recall.sign(
        info.context.actor, pk(input.proposal_id, "RecallProposal", field="proposalId")))


@g.mutation(round=Round, error=ElectionError,
            description="E17 staff: open the recall vote of a proposal signed by one fifth of "
            "the roll.")
async def open_recall_vote(info: Info, input: OpenRecallVoteInput) -> VotingRound:  # type: ignore[valid-type]
    return await recall.open_vote(info.context.actor,
                                  pk(input.proposal_id, "RecallProposal", field="proposalId"))


# Queries and the subscription -------------------------------------------------------------


@strawberry.field(description="The open round's ballot (candidates to mark), or null.")
async def election_ballot(info: Info, election_id: GlobalID) -> Round | None:
    election = await election_for(info, election_id)
    row = await rounds_service.current(election)
    return Round.from_model(row) if row else None


@strawberry.field(name="electionTurnout",
                  description="E16: turnout of the current round, per channel.")
async def election_turnout(info: Info, election_id: GlobalID) -> TurnoutType:
    election = await election_for(info, election_id)
    return TurnoutType.of(await turnout.turnout(election))


@strawberry.field(description="The published result and bundle (null until a count).")
async def election_result(info: Info, election_id: GlobalID, name: str | None = None
                          ) -> Result | None:
    election = await election_for(info, election_id)
    row = await PublishedBundle.get_or_none(election_id=election.pk, name=name or "election")
    return Result.from_model(row) if row else None


@strawberry.field(description="E9 after the count: was the ballot with this code counted?")
async def verify_ballot_receipt(info: Info, election_id: GlobalID, code: str) -> ReceiptCheck:
    election = await election_for(info, election_id)
    try:
        found = await count.verify_receipt(info.context.actor, election.pk, code)
    except Refused as refusal:
        raise _error(info, refusal) from refusal
    return ReceiptCheck(found=False) if found is None else ReceiptCheck(
        found=True, round=found["round"], valid_posts=found["valid_posts"],
        invalid_posts=found["invalid_posts"])


@strawberry.subscription(name="electionTurnout",
                         description="E16: the turnout after each commit (counts only).")
async def follow_turnout(info: Info, election_id: GlobalID) -> AsyncIterator[TurnoutType]:
    election = await election_for(info, election_id)
    actor = info.context.actor
    async with turnout.TURNOUT.subscribe(election_id=election.pk) as events:
        yield TurnoutType.of(await turnout.turnout(election))
        async for _event in events:
            try:  # permission is checked again for each update: a role may be withdrawn
                row = await load_for(actor, election.pk)
            except Refused as refusal:
                raise _error(info, refusal) from refusal
            yield TurnoutType.of(await turnout.turnout(row))


QUERIES = [election_ballot, election_turnout, election_result, verify_ballot_receipt]
MUTATIONS = [cast_ballot, record_mobile_ballot, sign_in_voter, enter_paper_ballot, close_polls,
             count_votes, open_next_round, propose_recall, sign_recall, open_recall_vote]
SUBSCRIPTIONS = [follow_turnout]
