"""The authorization matrix of part I: every operation × every caller (resident voter,
resident not on the roll, election-committee member, staff of this community, staff of a
sibling community, street office staff, anonymous), as identity's matrix does.

One election with its roll published (objection window open) serves every cell. Permission
comes before state: a caller who may act meets the state's refusal (INVALID_PHASE,
ALREADY_DECIDED, …) or succeeds; one who may not meets FORBIDDEN, NOT_FOUND (another
community's election is not revealed) or UNAUTHENTICATED, never the state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import strawberry
from part1_helpers import ADULT, PUBLISH_ROLL, person, publish_roll, world

from linli.plugins.elections.models import Nomination, Proxy, RollObjection
from linli.testing import global_id, make_account, make_community

CALLERS = ("voter", "not_on_roll", "committee", "staff", "sibling_staff", "street_office",
           "anonymous")
VIEW = {"voter": "OK", "not_on_roll": "OK", "committee": "OK", "staff": "OK",
        "sibling_staff": "NOT_FOUND", "street_office": "OK", "anonymous": "UNAUTHENTICATED"}


def manage(allowed: str, residents: str = "FORBIDDEN", committee: str | None = None) -> dict:
    return {"voter": residents, "not_on_roll": residents, "committee": committee or allowed,
            "staff": allowed, "sibling_staff": "NOT_FOUND", "street_office": allowed,
            "anonymous": "UNAUTHENTICATED"}


def viewers(allowed: str, **overrides: str) -> dict:
    return {**{c: (allowed if VIEW[c] == "OK" else VIEW[c]) for c in CALLERS}, **overrides}


def mutation(name: str, input_type: str, result: str = "__typename") -> str:
    return (f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {result} "
            "errors { code } } }")


def query(field: str, args: str, selection: str = "") -> str:
    return f"query($id: ID!) {{ {field}({args}) {selection} }}"


ROLL = query("voterRoll", "electionId: $id", "{ edges { node { name } } }")
# (operation, document, input or variables builder, expected per caller)
OPS: list[tuple[str, str, Any, dict]] = [
    ("createElection", mutation("createElection", "CreateElectionInput"),
     lambda m: {"communityId": m.cid, "title": "t", "electionDay": "2026-05-01",
                "seats": {"director": 1, "deputyDirector": 0, "member": 1}},
     {**manage("SEATS_OUT_OF_RANGE", committee="FORBIDDEN"), "sibling_staff": "FORBIDDEN"}),
    ("publishVoterRoll", PUBLISH_ROLL, lambda m: {"electionId": m.eid}, manage("INVALID_PHASE")),
    ("checkRollConflicts", mutation("checkRollConflicts", "CheckRollConflictsInput"),
     lambda m: {"electionId": m.eid}, manage("INVALID_PHASE")),
    ("resolveRollConflict", mutation("resolveRollConflict", "ResolveRollConflictInput"),
     lambda m: {"electionId": m.eid, "personId": m.voter_pid, "communityId": m.cid},
     manage("INVALID_PHASE", committee="FORBIDDEN")),
    ("nameRollRepresentatives", mutation("nameRollRepresentatives",
                                         "NameRollRepresentativesInput"),
     lambda m: {"electionId": m.eid, "unit": "1号楼", "personIds": [m.voter_pid]},
     manage("INVALID_PHASE")),
    ("fileRollObjection", mutation("fileRollObjection", "FileRollObjectionInput"),
     lambda m: {"electionId": m.eid, "kind": "NOT_ELIGIBLE", "subjectPersonId": m.outside_pid},
     viewers("NOT_ON_ROLL")),
    ("decideRollObjection", mutation("decideRollObjection", "DecideRollObjectionInput"),
     lambda m: {"objectionId": m.objection, "uphold": True}, manage("ALREADY_DECIDED")),
    ("nominateCandidate", mutation("nominateCandidate", "NominateCandidateInput"),
     lambda m: {"electionId": m.eid, "post": "MEMBER", "nomineeId": m.voter_pid},
     viewers("INVALID_PHASE")),
    ("confirmNomination", mutation("confirmNomination", "ConfirmNominationInput"),
     lambda m: {"nominationId": m.nomination}, viewers("INVALID_PHASE")),
    ("acceptNomination", mutation("acceptNomination", "AcceptNominationInput"),
     lambda m: {"nominationId": m.nomination}, viewers("INVALID_PHASE")),
    ("declineNomination", mutation("declineNomination", "DeclineNominationInput"),
     lambda m: {"nominationId": m.nomination}, viewers("INVALID_PHASE")),
    ("startPrimary", mutation("startPrimary", "StartPrimaryInput"),
     lambda m: {"electionId": m.eid}, manage("INVALID_PHASE")),
    ("publishSlate", mutation("publishSlate", "PublishSlateInput"),
     lambda m: {"electionId": m.eid}, manage("INVALID_PHASE")),
    # In the app the caller grants: a voter may (PENDING), anyone else is not on the roll.
    ("grantVotingProxy", mutation("grantVotingProxy", "GrantVotingProxyInput"),
     lambda m: {"electionId": m.eid, "holderId": m.holder_pid, "relation": "SPOUSE"},
     viewers("NOT_ON_ROLL", voter="OK", committee="OK")),
    # From a written form: staff or the committee record it for a grantor.
    ("grantVotingProxy(form)", mutation("grantVotingProxy", "GrantVotingProxyInput"),
     lambda m: {"electionId": m.eid, "grantorId": m.outside_pid, "holderId": m.holder_pid,
                "relation": "SPOUSE"}, manage("NOT_ON_ROLL")),
    ("acceptVotingProxy", mutation("acceptVotingProxy", "AcceptVotingProxyInput"),
     lambda m: {"proxyId": m.proxy}, viewers("NOT_A_PROXY")),
    ("declineVotingProxy", mutation("declineVotingProxy", "DeclineVotingProxyInput"),
     lambda m: {"proxyId": m.proxy}, viewers("NOT_A_PROXY")),
    ("withdrawVotingProxy", mutation("withdrawVotingProxy", "WithdrawVotingProxyInput"),
     lambda m: {"proxyId": m.proxy}, manage("ALREADY_DECIDED", residents="NOT_A_PROXY")),
    ("updateElectionsSettings", mutation("updateElectionsSettings",
                                         "UpdateElectionsSettingsInput", "settings { proxyLimit }"),
     lambda m: {"communityId": m.cid, "proxyLimit": 0},
     {**manage("INVALID_INPUT", committee="FORBIDDEN"), "sibling_staff": "FORBIDDEN"}),
    ("election", query("election", "electionId: $id", "{ phase }"), None, VIEW),
    ("voterRoll", ROLL, None, VIEW),
    ("amIOnTheRoll", query("amIOnTheRoll", "electionId: $id", "{ onRoll }"), None, VIEW),
    ("rollObjections", query("rollObjections", "electionId: $id", "{ status }"), None, VIEW),
    ("rollConflicts", query("rollConflicts", "electionId: $id", "{ personId }"), None,
     manage("OK")),
    ("nominations", query("nominations", "electionId: $id", "{ status }"), None, VIEW),
    ("slate", query("slate", "electionId: $id", "{ name }"), None, VIEW),
    ("votingProxies", query("votingProxies", "electionId: $id", "{ status }"), None, VIEW),
    ("elections", query("elections", "communityId: $id", "{ edges { node { phase } } }"),
     "community", {**VIEW, "sibling_staff": "FORBIDDEN"}),
    ("electionsSettings", query("electionsSettings", "communityId: $id", "{ proxyLimit }"),
     "community", {**manage("OK", committee="FORBIDDEN"), "sibling_staff": "FORBIDDEN"}),
]


class Matrix:
    pass


@pytest.fixture
async def matrix(gql) -> Matrix:
    w = await world(gql, voters=4, committee=1)
    m = Matrix()
    street = w.community.parent_id
    sibling = await make_community(parent=await w.community.parent)
    m.tokens = {
        "voter": w.voters[1].token,
        "not_on_roll": (await make_account("resident", w.community)).token,
        "committee": w.committee[0].token,
        "staff": w.staff.token,
        "sibling_staff": (await make_account("staff", sibling)).token,
        "street_office": (await make_account("staff", await type(w.community).get(pk=street))
                          ).token,
        "anonymous": None,
    }
    outsider = await make_account("resident", w.community, birth_date=dt.date(2015, 1, 1))
    await publish_roll(gql, w)
    e = int(strawberry.relay.from_base64(w.election)[1])
    m.eid, m.cid = w.election, global_id("Community", w.community.pk)
    m.voter_pid, m.holder_pid = person(w.voters[2]), person(w.voters[3])
    m.outside_pid = person(outsider)
    now = dt.datetime.now(dt.UTC)
    objection = await RollObjection.create(
        election_id=e, kind="MISSING", subject_person_id=outsider.person.pk, status="REJECTED",
        filed_by_account_id=w.voters[0].id, filed_on=dt.date(2026, 3, 2), filed_at=now)
    m.objection = global_id("ElectionRollObjection", objection.pk)
    nomination = await Nomination.create(
        election_id=e, post="MEMBER", nominee_person_id=w.voters[2].person.pk,
        live_nominee_id=w.voters[2].person.pk, status="AWAITING_ANSWER", created_at=now,
        created_by_account_id=w.voters[0].id)
    m.nomination = global_id("ElectionNomination", nomination.pk)
    proxy = await Proxy.create(
        election_id=e, grantor_person_id=w.voters[0].person.pk,
        holder_person_id=w.voters[2].person.pk, relation="SPOUSE", via="FORM",
        status="WITHDRAWN", created_at=now, recorded_by_account_id=w.staff.id)
    m.proxy = global_id("ElectionProxy", proxy.pk)
    assert ADULT
    return m


def outcome(result: Any) -> str:
    if result.errors:
        return result.errors[0]["extensions"]["code"]
    (value,) = result.data.values()
    if isinstance(value, dict) and "errors" in value:
        return value["errors"][0]["code"] if value["errors"] else "OK"
    return "OK"


async def test_authorization_matrix_of_every_part_I_operation(gql, matrix):
    seen: dict[tuple[str, str], str] = {}
    wanted: dict[tuple[str, str], str] = {}
    for name, document, build, expected in OPS:
        for caller in CALLERS:
            if build is None or build == "community":
                gid = matrix.cid if build == "community" else matrix.eid
                result = await gql.execute(document, {"id": gid}, token=matrix.tokens[caller])
            else:
                result = await gql.execute(document, {"input": build(matrix)},
                                           token=matrix.tokens[caller])
            seen[name, caller] = outcome(result)
            wanted[name, caller] = expected[caller]
    differ = {cell: (seen[cell], wanted[cell]) for cell in seen if seen[cell] != wanted[cell]}
    assert differ == {}


async def test_the_street_office_reads_the_election_audit(gql, matrix):
    office = matrix.tokens["street_office"]
    log = await gql.query("""query($c: ID!) { auditLog(communityId: $c, first: 50) {
      edges { node { action } } } }""", {"c": matrix.cid}, token=office)
    actions = {e["node"]["action"] for e in log["auditLog"]["edges"]}
    assert {"elections.create", "elections.roll.publish"} <= actions
