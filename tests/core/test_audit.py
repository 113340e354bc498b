"""The injectable clock on the context, and the append-only audit log."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from linli.core import audit, db
from linli.core.actor import Actor
from linli.core.clock import Clock, FrozenClock
from linli.core.models import AuditEntry
from linli.testing import DEFAULT_NOW

sys.path.insert(0, str(Path(__file__).parent))  # tests/core: the plugins_for_tests package
from plugins_for_tests import probe


@pytest.fixture
def linli_extra_plugins():
    probe.reset()
    return {"probe": probe}


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def test_resolvers_read_time_from_the_context_clock_and_tests_move_it(gql, clock):
    assert parse((await gql.query("{ probeNow }"))["probeNow"]) == DEFAULT_NOW
    clock.advance(hours=30, minutes=5)
    assert parse((await gql.query("{ probeNow }"))["probeNow"]) == DEFAULT_NOW + timedelta(
        hours=30, minutes=5
    )
    clock.set(datetime(2026, 12, 31, 15, 59, tzinfo=UTC))
    assert parse((await gql.query("{ probeNow }"))["probeNow"]) == datetime(
        2026, 12, 31, 15, 59, tzinfo=UTC
    )


def test_clocks():
    frozen = FrozenClock(DEFAULT_NOW)
    assert frozen.now() == frozen.now() == DEFAULT_NOW
    assert frozen.local_today("Asia/Shanghai").isoformat() == "2026-03-02"
    frozen.advance(hours=15)  # 00:00 on Tuesday in Shanghai, still Monday in UTC
    assert frozen.now().date().isoformat() == "2026-03-02"
    assert frozen.local_today("Asia/Shanghai").isoformat() == "2026-03-03"
    with pytest.raises(ValueError):
        frozen.set(datetime(2026, 1, 1))  # naive: refused
    assert Clock().now().tzinfo is not None


async def test_record_writes_who_what_when(linli_app, clock):
    staff = Actor(account_id=41, roles={7: frozenset({"staff"})})
    async with db.atomic():
        first = await audit.record(
            staff,
            "booking.cancel",
            community_id=7,
            object_type="Booking",
            object_id=12,
            reason="NO_SHOW",
        )
    clock.advance(minutes=3)
    second = await audit.record(staff, "audit.review", obj=first, on_behalf_of_person_id=9)
    stored = await AuditEntry.get(id=first.id)
    assert (stored.at, stored.actor_account_id, stored.community_id) == (DEFAULT_NOW, 41, 7)
    assert (stored.action, stored.object_type) == ("booking.cancel", "Booking")
    assert stored.object_id == "12"
    assert stored.detail == {"reason": "NO_SHOW"}
    again = await AuditEntry.get(id=second.id)
    assert again.at == DEFAULT_NOW + timedelta(minutes=3)
    assert (again.object_type, again.object_id) == ("AuditEntry", str(first.id))
    assert again.on_behalf_of_person_id == 9
    system = await audit.record(None, "task.expire_holds")
    assert system.actor_account_id is None
    # Newest first.
    assert [e.id for e in await AuditEntry.all()][:3] == [system.id, second.id, first.id]


async def test_a_rolled_back_action_leaves_no_audit_line(linli_app):
    with pytest.raises(RuntimeError):
        async with db.atomic():
            await audit.record(None, "vote.cast", object_id="x")
            raise RuntimeError("the act failed")
    assert not await AuditEntry.filter(action="vote.cast").exists()


async def test_the_audit_log_is_append_only(linli_app):
    entry = await audit.record(Actor(account_id=1), "election.open", object_id="3")
    entry.action = "election.close"
    with pytest.raises(PermissionError):
        await entry.save()
    with pytest.raises(PermissionError):
        await entry.delete()
    with pytest.raises(PermissionError):
        await AuditEntry.filter(id=entry.id).update(action="election.close")
    with pytest.raises(PermissionError):
        await AuditEntry.filter(id=entry.id).delete()
    with pytest.raises(PermissionError):
        await AuditEntry.all().delete()
    with pytest.raises(PermissionError):
        await AuditEntry.bulk_update([entry], fields=["action"])
    stored = await AuditEntry.get(id=entry.id)
    assert stored.action == "election.open"
    # Appending still works, and reading.
    await AuditEntry.create(at=DEFAULT_NOW, action="election.close", object_id="3")
    assert await AuditEntry.filter(object_id="3").count() == 2
