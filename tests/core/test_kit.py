"""The kit in core (linli.core.kit), on the tables of a test plugin: run on SQLite, and on
PostgreSQL when LINLI_TEST_DATABASE_URL is set. Concurrency is real: separate transactions
racing on one database (a pool of connections on PostgreSQL)."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import strawberry
from strawberry import relay
from tortoise.expressions import F

from linli.core import db, events, kit
from linli.core import graphql as g
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.kit.models import CommunitySetting
from linli.core.models import AuditEntry
from linli.testing import DEFAULT_NOW, make_account, make_community, make_person, make_proxy

sys.path.insert(0, str(Path(__file__).parent))  # tests/core: the plugins_for_tests package
from plugins_for_tests import implied, kitprobe
from plugins_for_tests.kitprobe.models import Place, Ticket, TicketChange

SEATS = kit.Capacity(Place, count="taken", limit="limit")
MACHINE = kit.StatusMachine(
    Ticket,
    {None: {"open"}, "open": {"done", "void"}, "done": {"void"}},
    history=TicketChange,
    history_key="ticket_id",
    field="ticketId",
)


@pytest.fixture
def linli_extra_plugins():
    return {"kitprobe": kitprobe}


# ---------------------------------------------------------------- the clock


async def test_now_and_the_local_day_follow_the_instance_clock(linli_app, clock):
    assert kit.now() == DEFAULT_NOW
    assert kit.today().isoformat() == "2026-03-02"  # 09:00 in Shanghai
    clock.set(datetime(2026, 3, 2, 16, 30, tzinfo=UTC))  # 00:30 on the 3rd in Shanghai
    assert kit.now().date().isoformat() == "2026-03-02"
    assert kit.today().isoformat() == "2026-03-03"
    assert kit.today("Europe/London").isoformat() == "2026-03-02"
    assert kit.local_day(kit.now(), "Asia/Shanghai").isoformat() == "2026-03-03"
    with pytest.raises(ValueError):
        kit.local_day(datetime(2026, 3, 2))  # naive: which day is ambiguous


# ---------------------------------------------------------------- the capacity counter


async def _race(n: int, work) -> list:
    async def one(i: int):
        try:
            async with db.atomic():
                return await work(i)
        except Refused as refusal:
            return refusal.code

    return await asyncio.gather(*(one(i) for i in range(n)))


async def test_capacity_50_concurrent_takes_of_one_place_give_one(linli_app):
    place = await Place.create(community_id=1, limit=1)

    async def take(_: int):
        if await SEATS.take(place.pk) is None:
            raise Refused("SLOT_FULL")
        return "taken"

    results = await _race(50, take)
    assert results.count("taken") == 1 and results.count("SLOT_FULL") == 49
    await place.refresh_from_db()
    assert place.taken == 1


async def test_capacity_take_returns_the_row_after_the_change_in_one_statement(linli_app):
    place = await Place.create(community_id=1, limit=3)
    assert await SEATS.take(place.pk, returning=("taken", "limit")) == {"taken": 1, "limit": 3}
    assert await SEATS.take(place.pk, 2) == {}
    assert await SEATS.take(place.pk) is None  # 3 of 3
    assert await SEATS.take(place.pk + 999) is None  # no such row: no place either


async def test_capacity_keep_free_leaves_reserved_places_and_also_moves_other_counters(linli_app):
    place = await Place.create(community_id=1, limit=3, reserved=2)
    general = F("reserved") - F("taken_priority")  # reserved places not yet used
    assert await SEATS.take(place.pk, keep_free=general) == {}
    assert await SEATS.take(place.pk, keep_free=general) is None  # the 2 left are reserved
    assert await SEATS.take(place.pk, also={"taken_priority": 1}) == {}  # a priority person
    assert await SEATS.take(place.pk, keep_free=general) is None  # still one reserved free
    await place.refresh_from_db()
    assert (place.taken, place.taken_priority) == (2, 1)
    assert await SEATS.give_back(place.pk, also={"taken_priority": 1}) == {}
    await place.refresh_from_db()
    assert (place.taken, place.taken_priority) == (1, 0)


async def test_capacity_never_goes_below_zero_and_restore_ignores_the_limit(linli_app):
    place = await Place.create(community_id=1, limit=1, taken=1)
    assert await SEATS.give_back(place.pk) == {}
    assert await SEATS.give_back(place.pk) is None
    assert await SEATS.take(place.pk) == {}
    assert await SEATS.restore(place.pk, returning=("taken",)) == {"taken": 2}


async def test_capacity_give_back_races_stay_at_zero(linli_app):
    place = await Place.create(community_id=1, limit=5, taken=3)
    results = await _race(10, lambda _: SEATS.give_back(place.pk))
    assert sum(r == {} for r in results) == 3
    await place.refresh_from_db()
    assert place.taken == 0


async def test_a_refusal_after_take_rolls_the_place_back(linli_app):
    place = await Place.create(community_id=1, limit=1)
    with pytest.raises(Refused):
        async with db.atomic():
            assert await SEATS.take(place.pk) == {}
            raise Refused("NOT_ELIGIBLE")
    await place.refresh_from_db()
    assert place.taken == 0


# ---------------------------------------------------------------- create unless it exists


CONFLICT = Refused("CONFLICT", field="code")


async def test_create_unless_exists_turns_the_unique_violation_into_the_refusal(linli_app):
    async with db.atomic():
        await kit.create_unless_exists(
            Ticket,
            refuse=Refused("CONFLICT", field="code"),
            community_id=1,
            status="open",
            code="A",
        )
        with pytest.raises(Refused) as refused:
            await kit.create_unless_exists(
                Ticket,
                refuse=Refused("CONFLICT", field="code"),
                community_id=1,
                status="open",
                code="A",
            )
        assert (refused.value.code, refused.value.field) == ("CONFLICT", ["code"])
        # the savepoint kept the outer transaction usable
        await Ticket.create(community_id=1, status="open", code="B")
    assert await Ticket.filter(code__in=["A", "B"]).count() == 2


async def test_create_unless_exists_under_concurrency_creates_one(linli_app):
    refusal = Refused("CONFLICT")
    results = await _race(
        20,
        lambda _: kit.create_unless_exists(
            Ticket, refuse=refusal, community_id=1, status="open", code="SAME"
        ),
    )
    assert sum(isinstance(r, Ticket) for r in results) == 1
    assert results.count("CONFLICT") == 19


async def test_get_or_create_row_returns_the_one_row_whoever_made_it(linli_app):
    rows = await asyncio.gather(
        *(
            kit.get_or_create_row(
                Ticket, code="ONE", defaults={"community_id": 1, "status": "open"}
            )
            for _ in range(10)
        )
    )
    assert len({row.pk for row in rows}) == 1


# ---------------------------------------------------------------- the status machine


async def test_status_machine_edges_are_data():
    assert MACHINE.allows(None, "open") and MACHINE.allows("done", "void")
    assert not MACHINE.allows("void", "open") and not MACHINE.allows("open", "open")
    with pytest.raises(Refused) as refused:
        MACHINE.check("void", "done")
    assert (refused.value.code, refused.value.field) == ("INVALID_TRANSITION", ["ticketId"])


async def test_move_writes_status_history_audit_and_event_in_one_transaction(linli_app, clock):
    community = await make_community()
    staff = Actor(account_id=7, roles={community.pk: frozenset({"staff"})})
    ticket = await Ticket.create(community_id=community.pk, status="open")
    async with events.subscribe("kitprobe.ticket") as feed:
        async with db.atomic():
            await MACHINE.created(ticket, by=None, note="made")
            await MACHINE.move(
                ticket,
                "done",
                by=staff,
                note="desk",
                audit="kitprobe.ticket.done",
                audit_detail={"from_status": "open"},
                events=[("kitprobe.ticket", {"ticket_id": ticket.pk})],
            )
        event = await asyncio.wait_for(anext(aiter(feed)), 2)
    assert event.payload == {"ticket_id": ticket.pk}
    assert ticket.status == "done"
    await ticket.refresh_from_db()
    assert ticket.status == "done"
    changes = await TicketChange.filter(ticket_id=ticket.pk).order_by("id")
    assert [(c.from_status, c.to_status, c.by_how, c.by_account_id, c.note) for c in changes] == [
        (None, "open", "system", None, "made"),
        ("open", "done", "staff", 7, "desk"),
    ]
    assert changes[1].at == DEFAULT_NOW
    entry = await AuditEntry.get(action="kitprobe.ticket.done")
    assert (entry.actor_account_id, entry.community_id, entry.object_id) == (
        7,
        community.pk,
        str(ticket.pk),
    )
    assert entry.detail == {"from_status": "open"}


async def test_move_refuses_an_edge_that_does_not_exist_and_writes_nothing(linli_app):
    ticket = await Ticket.create(community_id=1, status="void")
    with pytest.raises(Refused) as refused:
        await MACHINE.move(ticket, "done", audit="kitprobe.ticket.done")
    assert refused.value.code == "INVALID_TRANSITION"
    assert not await TicketChange.exists(ticket_id=ticket.pk)
    assert not await AuditEntry.exists(action="kitprobe.ticket.done")


async def test_two_concurrent_moves_have_one_winner_the_loser_refused(linli_app):
    ticket = await Ticket.create(community_id=1, status="open")
    targets = ["done", "void"] * 5

    async def move(i: int):
        row = await Ticket.get(pk=ticket.pk)
        row.status = "open"  # each read it as open before anyone moved it
        await MACHINE.move(row, targets[i], events=[("kitprobe.ticket", {"i": i})])
        return targets[i]

    results = await _race(len(targets), move)
    winners = [r for r in results if r in ("done", "void")]
    assert len(winners) == 1
    assert results.count("INVALID_TRANSITION") == len(targets) - 1
    await ticket.refresh_from_db()
    assert ticket.status == winners[0]
    assert await TicketChange.filter(ticket_id=ticket.pk).count() == 1


async def test_move_guard_and_lost_say_why_the_loser_lost(linli_app):
    ticket = await Ticket.create(community_id=1, status="open", code="X")
    await Ticket.create(community_id=1, status="open", code="Y")
    with pytest.raises(Refused) as refused:
        await MACHINE.move(ticket, "done", guard={"code": "Z"}, lost=Refused("OFFER_EXPIRED"))
    assert refused.value.code == "OFFER_EXPIRED"
    with pytest.raises(Refused) as refused:
        await MACHINE.move(ticket, "done", changes={"code": "Y"}, taken=Refused("CONFLICT"))
    assert refused.value.code == "CONFLICT"
    await ticket.refresh_from_db()
    assert (ticket.status, ticket.code) == ("open", "X")


# ---------------------------------------------------------------- acting for: reach


async def test_reach_is_self_verified_proxies_and_their_communities(linli_app):
    home, elsewhere, third = await make_community(), await make_community(), await make_community()
    me = await make_account("staff", home)  # core.person.read: staff
    mother = await make_person(elsewhere)
    pending = await make_person(third)
    await make_proxy(me, mother)
    await make_proxy(me, pending, status="pending")
    from linli.core.identity.sessions import load_actor

    actor = await load_actor(me.account.pk)
    found = await kit.reach(actor, "core.person.read")
    assert found.persons == tuple(sorted((me.person.pk, mother.pk)))
    assert found.sees(home.pk) and found.sees(elsewhere.pk) and not found.sees(third.pk)
    nobody = await kit.reach(Actor(), "core.person.read")
    assert nobody.persons == () and not nobody.sees(home.pk)
    assert (await kit.reach(Actor(account_id=1, is_admin=True), "x")).sees(third.pk)


# ---------------------------------------------------------------- dataloaders


class _Context:
    def __init__(self) -> None:
        self.loaders: dict = {}


async def test_declared_loaders_batch_one_moment_per_request(linli_app):
    tickets = [await Ticket.create(community_id=1, status="open") for _ in range(3)]
    batches: list[list[int]] = []
    by_pk = kit.by_pk(Ticket)

    @kit.loader
    async def counted(keys: list[int]) -> list[Ticket | None]:
        batches.append(keys)
        return await by_pk.batch(keys)

    request = _Context()
    rows = await asyncio.gather(
        *(counted.load(request, t.pk) for t in tickets), counted.load(request, 0)
    )
    assert [r.pk if r else None for r in rows] == [t.pk for t in tickets] + [None]
    assert len(batches) == 1
    assert counted.of(request) is counted.of(request)
    assert counted.of(_Context()) is not counted.of(request)  # made per request
    await TicketChange.create(ticket_id=tickets[0].pk, to_status="open", at=DEFAULT_NOW)
    history = kit.all_of(TicketChange, "ticket_id")
    assert [len(h) for h in await history.load_many(request, [t.pk for t in tickets])] == [1, 0, 0]


# ---------------------------------------------------------------- per-community settings

READ = "query($c: ID!) { kitprobeSettings(communityId: $c) { seats greeting lowest } }"
UPDATE = """mutation($input: UpdateKitprobeSettingsInput!) { updateKitprobeSettings(input: $input) {
  settings { seats greeting lowest } errors { code field message } } }"""


async def test_settings_declared_once_give_defaults_storage_api_and_validation(gql, clock):
    from linli.core.kit.models import CommunitySetting
    from linli.testing import global_id

    community = await make_community()
    staff = await make_account("staff", community)
    resident = await make_account("resident", community)
    cid = global_id("Community", community.pk)
    defaults = {"seats": 3, "greeting": "hello", "lowest": 0}
    assert (await gql.query(READ, {"c": cid}, token=staff.token))["kitprobeSettings"] == defaults
    assert (await kit.settings_of(kitprobe.ProbeSettings, community.pk)).seats == 3

    changed = await gql.mutate(UPDATE, {"communityId": cid, "seats": 5}, token=staff.token)
    assert changed == {"settings": {**defaults, "seats": 5}, "errors": []}
    row = await CommunitySetting.get(community_id=community.pk, plugin="kitprobe")
    assert row.values == {"seats": 5}  # only what staff changed: the rest stays a default
    assert (await kit.settings_of(kitprobe.ProbeSettings, community.pk)).seats == 5
    audit = await AuditEntry.get(action="kitprobe.settings.update")
    assert audit.detail == {"changed": ["seats"]} and audit.community_id == community.pk

    for bad, field in (
        ({"seats": 0}, "seats"),
        ({"greeting": "x" * 21}, "greeting"),
        ({"lowest": 9}, "settings"),
    ):
        refused = await gql.mutate(UPDATE, {"communityId": cid, **bad}, token=staff.token)
        assert refused["settings"] is None
        assert [(e["code"], e["field"]) for e in refused["errors"]] == [("INVALID_INPUT", [field])]
        assert "x" * 21 not in refused["errors"][0]["message"]  # never an echo of the value
    assert (await kit.settings_of(kitprobe.ProbeSettings, community.pk)).seats == 5

    forbidden = await gql.mutate(UPDATE, {"communityId": cid, "seats": 4}, token=resident.token)
    assert [e["code"] for e in forbidden["errors"]] == ["FORBIDDEN"]
    assert (await gql.execute(READ, {"c": cid}, token=resident.token)).codes == ["FORBIDDEN"]
    elsewhere = await make_community()
    other = global_id("Community", elsewhere.pk)
    assert (await gql.execute(READ, {"c": other}, token=staff.token)).codes == ["FORBIDDEN"]


# ---------------------------------------------------------------- settings_for, model nodes


@pytest.mark.parametrize("linli_extra_plugins", [{"kitprobe": kitprobe, "implied": implied}])
async def test_settings_for_reads_a_community_s_settings_as_the_manifest_declares(linli_app):
    from linli.core.identity.sessions import load_actor

    community = await make_community()
    assert await kit.settings_for("kitprobe", community.pk) == kitprobe.ProbeSettings()
    staff = await load_actor((await make_account("staff", community)).account.pk)
    await kit.update_settings(staff, kitprobe.ProbeSettings, community.pk, {"seats": 4})
    assert (await kit.settings_for("kitprobe", community.pk)).seats == 4
    # A dataclass declaration: its defaults, with stored values of its own fields over them.
    assert await kit.settings_for("implied", community.pk) == implied.ImpliedSettings()
    await CommunitySetting.create(
        community_id=community.pk,
        plugin="implied",
        values={"days": 9, "gone": 1},
        updated_at=DEFAULT_NOW,
    )
    assert await kit.settings_for("implied", community.pk) == implied.ImpliedSettings(days=9)
    with pytest.raises(LookupError):
        await kit.settings_for("nobody", community.pk)


@strawberry.type
class SettingNode(g.ModelNode, model=CommunitySetting):
    community_id: g.GlobalID  # from the row's community foreign key
    plugin: str


@strawberry.type
class TicketNode(g.ModelNode, model=Ticket, visible="kitprobe.manage"):
    community_id: g.GlobalID  # a plain column, not a foreign key: from_model cannot fill it


def test_a_model_node_s_default_from_model_fills_fields_and_foreign_key_ids(linli_app):
    node = SettingNode.from_model(CommunitySetting(id=5, community_id=3, plugin="kitprobe"))
    assert (node.pk, node.plugin) == (5, "kitprobe")
    assert node.community_id == g.GlobalID("Community", "3")
    assert node.id == relay.to_base64("SettingNode", 5)
    with pytest.raises(TypeError, match=r"TicketNode\.community_id"):
        TicketNode.from_model(Ticket(id=1, community_id=3, status="open"))
