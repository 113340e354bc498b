"""E17 recall (罢免): proposed by voters on the roll, signed in the app (one signature per
voter, a unique key), voted on through the same ballot box once one fifth of the roll has
signed, and counted by the same rules (a RECALL round: valid with more than half of the roll
voting, passes with more than half of those voting). Its bundle is published on its own
(``recall-<round>``), beside the election's."""

from __future__ import annotations

import math

from tortoise.expressions import F

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused

from ..models import Election, RollEntry
from ..models.ballots import PublishedBundle, RecallProposal, RecallSignature, VotingRound
from ..rules.count import recall_proposal_ok
from ..rules.model import Kind, Post, Seats
from . import bundle
from . import rounds as rounds_service
from .common import load_for, person_of


async def _needed(election: Election) -> int:
    """One fifth of the roll, rounded up (E17: at least one fifth)."""
    return math.ceil(await RollEntry.filter(election_id=election.pk).count() / 5)


async def _view(row: RecallProposal, election: Election) -> dict:
    return {"pk": row.pk, "status": row.status, "signatures": row.signatures,
            "needed": await _needed(election)}


async def _elected(election: Election) -> set[int]:
    """Who holds a seat: the counted election's winners. Before its main round is counted the
    bundle's elected are a primary's slate, candidates and not members: nobody to recall."""
    published = await PublishedBundle.get_or_none(election_id=election.pk, name=bundle.ELECTION)
    main_counted = await VotingRound.filter(election_id=election.pk, kind=str(Kind.MAIN),
                                            status="CLOSED").exists()
    if published is None or not main_counted:
        return set()
    return {int(p) for post in published.outcome.get("elected", [])
            for p in post["persons"] if p.isdigit()}


async def propose(actor: Actor, election_id: int, member: int, reason: str) -> dict:
    election = await load_for(actor, election_id)
    me = person_of(actor)
    if not await RollEntry.filter(election_id=election.pk, person_id=me).exists():
        raise Refused("NOT_ON_ROLL")
    if member not in await _elected(election):
        raise Refused("NOT_A_MEMBER", field="memberId")
    reason = reason.strip()
    if not reason or "\x00" in reason:
        raise Refused("INVALID_INPUT", field="reason")
    async with db.atomic():
        row = await RecallProposal.create(election_id=election.pk, person_id=member,
                                          reason=reason, proposed_by_person_id=me,
                                          signatures=1, created_at=kit.now())
        await RecallSignature.create(proposal_id=row.pk, person_id=me)
        await audit.record(actor, "elections.recall.propose", community_id=election.community_id,
                           obj=row)
    return await _view(row, election)


async def _proposal(actor: Actor, proposal_id: int, action: str) -> tuple[RecallProposal,
                                                                          Election]:
    row = await RecallProposal.get_or_none(pk=proposal_id)
    if row is None:
        raise Refused("NOT_FOUND", field="proposalId")
    try:
        election = await load_for(actor, row.election_id, action)
    except Refused as refusal:
        if refusal.code == "NOT_FOUND":
            raise Refused("NOT_FOUND", field="proposalId") from None
        raise
    return row, election


async def sign(actor: Actor, proposal_id: int) -> dict:
    row, election = await _proposal(actor, proposal_id, "elections.view")
    me = person_of(actor)
    if not await RollEntry.filter(election_id=election.pk, person_id=me).exists():
        raise Refused("NOT_ON_ROLL")
    if row.status != "OPEN":
        raise Refused("INVALID_PHASE", phase=row.status)
    async with db.atomic():
        await kit.create_unless_exists(RecallSignature, refuse=Refused("ALREADY_SIGNED"),
                                       proposal_id=row.pk, person_id=me)
        await RecallProposal.filter(pk=row.pk).update(signatures=F("signatures") + 1)
    await row.refresh_from_db()
    return await _view(row, election)


async def open_vote(actor: Actor, proposal_id: int) -> VotingRound:
    row, election = await _proposal(actor, proposal_id, "elections.manage")
    roll = await RollEntry.filter(election_id=election.pk).count()
    if not recall_proposal_ok(row.signatures, roll):
        raise Refused("PROPOSAL_SHORT", needed=await _needed(election))
    name = await RollEntry.filter(election_id=election.pk, person_id=row.person_id).first()
    async with db.atomic():
        moved = await RecallProposal.filter(pk=row.pk, status="OPEN").update(status="VOTING")
        if not moved:
            raise Refused("INVALID_PHASE", phase=row.status)
        vote = await rounds_service.open_round(
            election, Kind.RECALL, [Seats(Post.RECALL, 1)],
            [{"id": "RECALL", "person": str(row.person_id), "post": str(Post.RECALL),
              "name": name.name if name else ""}],
            signatures=row.signatures, recall_person_id=row.person_id)
        await audit.record(actor, "elections.recall.open", community_id=election.community_id,
                           obj=row, round=vote.number)
    return vote


async def publish_recall(election: Election, round_: VotingRound) -> PublishedBundle:
    await RecallProposal.filter(election_id=election.pk, person_id=round_.recall_person_id,
                                status="VOTING").update(status="DONE")
    return await bundle.publish(election, [round_], name=f"recall-{round_.number}",
                                posts=(Seats(Post.RECALL, 1),))
