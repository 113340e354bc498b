"""The GraphQL kit (``linli.core.graphql``): the helpers every module's API is built with."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
import strawberry

from linli.core import graphql as g
from linli.core.actor import Actor
from linli.core.errors import ApiError, Refused

Error = g.error_type("KitTestError", ["SLOT_FULL"])


def info(actor: Actor | None = None, locale: str = "en") -> Any:
    return SimpleNamespace(context=SimpleNamespace(actor=actor or Actor(), locale=locale))


def gid(type_name: str, key: object) -> g.GlobalID:
    return g.GlobalID(type_name, str(key))


# ---------------------------------------------------------------- pk and global_id


def test_pk_decodes_a_global_id_of_the_expected_type():
    assert g.pk(gid("Community", 7), "Community", field="communityId") == 7
    assert g.pk(None, "Community", field="communityId") is None


@pytest.mark.parametrize(
    ("value", "field", "path"),
    [
        (gid("Person", 7), "communityId", ["communityId"]),  # another type
        (gid("Community", "x7"), "communityId", ["communityId"]),  # not an integer key
        (gid("Person", 7), ["dependent", "communityId"], ["dependent", "communityId"]),
    ],
)
def test_pk_refuses_anything_else_naming_the_field(value, field, path):
    with pytest.raises(Refused) as refused:
        g.pk(value, "Community", field=field)
    assert refused.value.code == "INVALID_INPUT"
    assert refused.value.field == path
    assert refused.value.params == {"detail": ".".join(path)}


def test_global_id():
    assert g.global_id("Community", 3) == gid("Community", 3)
    assert g.global_id("Community", None) is None


# ---------------------------------------------------------------- refusals


def test_refusal_to_error_is_a_coded_localized_api_error():
    error = g.refusal_to_error(Refused("INVALID_INPUT", detail="communityId"), info())
    assert isinstance(error, ApiError)
    assert error.extensions == {"code": "INVALID_INPUT"}
    assert error.message == "Invalid input: communityId"
    assert g.refusal_to_error(Refused("FORBIDDEN"), info(locale="zh-CN")).message == (
        "您没有权限执行此操作。"
    )


def test_api_errors_converts_refusals_only():
    with pytest.raises(ApiError) as raised, g.api_errors(info()):
        raise Refused("FORBIDDEN")
    assert raised.value.code == "FORBIDDEN"
    assert isinstance(raised.value.__cause__, Refused)
    with pytest.raises(KeyError), g.api_errors(info()):
        raise KeyError("unexpected failures stay unexpected")


async def test_attempt_returns_the_result_or_the_refusal_as_payload_errors():
    async def book() -> str:
        return "booked"

    async def full() -> str:
        raise Refused("SLOT_FULL", field="slotId")

    assert await Error.attempt(info(), book) == ("booked", [])
    assert await g.attempt(Error, info(), book) == ("booked", [])
    result, errors = await Error.attempt(info(), full)
    assert result is None
    assert [(e.code.value, e.field) for e in errors] == [("SLOT_FULL", ["slotId"])]

    async def booked_in(slot: int) -> str:
        return f"booked {slot}"

    def decoded_first() -> Any:  # a bad id decoded inside work() is payload data too
        return booked_in(g.pk(gid("Person", 1), "BookingSlot", field="slotId"))

    result, errors = await Error.attempt(info(), decoded_first)
    assert result is None
    assert [(e.code.value, e.field) for e in errors] == [("INVALID_INPUT", ["slotId"])]


# ---------------------------------------------------------------- types from rows


@strawberry.type
class Thing:
    id: int
    name: str
    owner_id: strawberry.Private[int | None]
    note: str = "none"

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


def test_from_row_reads_fields_by_name_unless_given():
    row = SimpleNamespace(id=1, name="a", owner_id=9, unrelated=True)
    assert g.from_row(Thing, row) == Thing(id=1, name="a", owner_id=9)
    assert g.from_row(Thing, row, name="b", note="x") == Thing(id=1, name="b", owner_id=9, note="x")


ThingPayload = g.payload_type("KitThingPayload", Error, description="A thing.", thing=Thing)


@strawberry.type
class PayloadQuery:
    @strawberry.field
    def make(self) -> ThingPayload:  # type: ignore[valid-type]
        return ThingPayload(thing=Thing(id=1, name="a", owner_id=None))


def test_payload_type_builds_a_payload_with_errors():
    assert ThingPayload().thing is None
    assert ThingPayload().errors == []
    sdl = str(strawberry.Schema(PayloadQuery))
    assert (
        '"""A thing."""\ntype KitThingPayload {\n  thing: Thing\n  errors: [KitTestError!]!\n}'
        in sdl
    )
    result = strawberry.Schema(PayloadQuery).execute_sync(
        "{ make { thing { shout } errors { code } } }"
    )
    assert result.data == {"make": {"thing": {"shout": "A"}, "errors": []}}


# ---------------------------------------------------------------- nodes backed by models


@pytest.fixture
async def communities(linli_app: Any) -> list[Any]:
    from linli.testing import make_community

    return [await make_community(with_parent=False) for _ in range(3)]


async def test_resolve_model_nodes_keeps_order_and_hides_what_it_must(communities):
    from linli.core.identity import models as m
    from linli.core.identity.nodes import CommunityNode

    a, b, c = communities
    ids = [str(c.pk), "nope", str(a.pk), "999999", str(c.pk)]
    found = await g.resolve_model_nodes(CommunityNode, m.Community, ids, info=info())
    assert [n and n.pk for n in found] == [c.pk, None, a.pk, None, c.pk]

    async def not_b(row: Any) -> bool:
        await asyncio.sleep(0)
        return row.pk != b.pk

    keys = [str(a.pk), str(b.pk)]
    found = await g.resolve_model_nodes(
        CommunityNode, m.Community, keys, info=info(), visible=not_b
    )
    assert [n and n.pk for n in found] == [a.pk, None]
    with pytest.raises(ApiError) as missing:
        await g.resolve_model_nodes(
            CommunityNode, m.Community, keys, info=info(), visible=not_b, required=True
        )
    assert missing.value.code == "NOT_FOUND"


async def test_visible_may_be_a_permission_in_the_rows_community(linli_app):
    from linli.core.identity.nodes import AuditEntryNode
    from linli.core.models import AuditEntry
    from linli.testing import DEFAULT_NOW, make_community

    here, there = await make_community(), await make_community()
    rows = [
        await AuditEntry.create(at=DEFAULT_NOW, action="t", community_id=cid)
        for cid in (here.pk, there.pk)
    ]
    staff = Actor(account_id=1, roles={here.pk: frozenset({"staff"})})
    keys = [str(row.pk) for row in rows]
    found = await g.resolve_model_nodes(
        AuditEntryNode, AuditEntry, keys, info=info(staff), visible="core.audit.read"
    )
    assert [n and n.pk for n in found] == [rows[0].pk, None]
    resolve = g.model_nodes(AuditEntry, visible="core.audit.read").__get__(None, AuditEntryNode)
    assert [n and n.pk for n in await resolve(info=info(staff), node_ids=keys)] == [
        rows[0].pk,
        None,
    ]


# ---------------------------------------------------------------- the community in scope


async def test_allowed_community(linli_app):
    from linli.testing import make_community

    here = await make_community()
    resident = Actor(account_id=1, roles={here.pk: frozenset({"resident"})})
    community = gid("Community", here.pk)
    cases = [
        (Actor(), community, "UNAUTHENTICATED"),
        (resident, gid("Person", here.pk), "INVALID_INPUT"),
        (resident, community, "FORBIDDEN"),  # residents may not read persons
    ]
    for actor, value, code in cases:
        with pytest.raises(ApiError) as refused:
            g.allowed_community(info(actor), "core.person.read", value)
        assert refused.value.code == code
    staff = Actor(account_id=2, roles={here.pk: frozenset({"staff"})})
    assert g.allowed_community(info(staff), "core.person.read", community) == here.pk


async def test_follow_yields_the_rows_the_events_name(linli_app):
    from linli.core.events import publish
    from linli.core.identity import models as m
    from linli.testing import make_community

    here = await make_community(with_parent=False)
    rows = g.follow("kit.test", m.Community)
    first = asyncio.ensure_future(anext(rows))
    for _ in range(50):  # the subscription starts with the first anext()
        await publish("kit.test", {"id": 999999})  # gone: skipped
        await publish("kit.test", {"id": here.pk})
        done, _ = await asyncio.wait({first}, timeout=0.05)
        if done:
            break
    assert (await first).pk == here.pk
    await rows.aclose()
