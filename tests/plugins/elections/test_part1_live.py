"""electionUpdates over a real websocket (graphql-transport-ws to a real ``linli serve``):
objections filed and decided reach a voter live; someone of another community is refused."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from part1_helpers import DECIDE_OBJECTION, FILE_OBJECTION, person, publish_roll, world

from linli.core.clock import FrozenClock
from linli.testing import make_account, make_community
from linli_client import GraphQLErrors, LinliClient

FOLLOW = """subscription($id: ID!) { electionUpdates(electionId: $id) { kind phase
  election { rollSize } } }"""


@pytest.fixture
def clock():
    return FrozenClock(dt.datetime.now(dt.UTC))  # the server runs on the real clock


async def test_election_updates_over_a_real_websocket(gql, clock, live_server):
    day = (clock.now().date() + dt.timedelta(days=40)).isoformat()
    w = await world(gql, voters=6, day=day)
    await publish_roll(gql, w)
    outsider = await make_account("resident", await make_community())
    async with LinliClient(live_server.url, token=outsider.token) as stranger:
        with pytest.raises(GraphQLErrors) as refused:
            async with stranger.subscribe(FOLLOW, {"id": w.election}) as events:
                await anext(events)
        assert refused.value.codes == ["NOT_FOUND"]
    async with LinliClient(live_server.url, token=w.voters[0].token) as listener, \
            LinliClient(live_server.url, token=w.voters[1].token) as objector, \
            LinliClient(live_server.url, token=w.staff.token) as staff:
        async with listener.subscribe(FOLLOW, {"id": w.election}) as events:
            heard = asyncio.ensure_future(anext(events))
            filed = []
            # A subscribe is not acknowledged: object (each one an event) until one is heard.
            for subject in w.voters[2:]:
                payload = await objector.mutate(FILE_OBJECTION, {"input": {
                    "electionId": w.election, "kind": "NOT_ELIGIBLE",
                    "subjectPersonId": person(subject)}})
                filed.append(payload["objection"]["id"])
                done, _ = await asyncio.wait({heard}, timeout=0.5)
                if done:
                    break
            first = (await asyncio.wait_for(heard, 20))["electionUpdates"]
            assert first == {"kind": "OBJECTION_FILED", "phase": "ROLL_PUBLISHED",
                             "election": {"rollSize": 6}}
            await staff.mutate(DECIDE_OBJECTION, {"input": {"objectionId": filed[0],
                                                            "uphold": True}})
            while True:
                update = (await asyncio.wait_for(anext(events), 20))["electionUpdates"]
                if update["kind"] != "OBJECTION_FILED":
                    break
            assert update == {"kind": "OBJECTION_DECIDED", "phase": "ROLL_PUBLISHED",
                              "election": {"rollSize": 5}}
