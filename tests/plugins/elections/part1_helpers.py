"""Shared set-up of the part I tests: a community with voters, an election, its roll."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from linli.testing import global_id, make_account, make_community

ADULT = dt.date(1980, 5, 1)
DAY = "2026-04-10"  # the election day: the frozen clock says Monday 2 March 2026

CREATE = """mutation($input: CreateElectionInput!) { createElection(input: $input) {
  election { id phase } errors { code field message } } }"""
PUBLISH_ROLL = """mutation($input: PublishVoterRollInput!) { publishVoterRoll(input: $input) {
  election { id phase rollSize rollPublishedOn } errors { code field message } } }"""
NOMINATE = """mutation($input: NominateCandidateInput!) { nominateCandidate(input: $input) {
  nomination { id status post } errors { code field message } } }"""
ACCEPT = """mutation($input: AcceptNominationInput!) { acceptNomination(input: $input) {
  nomination { id status } errors { code field message } } }"""
DECLINE = """mutation($input: DeclineNominationInput!) { declineNomination(input: $input) {
  nomination { id status } errors { code field message } } }"""
CONFIRM = """mutation($input: ConfirmNominationInput!) { confirmNomination(input: $input) {
  nomination { id status } errors { code field message } } }"""
START_PRIMARY = """mutation($input: StartPrimaryInput!) { startPrimary(input: $input) {
  election { id phase posts { post primaryDecision primaryNominees slateSize } }
  errors { code field message } } }"""
PUBLISH_SLATE = """mutation($input: PublishSlateInput!) { publishSlate(input: $input) {
  election { id phase slatePublishedOn posts { post seats slateSize primaryDecision
  primaryNominees } } errors { code field message } } }"""
GRANT = """mutation($input: GrantVotingProxyInput!) { grantVotingProxy(input: $input) {
  proxy { id status via relation } errors { code field message } } }"""
WITHDRAW = """mutation($input: WithdrawVotingProxyInput!) { withdrawVotingProxy(input: $input) {
  proxy { id status } errors { code field message } } }"""
FILE_OBJECTION = """mutation($input: FileRollObjectionInput!) { fileRollObjection(input: $input) {
  objection { id status kind filedOn } errors { code field message } } }"""
DECIDE_OBJECTION = """mutation($input: DecideRollObjectionInput!) {
  decideRollObjection(input: $input) {
  objection { id status decidedOn decisionNote } errors { code field message } } }"""
ROLL = """query($id: ID!, $first: Int) { voterRoll(electionId: $id, first: $first) {
  edges { node { name household residentGroup personId } } } }"""
AM_I = """query($id: ID!) { amIOnTheRoll(electionId: $id) { onRoll reason } }"""
ELECTION = """query($id: ID!) { election(electionId: $id) { phase rollSize
  committee { name leftAt leftReason } posts { post primaryDecision primaryNominees } } }"""


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


def person(made: Any) -> str:
    return global_id("Person", made.person.pk)


@dataclasses.dataclass
class World:
    community: Any
    staff: Any
    voters: list[Any]
    election: str  # global id
    committee: list[Any]


async def world(gql: Any, *, voters: int = 6, seats: tuple[int, int, int] = (1, 1, 3),
                day: str = DAY, committee: int = 0) -> World:
    community = await make_community()
    staff = await make_account("staff", community)
    people = [await make_account("resident", community, birth_date=ADULT) for _ in range(voters)]
    members = people[:committee]
    payload = await gql.mutate(CREATE, {
        "communityId": global_id("Community", community.pk), "title": "第十二届居委会选举",
        "electionDay": day,
        "seats": {"director": seats[0], "deputyDirector": seats[1], "member": seats[2]},
        "committee": [person(m) for m in members],
    }, token=staff.token)
    assert payload["errors"] == [], payload
    return World(community, staff, people, payload["election"]["id"], members)


async def publish_roll(gql: Any, w: World) -> dict[str, Any]:
    payload = await gql.mutate(PUBLISH_ROLL, {"electionId": w.election}, token=w.staff.token)
    assert payload["errors"] == [], payload
    return payload["election"]


async def to_nomination(gql: Any, w: World, clock: Any) -> None:
    """Publish the roll, let the objection window pass, let the clock move the phase."""
    from linli.testing import run_periodic_task

    await publish_roll(gql, w)
    clock.advance(days=6)  # 2 March + 6: the window (2–7 March) has closed
    await run_periodic_task("elections-tick")
    await refresh(w)


async def refresh(w: World, *others: Any) -> None:
    """New tokens after the clock moved (tokens last 15 minutes on the app's clock)."""
    for made in [w.staff, *w.voters, *others]:
        await made.fresh_token()


async def nominate(gql: Any, w: World, by: Any, nominee: Any, post: str = "MEMBER",
                   co: list[Any] = ()) -> dict[str, Any]:
    return await gql.mutate(NOMINATE, {
        "electionId": w.election, "post": post, "nomineeId": person(nominee),
        "coNominatorIds": [person(c) for c in co]}, token=by.token)


async def accept(gql: Any, nominee: Any, nomination: str) -> dict[str, Any]:
    return await gql.mutate(ACCEPT, {"nominationId": nomination}, token=nominee.token)
