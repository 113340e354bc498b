"""E8 secrecy in the storage, E16 turnout only during voting: every read path, every caller,
node(id:), the audit log, the events and the turnout subscription."""

from __future__ import annotations

import json

from part2_helpers import CAST, MOBILE, TURNOUT, ballot_input, make_world

from linli.testing import global_id, make_account

INTROSPECT = """{ __schema { queryType { name } types { name kind
  fields { name args { name type { kind name ofType { kind name ofType { kind name } } } }
           type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
} } }"""


def _named(t):
    while t.get("ofType"):
        t = t["ofType"]
    return t


def _selection(types, name, depth=0):
    """Every field of a type that takes no required argument, scalars and objects (depth 3)."""
    t = types[name]
    if t["kind"] in ("SCALAR", "ENUM"):
        return ""
    parts = []
    for f in t["fields"] or []:
        if any(a["type"]["kind"] == "NON_NULL" for a in f["args"]):
            continue
        inner = _named(f["type"])
        if inner["kind"] in ("SCALAR", "ENUM"):
            parts.append(f["name"])
        elif inner["kind"] in ("OBJECT", "INTERFACE") and depth < 3:
            sub = _selection(types, inner["name"], depth + 1)
            if sub:
                parts.append(f"{f['name']} {{ {sub} }}")
    return " ".join(parts)


async def _read_everything(gql, token, w, codes):
    """Every root query about an election (its only required argument electionId), the
    receipts, node(id:) of every ballot-box row, and the audit log: the text of the answers."""
    schema = (await gql.query(INTROSPECT, token=token))["__schema"]
    types = {t["name"]: t for t in schema["types"]}
    seen = []
    for field in types[schema["queryType"]["name"]]["fields"]:
        required = [a["name"] for a in field["args"] if a["type"]["kind"] == "NON_NULL"]
        if required != ["electionId"]:
            continue
        sel = _selection(types, _named(field["type"])["name"])
        query = f"query($e: ID!) {{ {field['name']}(electionId: $e) {{ {sel} }} }}" if sel else \
            f"query($e: ID!) {{ {field['name']}(electionId: $e) }}"
        answer = await gql.execute(query, {"e": w.gid}, token=token)
        seen.append((field["name"], json.dumps(answer.body)))
    for code in codes:
        r = await gql.execute("query($e: ID!, $c: String!) { verifyBallotReceipt(electionId: $e,"
                              " code: $c) { found round validPosts invalidPosts } }",
                              {"e": w.gid, "c": code}, token=token)
        seen.append(("verifyBallotReceipt", json.dumps(r.body)))
    from linli.plugins.elections.models import Ballot, PaperEntry, Participation, VotingRound

    ids = [global_id(t, pk) for t, pks in (
        ("Ballot", await Ballot.all().values_list("id", flat=True)),
        ("Participation", await Participation.all().values_list("id", flat=True)),
        ("VotingRound", await VotingRound.all().values_list("id", flat=True)),
        ("ElectionRound", await VotingRound.all().values_list("id", flat=True)),
        ("PaperEntry", await PaperEntry.all().values_list("id", flat=True))) for pk in pks]
    for gid in ids:
        r = await gql.execute("query($id: ID!) { node(id: $id) { id } }", {"id": gid},
                              token=token)
        assert (r.data or {}).get("node") is None, gid
        seen.append(("node", json.dumps(r.body)))
    audit = await gql.execute("{ auditLog(first: 100) { edges { node { action objectType "
                              "objectId detail } } } }", token=token)
    seen.append(("auditLog", json.dumps(audit.body)))
    return seen, [name for name, _ in seen]


