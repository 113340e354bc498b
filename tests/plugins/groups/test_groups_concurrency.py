"""Concurrency over HTTP against a real ``linli serve`` (SQLite here, PostgreSQL when
LINLI_TEST_DATABASE_URL is set): the database, not Python, decides who wins.

The world is written in-process before the server starts; every client then logs in over HTTP.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from groups_helpers import (
    CHANGE,
    DECIDE,
    JOIN,
    REVIEW,
    approved_group,
    file_group,
    gid,
    submit,
)

from linli.testing import TEST_PASSWORD, LiveServer, start_server, stop_server
from linli_client import LinliClient


@pytest.fixture
def server(linli_settings: Any, tmp_path: Any):
    servers: list[LiveServer] = []

    def start() -> LiveServer:
        # a generous bound for readiness: seven engineers share two cores
        log = tmp_path / "server.log"
        servers.append(start_server(linli_settings.database_url, log, timeout=180))
        return servers[-1]

    yield start
    for live in servers:
        stop_server(live)


async def client(live: LiveServer, account: Any) -> LinliClient:
    made = LinliClient(live.url)
    await made.login(account.phone, TEST_PASSWORD)
    return made


async def all_at_once(clients: list[LinliClient], query: str, inputs: list[dict]) -> list[dict]:
    async def one(c: LinliClient, value: dict) -> dict:
        return await c.mutate(query, {"input": value}, raise_user_errors=False)

    return list(await asyncio.gather(*(one(c, v) for c, v in zip(clients, inputs, strict=True))))


def codes(payloads: list[dict]) -> list[list[str]]:
    return [[e["code"] for e in p["errors"]] for p in payloads]


async def test_G3_two_staff_deciding_one_filing_give_one_decision(gql, world, server):
    from linli.plugins.groups.models import Filing, FilingStatusChange

    group = await file_group(gql, world)
    filing = await submit(gql, world, group["id"])
    live = server()
    first, second = await client(live, world.staff), await client(live, world.street_staff)
    try:
        payloads = await all_at_once(
            [first, second],
            REVIEW,
            [
                {"filingId": filing["id"], "decision": "APPROVE"},
                {"filingId": filing["id"], "decision": "REJECT", "reason": "不符合要求"},
            ],
        )
    finally:
        await first.aclose()
        await second.aclose()
    assert sorted(codes(payloads)) == [[], ["INVALID_TRANSITION"]]
    winner = next(p for p in payloads if not p["errors"])
    row = await Filing.get(pk=int(_pk(filing["id"])))
    assert row.status == winner["filing"]["status"]
    decided = await FilingStatusChange.filter(filing_id=row.pk, from_status="SUBMITTED").count()
    assert decided == 1


async def test_G8_twenty_concurrent_accepts_make_one_roster_entry(gql, world, server):
    from linli.plugins.groups.models import JoinRequest, RosterEntry

    group = await file_group(gql, world)
    resident = await world.resident()
    asked = await gql.mutate(JOIN, {"groupId": group["id"]}, token=resident.token)
    live = server()
    # one login each (logins are throttled per phone), ten requests at once from each client
    leader, staff = await client(live, world.leader), await client(live, world.staff)
    try:
        payloads = await all_at_once(
            [leader, staff] * 10,
            DECIDE,
            [{"requestId": asked["request"]["id"], "accept": True}] * 20,
        )
    finally:
        await leader.aclose()
        await staff.aclose()
    assert sorted(codes(payloads)) == [[]] + [["INVALID_TRANSITION"]] * 19
    entries = await RosterEntry.filter(group_id=int(_pk(group["id"])), person_id=resident.person.pk)
    assert len(entries) == 1 and entries[0].until is None
    assert (await JoinRequest.get(pk=int(_pk(asked["request"]["id"])))).status == "ACCEPTED"


async def test_G4_two_concurrent_leader_changes_leave_one_leader(gql, world, server):
    """Each round, two reviewers hand an approved group to two different members at once.
    Whatever the interleaving, exactly one change stands and the other is INVALID_TRANSITION:
    the first write of a material change is the status machine's conditional UPDATE of the
    group as it was read (APPROVED, that leader, no filing open), so the database lets one
    through. A loser that read the group before the winner committed is refused there, one
    that read it after is refused by the status check: the same code either way. Between
    rounds staff approve the change, so the next round starts from APPROVED again."""
    from linli.plugins.groups.models import Filing, Group, RosterEntry

    group = await approved_group(gql, world, members=4)
    people = list(world.residents)  # the four members
    pk = int(_pk(group["id"]))
    everyone = sorted([world.leader.person.pk, *(p.person.pk for p in people)])
    live = server()
    first, second = await client(live, world.staff), await client(live, world.street_staff)
    try:
        for _ in range(4):
            leader_now = (await Group.get(pk=pk)).leader_person_id
            a, b = [p for p in people if p.person.pk != leader_now][:2]
            payloads = await all_at_once(
                [first, second],
                CHANGE,
                [
                    {"groupId": group["id"], "leaderId": _person(a)},
                    {"groupId": group["id"], "leaderId": _person(b)},
                ],
            )
            assert sorted(codes(payloads)) == [[], ["INVALID_TRANSITION"]], payloads
            won = a if not payloads[0]["errors"] else b
            leaders = await RosterEntry.filter(group_id=pk, role="LEADER", until=None)
            assert [e.person_id for e in leaders] == [won.person.pk]
            row = await Group.get(pk=pk)
            assert row.leader_person_id == won.person.pk and row.status == "SUBMITTED"
            open_entries = await RosterEntry.filter(group_id=pk, until=None).values_list(
                "person_id", flat=True
            )
            assert sorted(open_entries) == everyone  # nobody lost, nobody twice
            change = await Filing.get(pk=row.open_filing_id)
            assert change.kind == "CHANGE" and change.leader_person_id == won.person.pk
            decided = await first.mutate(
                REVIEW,
                {"input": {"filingId": gid("GroupFiling", change.pk), "decision": "APPROVE"}},
                raise_user_errors=False,
            )
            assert decided["errors"] == [] and decided["group"]["status"] == "APPROVED"
    finally:
        await first.aclose()
        await second.aclose()


def _pk(global_id: str) -> str:
    from strawberry.relay import from_base64

    return from_base64(global_id)[1]


def _person(account: Any) -> str:
    from linli.testing import global_id

    return global_id("Person", account.person.pk)
