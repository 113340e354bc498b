"""Part II test helpers: an election in VOTING with its roll, slate and proxies, built straight
through part I's tables (part I's own services are tested in its tests), and the GraphQL
documents of the ballot box."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from linli.testing import global_id, make_account, make_community

CAST = """mutation($input: CastBallotInput!) { castBallot(input: $input) {
  receipt { trackingCode round } errors { code field message } } }"""
MOBILE = """mutation($input: RecordMobileBallotInput!) { recordMobileBallot(input: $input) {
  receipt { trackingCode round } errors { code field message } } }"""
SIGN_IN = """mutation($input: SignInVoterInput!) { signInVoter(input: $input) {
  round errors { code field message } } }"""
PAPER = """mutation($input: EnterPaperBallotInput!) { enterPaperBallot(input: $input) {
  sheetStatus errors { code field message } } }"""
CLOSE = """mutation($input: ClosePollsInput!) { closePolls(input: $input) {
  round { number status } errors { code message } } }"""
COUNT = """mutation($input: CountVotesInput!) { countVotes(input: $input) {
  result { name sha256 bundleUrl status outcome } errors { code message } } }"""
NEXT = """mutation($input: OpenNextRoundInput!) { openNextRound(input: $input) {
  round { number kind status posts { post seats } candidates { id post name } }
  errors { code message } } }"""
TURNOUT = """query($e: ID!) { electionTurnout(electionId: $e) {
  round roundKind roundStatus rollSize voted byChannel { channel count } } }"""
BALLOT = """query($e: ID!) { electionBallot(electionId: $e) {
  number kind status posts { post seats } candidates { id post name personId } } }"""
RESULT = """query($e: ID!, $n: String) { electionResult(electionId: $e, name: $n) {
  name sha256 bundleUrl status outcome } }"""
RECEIPT = """query($e: ID!, $c: String!) { verifyBallotReceipt(electionId: $e, code: $c) {
  found round validPosts invalidPosts } }"""


@dataclasses.dataclass
class Voter:
    made: Any  # a MadeAccount

    @property
    def person_id(self) -> int:
        return self.made.person.pk

    @property
    def gid(self) -> str:
        return global_id("Person", self.person_id)

    @property
    def token(self) -> str:
        return self.made.token


@dataclasses.dataclass
class World:
    community: Any
    election: Any
    staff: Any
    teller: Any
    voters: list[Voter]
    candidates: dict[str, list[Any]]  # post -> Candidate rows, in slate order

    @property
    def gid(self) -> str:
        return global_id("Election", self.election.pk)

    def cand(self, post: str, k: int) -> str:
        return str(self.candidates[post][k].pk)


async def make_world(voters: int = 6, *, seats=None, slate=None, phase: str = "VOTING",
                     settings: dict | None = None, community=None) -> World:
    """An election of ``voters`` voters (accounts, on the roll), posts ``seats`` and a slate
    of the first voters: ``slate`` post -> how many candidates (default: seats + 1)."""
    from linli.core import kit
    from linli.plugins.elections.models import (
        Candidate,
        Election,
        ElectionPost,
        RollEntry,
        Settings,
    )

    seats = seats or {"DIRECTOR": 1, "DEPUTY_DIRECTOR": 1, "MEMBER": 3}
    slate = slate or {post: n + 1 for post, n in seats.items()}
    community = community or await make_community("番禺路社区")
    staff = await make_account("staff", community)
    teller = await make_account("staff", community)
    people = [Voter(await make_account("resident", community, birth_date=dt.date(1960, 1, 1)))
              for _ in range(voters)]
    election = await Election.create(
        community=community, title="第十二届居民委员会选举",
        election_day=kit.today("Asia/Shanghai"),
        phase=phase, settings=Settings(**(settings or {})).model_dump(), created_at=kit.now(),
        roll_size=voters)
    for post, n in seats.items():
        await ElectionPost.create(election=election, post=post, seats=n, slate_size=slate[post])
    for k, v in enumerate(people):
        await RollEntry.create(election=election, person_id=v.person_id, name=f"居民{k:04d}",
                               household=f"H{k}")
    rows: dict[str, list[Any]] = {}
    k = 0
    for post in seats:
        rows[post] = []
        for position in range(slate[post]):
            rows[post].append(await Candidate.create(
                election=election, post=post, person_id=people[k].person_id,
                name=f"候选人{k}", position=position + 1))
            k += 1
    return World(community, election, staff, teller, people, rows)


def ballot_input(world: World, marks: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"electionId": world.gid,
            "marks": [{"candidateId": c, "choice": ch} for c, ch in marks.items()], **extra}


async def grant_proxy(world: World, grantor: Voter, holder: Voter) -> None:
    from linli.core import kit
    from linli.plugins.elections.models import Proxy

    await Proxy.create(election=world.election, grantor_person_id=grantor.person_id,
                       holder_person_id=holder.person_id, live_grantor_id=grantor.person_id,
                       relation="CHILD", via="FORM", status="GRANTED", created_at=kit.now(),
                       recorded_by_account_id=world.staff.id)
