"""GraphQL types of the ballot box (part II): the round's ballot, turnout, receipts, results.

None of them holds a choice before a round is counted (E16): the ballot lists candidates,
turnout is counts, a receipt is the tracking code, and the result exists only once published.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from linli.core.graphql import GlobalID

from ..models.ballots import Participation, PublishedBundle, VotingRound
from ..service.turnout import Turnout


@strawberry.enum(name="BallotChoice", description="E6: for each candidate.")
class BallotChoice(Enum):
    FOR = "FOR"
    AGAINST = "AGAINST"
    ABSTAIN = "ABSTAIN"


@strawberry.input(description="A mark on one candidate of the round's ballot.")
class BallotMarkInput:
    candidate_id: str = strawberry.field(description="The id electionBallot lists.")
    choice: BallotChoice


@strawberry.input(description="E6: a write-in of another eligible voter for a post.")
class WriteInInput:
    post: str = strawberry.field(description="DIRECTOR, DEPUTY_DIRECTOR or MEMBER.")
    person_id: GlobalID


@strawberry.type(name="ElectionRoundSeats")
class RoundSeats:
    post: str
    seats: int


@strawberry.type(name="ElectionBallotCandidate", description="A line of a round's ballot.")
class BallotCandidate:
    id: str = strawberry.field(description="What a mark names (candidateId).")
    post: str
    name: str
    person_pk: strawberry.Private[str]

    @strawberry.field
    def person_id(self) -> GlobalID | None:
        return GlobalID("Person", self.person_pk) if self.person_pk.isdigit() else None


@strawberry.type(name="ElectionRound", description="A round of the ballot box and its ballot.")
class Round:
    number: int
    kind: str = strawberry.field(description="PRIMARY, MAIN, TIE_VOTE, RUNOFF or RECALL.")
    status: str = strawberry.field(description="OPEN (casting), TALLYING (polls closed, "
                                   "paper ballots being entered) or CLOSED (counted).")
    posts: list[RoundSeats]
    candidates: list[BallotCandidate]
    round_pk: strawberry.Private[int]

    @strawberry.field(description="E7: whether you have voted in this round, by any channel "
                      "(your own participation only: never anyone else's, never how).")
    async def you_voted(self, info: strawberry.Info) -> bool:
        person = info.context.actor.person_id
        if person is None:
            return False
        return await Participation.exists(round_id=self.round_pk, person_id=person)

    @classmethod
    def from_model(cls, row: VotingRound) -> Round:
        return cls(number=row.number, kind=row.kind, status=row.status, round_pk=row.pk,
                   posts=[RoundSeats(post=p["post"], seats=p["seats"]) for p in row.posts],
                   candidates=[BallotCandidate(id=c["id"], post=c["post"], name=c["name"],
                                               person_pk=c["person"]) for c in row.candidates])


@strawberry.type(name="ElectionChannelCount")
class ChannelCount:
    channel: str = strawberry.field(description="ONLINE, PROXY, MOBILE_BOX or POLLING_STATION.")
    count: int


@strawberry.type(name="ElectionTurnout", description="E16: turnout only, for everyone.")
class TurnoutType:
    round: int | None
    round_kind: str | None
    round_status: str | None
    roll_size: int
    voted: int
    by_channel: list[ChannelCount]

    @classmethod
    def of(cls, t: Turnout) -> TurnoutType:
        return cls(round=t.round_number, round_kind=t.round_kind, round_status=t.round_status,
                   roll_size=t.roll_size, voted=t.voted,
                   by_channel=[ChannelCount(channel=k, count=v) for k, v in t.by_channel.items()])


@strawberry.type(name="BallotReceipt", description="E9: shown once, stored against nobody.")
class Receipt:
    tracking_code: str
    round: int


@strawberry.type(name="BallotReceiptCheck", description="E9: how a ballot was counted.")
class ReceiptCheck:
    found: bool
    round: str | None = None
    valid_posts: list[str] = strawberry.field(default_factory=list)
    invalid_posts: list[str] = strawberry.field(
        default_factory=list, description="E6: posts for which the ballot chose too many.")


@strawberry.type(name="ElectionResult", description="The published count and its bundle (E9).")
class Result:
    name: str = strawberry.field(description="election, or recall-<round> for a recall vote.")
    sha256: str = strawberry.field(description="Of the bundle's bytes.")
    published_at: dt.datetime
    bundle_url: str = strawberry.field(description="Where the bundle is served (JSON).")
    status: str = strawberry.field(description="COMPLETE, NEXT_ROUND or NEW_ELECTION.")
    outcome: JSON = strawberry.field(description="Who was elected, the rounds still due and "
                                     "seats flagged for a new election, as in the bundle.")

    @classmethod
    def from_model(cls, row: PublishedBundle) -> Result:
        return cls(name=row.name, sha256=row.sha256, published_at=row.published_at,
                   bundle_url=f"/elections/{row.election_id}/bundles/{row.name}.json",
                   status=row.outcome.get("status", ""), outcome=row.outcome)


@strawberry.type(name="RecallProposal", description="E17: a proposal to recall a member.")
class RecallProposalType:
    pk: strawberry.Private[int]
    status: str
    signatures: int
    needed: int = strawberry.field(description="One fifth of the roll, rounded up.")

    @strawberry.field
    def id(self) -> GlobalID:
        return GlobalID("RecallProposal", str(self.pk))