async def test_E16_every_read_path_during_voting_shows_turnout_only(gql):
    from linli.core.models import AuditEntry, OutboxEvent

    w = await make_world(12)
    d0, m0 = w.cand("DIRECTOR", 0), w.cand("MEMBER", 0)
    codes = []
    for v in w.voters[:5]:
        done = await gql.mutate(CAST, ballot_input(w, {d0: "AGAINST", m0: "ABSTAIN"}),
                                token=v.token)
        codes.append(done["receipt"]["trackingCode"])
    mobile = await gql.mutate(MOBILE, ballot_input(
        w, {d0: "AGAINST"}, voterId=w.voters[11].gid,
        scrutineerIds=[w.voters[9].gid, w.voters[10].gid]), token=w.staff.token)
    codes.append(mobile["receipt"]["trackingCode"])
    office = await make_account("staff", await w.community.parent)  # the street office
    admin = await make_account(None, w.community, admin=True)
    committee = w.voters[10]
    from linli.core import kit
    from linli.plugins.elections.models import CommitteeMember

    await CommitteeMember.create(election=w.election, person_id=committee.person_id,
                                 name="委员", joined_at=kit.now())
    callers = [w.voters[6].token, committee.token, w.staff.token, office.token, admin.token]
    fields = set()
    for token in callers:
        seen, names = await _read_everything(gql, token, w, codes)
        fields |= set(names)
        for name, text in seen:
            for secret in ("AGAINST", "ABSTAIN", *codes):
                assert secret not in text, (name, secret)
    assert {"electionTurnout", "electionBallot", "electionResult", "election",
            "verifyBallotReceipt", "node", "auditLog"} <= fields
    # Events and the audit log as stored: counts and acts, never a mark or a code.
    for row in await OutboxEvent.all():
        text = json.dumps(row.payload)
        assert not any(s in text for s in ("AGAINST", "ABSTAIN", *codes)), row.topic
    for row in await AuditEntry.all():
        text = json.dumps(row.detail) + row.object_id
        assert not any(s in text for s in ("AGAINST", "ABSTAIN", *codes)), row.action


async def test_E16_turnout_subscription_per_channel_after_each_commit(gql):
    w = await make_world(12)
    sub = """subscription($e: ID!) { electionTurnout(electionId: $e) {
      round voted byChannel { channel count } } }"""
    async with gql.websocket(w.voters[5].token) as ws:
        op = await ws.subscribe(sub, {"e": w.gid})
        first = (await ws.next(op))["payload"]["data"]["electionTurnout"]
        assert first["voted"] == 0
        await gql.mutate(CAST, ballot_input(w, {w.cand("DIRECTOR", 0): "FOR"}),
                         token=w.voters[0].token)
        after = (await ws.next(op))["payload"]["data"]["electionTurnout"]
        assert after["voted"] == 1
        assert {c["channel"]: c["count"] for c in after["byChannel"]}["ONLINE"] == 1
        await gql.mutate(MOBILE, ballot_input(w, {}, voterId=w.voters[11].gid,
                                              scrutineerIds=[w.voters[9].gid, w.voters[10].gid]),
                         token=w.staff.token)
        after = (await ws.next(op))["payload"]["data"]["electionTurnout"]
        by = {c["channel"]: c["count"] for c in after["byChannel"]}
        assert after["voted"] == 2 and by["MOBILE_BOX"] == 1
        assert set(after) == {"round", "voted", "byChannel"}


async def test_E16_turnout_is_refused_to_a_sibling_community(gql):
    from linli.testing import make_community

    w = await make_world(12)
    sibling = await make_account("staff", await make_community("法华镇路社区"))
    r = await gql.execute(TURNOUT, {"e": w.gid}, token=sibling.token)
    assert r.codes == ["NOT_FOUND"]
    r = await gql.execute(TURNOUT, {"e": w.gid})
    assert r.codes == ["UNAUTHENTICATED"]


async def test_E8_a_ballot_row_holds_no_voter_no_time_no_order(gql):
    from linli.core import db
    from linli.plugins.elections.models import Ballot
    from linli.plugins.elections.service.count import reseal

    assert set(Ballot._meta.fields_map) == {"id", "round", "round_id", "code", "marks",
                                            "write_ins"}
    w = await make_world(12)
    for v in w.voters[:8]:
        await gql.mutate(CAST, ballot_input(w, {}), token=v.token)
    keys = await Ballot.all().values_list("id", flat=True)
    assert all(len(k) == 32 for k in keys) and len(set(keys)) == 8
    conn = db.connection()
    if conn.capabilities.dialect == "sqlite":
        rows = await conn.execute_query_dict(
            "SELECT sql FROM sqlite_master WHERE name = 'elections_ballot'")
        assert "WITHOUT ROWID" in rows[0]["sql"]
        # The table's own order is its random key's, not the cast order.
        stored = [r["id"] for r in await conn.execute_query_dict(
            'SELECT "id" FROM "elections_ballot"')]
        assert stored == sorted(stored)
    else:
        round_pk = (await Ballot.first()).round_id
        await reseal(round_pk)
        ballots = await conn.execute_query_dict(
            'SELECT xmin::text AS x, "code" FROM "elections_ballot" ORDER BY ctid')
        voted = await conn.execute_query_dict(
            'SELECT xmin::text AS x FROM "elections_participation"')
        assert len({b["x"] for b in ballots}) == 1  # one resealing transaction wrote them all
        assert not {b["x"] for b in ballots} & {p["x"] for p in voted}
        assert [b["code"] for b in ballots] == sorted(b["code"] for b in ballots)
