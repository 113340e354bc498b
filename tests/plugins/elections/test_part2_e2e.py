"""E7 under real concurrency and a whole election over HTTP, against a real ``linli serve``.

SQLite by default (smaller sizes), PostgreSQL + Redis when LINLI_TEST_DATABASE_URL is set
(1,000 distinct voters at once). The in-process app shares the server's database to set up
and to count rows.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys

import httpx
import pytest
from part2_helpers import CAST, CLOSE, COUNT, MOBILE, ballot_input, grant_proxy, make_world

import linli.plugins.elections as elections_package
from linli.core.clock import FrozenClock

ON_POSTGRES = bool(os.environ.get("LINLI_TEST_DATABASE_URL"))
VERIFY = os.path.join(os.path.dirname(elections_package.__file__), "verify.py")


@pytest.fixture
def clock():
    # The server runs on the real clock: tokens and the election day must be valid by it.
    return FrozenClock(dt.datetime.now(dt.UTC))


async def _race(url: str, requests: list[tuple[str, dict, str]]) -> list[dict]:
    """Send every (query, input, token) at once, each on its own connection."""
    n = len(requests)
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    async with httpx.AsyncClient(base_url=url, timeout=900, limits=limits) as client:
        start = asyncio.Event()

        async def one(query: str, variables: dict, token: str) -> dict:
            await start.wait()
            response = await client.post("/graphql", json={"query": query, "variables": {
                "input": variables}}, headers={"authorization": f"Bearer {token}"})
            assert response.status_code == 200, response.text
            (payload,) = response.json()["data"].values()
            return payload

        tasks = [asyncio.create_task(one(*r)) for r in requests]
        start.set()
        return await asyncio.gather(*tasks)


@pytest.mark.timeout(1200)  # 1,000 accounts to make first, on a shared machine
async def test_E7_distinct_voters_casting_at_once_over_http(linli_app, live_server, clock):
    from linli.plugins.elections.models import Ballot, Participation

    n = 1000 if ON_POSTGRES else 60
    w = await make_world(n + 2)
    d0 = w.cand("DIRECTOR", 0)
    results = await _race(live_server.url, [
        (CAST, ballot_input(w, {d0: "FOR"}), v.token) for v in w.voters[:n]])
    assert [r["errors"] for r in results] == [[]] * n, live_server.log()[-3000:]
    codes = {r["receipt"]["trackingCode"] for r in results}
    assert len(codes) == n
    assert await Participation.all().count() == n
    assert await Ballot.all().count() == n


@pytest.mark.timeout(600)
async def test_E7_50_concurrent_casts_for_one_voter_online_proxy_mobile(linli_app, live_server,
                                                                        clock):
    from linli.plugins.elections.models import Ballot, Participation

    w = await make_world(12)
    voter, holder = w.voters[11], w.voters[10]
    await grant_proxy(w, voter, holder)
    online = (CAST, ballot_input(w, {}), voter.token)
    proxy = (CAST, ballot_input(w, {}, forVoter=voter.gid), holder.token)
    mobile = (MOBILE, ballot_input(w, {}, voterId=voter.gid,
                                   scrutineerIds=[w.voters[8].gid, w.voters[9].gid]),
              w.staff.token)
    results = await _race(live_server.url, [(online, proxy, mobile)[k % 3] for k in range(50)])
    ok = [r for r in results if not r["errors"]]
    refused = sorted(e["code"] for r in results for e in r["errors"])
    assert len(ok) == 1, live_server.log()[-3000:]
    assert refused == ["ALREADY_VOTED"] * 49
    assert await Participation.filter(person_id=voter.person_id).count() == 1
    assert await Ballot.all().count() == 1


@pytest.mark.timeout(600)
async def test_whole_election_over_http_verified_by_the_standalone_verifier(
        linli_app, live_server, clock, tmp_path):
    w = await make_world(40)
    d, p = w.cand("DIRECTOR", 0), w.cand("DEPUTY_DIRECTOR", 1)
    m = [w.cand("MEMBER", k) for k in range(4)]
    marks = {d: "FOR", p: "FOR", m[0]: "FOR", m[1]: "FOR", m[2]: "FOR", m[3]: "AGAINST"}
    results = await _race(live_server.url, [(CAST, ballot_input(w, marks), v.token)
                                            for v in w.voters[:30]])
    assert all(r["errors"] == [] for r in results)
    async with httpx.AsyncClient(base_url=live_server.url, timeout=60) as client:
        def call(query, variables, token):
            return client.post("/graphql", json={"query": query, "variables": {
                "input": variables}}, headers={"authorization": f"Bearer {token}"})

        closed = (await call(CLOSE, {"electionId": w.gid}, w.staff.token)).json()
        assert closed["data"]["closePolls"]["errors"] == []
        counted = (await call(COUNT, {"electionId": w.gid}, w.staff.token)).json()
        result = counted["data"]["countVotes"]["result"]
        assert result["status"] == "COMPLETE"
        response = await client.get(result["bundleUrl"])
        assert response.status_code == 200
    path = tmp_path / "bundle.json"
    path.write_bytes(response.content)
    checked = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-I", "-S", VERIFY, str(path)], capture_output=True,
        text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    doc = json.loads(response.content)
    assert doc["rounds"][0]["participation"]["ONLINE"] == 30
    assert doc["roll_size"] == 40
    linli = os.path.join(os.path.dirname(sys.executable), "linli")
    cli = await asyncio.to_thread(subprocess.run, [linli, "elections", "verify", str(path)],
                                  capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr + cli.stdout


@pytest.mark.timeout(300)
async def test_E16_turnout_subscription_over_a_real_websocket(linli_app, live_server, clock):
    from httpx_ws import aconnect_ws

    w = await make_world(12)
    sub = """subscription($e: ID!) { electionTurnout(electionId: $e) {
      voted byChannel { channel count } } }"""
    async with httpx.AsyncClient(base_url=live_server.url, timeout=60) as client:
        async with aconnect_ws("/graphql", client, subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send_json({"type": "connection_init", "payload": {"token": w.staff.token}})
            assert (await ws.receive_json(timeout=30))["type"] == "connection_ack"
            await ws.send_json({"id": "t", "type": "subscribe",
                                "payload": {"query": sub, "variables": {"e": w.gid}}})
            first = await ws.receive_json(timeout=30)
            assert first["payload"]["data"]["electionTurnout"]["voted"] == 0
            for k, voter in enumerate(w.voters[:3]):
                response = await client.post("/graphql", json={"query": CAST, "variables": {
                    "input": ballot_input(w, {})}}, headers={
                    "authorization": f"Bearer {voter.token}"})
                assert response.json()["data"]["castBallot"]["errors"] == []
                update = (await ws.receive_json(timeout=30))["payload"]["data"]
                counts = update["electionTurnout"]
                assert counts["voted"] == k + 1
                assert {c["channel"]: c["count"] for c in counts["byChannel"]}["ONLINE"] == k + 1
