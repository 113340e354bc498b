"""Identity GraphQL: node types, ``me``, ``communities``, ``auditLog`` and the ``personVerified``
subscription. Mutations are in ``mutations.py``. Thin: visibility and checks are in
``access`` and ``service``.

Every Node's ``resolve_nodes`` enforces visibility, so ``node(id:)`` answers null for what the
caller may not see: communities are public; a person, their account and their proxy grants
are visible to the person, their verified proxies and their community's staff; audit
entries to their community's staff.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncGenerator, Iterable
from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from linli.core.errors import ApiError, Refused
from linli.core.events import subscribe
from linli.core.graphql import Connection, GlobalID, Node, NodeID, connection, mapped, require_login
from linli.core.i18n import translate
from linli.core.identity import models as m
from linli.core.identity import rules, service
from linli.core.identity.access import can, communities_where, may_see_person, visible_events
from linli.core.models import AuditEntry

Role = strawberry.enum(m.Role, name="Role", description="A role held in a community.")
CommunityKind = strawberry.enum(
    m.CommunityKind,
    name="CommunityKind",
    description="Street office (街道), community (社区), area (小区).",
)
Gender = strawberry.enum(m.Gender, name="Gender")
Relation = strawberry.enum(
    m.Relation, name="ProxyRelation", description="Who the person is to the one acting for them."
)
GrantStatus = strawberry.enum(m.GrantStatus, name="ProxyGrantStatus")


def label(info: Info, enum_name: str, value: enum.Enum | str) -> str:
    """The localized label of an enum value (``ENUM_<ENUM>_<VALUE>`` in the catalogue)."""
    raw = value.value if isinstance(value, enum.Enum) else str(value)
    return translate(f"ENUM_{enum_name}_{raw.upper()}", info.context.locale)


def pk_of(gid: GlobalID | None, type_name: str, field: str | list[str]) -> int | None:
    """The primary key in a global id of ``type_name``; Refused(INVALID_INPUT) otherwise."""
    if gid is None:
        return None
    detail = field if isinstance(field, str) else ".".join(field)
    if gid.type_name != type_name:
        raise Refused("INVALID_INPUT", field=field, detail=detail)
    try:
        return int(gid.node_id)
    except ValueError as exc:
        raise Refused("INVALID_INPUT", field=field, detail=detail) from exc


def query_pk(gid: GlobalID | None, type_name: str, field: str, info: Info) -> int | None:
    try:
        return pk_of(gid, type_name, field)
    except Refused as exc:
        raise ApiError("INVALID_INPUT", info.context.locale, detail=field) from exc


def _ids(node_ids: Iterable[str]) -> list[int | None]:
    out: list[int | None] = []
    for raw in node_ids:
        try:
            out.append(int(raw))
        except (TypeError, ValueError):
            out.append(None)
    return out


async def _by_ids(model: Any, node_ids: Iterable[str]) -> tuple[list[int | None], dict[int, Any]]:
    ids = _ids(node_ids)
    rows = await model.filter(pk__in=[i for i in ids if i is not None])
    return ids, {row.pk: row for row in rows}


# ---------------------------------------------------------------- communities


@strawberry.type(name="Community", description="A street office, community or residential area.")
class CommunityNode(Node):
    id: NodeID[int]
    kind: CommunityKind
    name: str
    code: str
    time_zone: str
    locale: str
    parent_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: m.Community) -> CommunityNode:
        return cls(
            id=row.pk,
            kind=row.kind,
            name=row.name,
            code=row.code,
            time_zone=row.time_zone,
            locale=row.locale,
            parent_id=row.parent_id,
        )

    @strawberry.field(description="The kind, in the caller's language.")
    def kind_label(self, info: Info) -> str:
        return label(info, "COMMUNITY_KIND", self.kind)

    @strawberry.field
    async def parent(self) -> CommunityNode | None:
        row = await m.Community.get_or_none(pk=self.parent_id) if self.parent_id else None
        return CommunityNode.from_model(row) if row else None

    @strawberry.field
    async def children(self) -> list[CommunityNode]:
        rows = await m.Community.filter(parent_id=self.id).order_by("id")
        return [CommunityNode.from_model(row) for row in rows]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[CommunityNode | None]:
        ids, rows = await _by_ids(m.Community, node_ids)
        return [cls.from_model(rows[i]) if i in rows else None for i in ids]


async def community_node(pk: int | None) -> CommunityNode | None:
    if pk is None:
        return None
    row = await m.Community.get_or_none(pk=pk)
    return CommunityNode.from_model(row) if row else None


# ---------------------------------------------------------------- persons


@strawberry.type(
    name="Person",
    description="Who a service is for. Visible to the person, "
    "their verified proxies and their community's staff.",
)
class PersonNode(Node):
    id: NodeID[int]
    real_name: str
    birth_date: date | None
    gender: Gender
    household: str
    id_number_last4: str = strawberry.field(
        description="The last 4 characters of the ID number (the number itself is never stored)."
    )
    disabled: bool
    verified: bool
    community_id: strawberry.Private[int]
    area_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: m.Person) -> PersonNode:
        return cls(
            id=row.pk,
            real_name=row.real_name,
            birth_date=row.birth_date,
            gender=row.gender,
            household=row.household,
            id_number_last4=row.id_number_last4,
            disabled=row.disabled,
            verified=row.verified,
            community_id=row.community_id,
            area_id=row.area_id,
        )

    @strawberry.field
    async def community(self) -> CommunityNode | None:
        return await community_node(self.community_id)

    @strawberry.field
    async def area(self) -> CommunityNode | None:
        return await community_node(self.area_id)

    @strawberry.field(description="Age today in the person's community.")
    async def age(self) -> int | None:
        return (await service.person_facts(self.id)).age()

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PersonNode | None]:
        ids, rows = await _by_ids(m.Person, node_ids)
        actor = info.context.actor
        out: list[PersonNode | None] = []
        for i in ids:
            row = rows.get(i) if i is not None else None
            out.append(cls.from_model(row) if row and await may_see_person(actor, row) else None)
        return out


async def person_node(info: Info, pk: int | None) -> PersonNode | None:
    if pk is None:
        return None
    row = await m.Person.get_or_none(pk=pk)
    if row is None or not await may_see_person(info.context.actor, row):
        return None
    return PersonNode.from_model(row)


# ---------------------------------------------------------------- accounts and memberships


@strawberry.type(description="A role an account holds in a community.")
class Membership:
    role: Role
    community_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: m.Membership) -> Membership:
        return cls(role=row.role, community_id=row.community_id)

    @strawberry.field
    def role_label(self, info: Info) -> str:
        return label(info, "ROLE", self.role)

    @strawberry.field
    async def community(self) -> CommunityNode | None:
        return await community_node(self.community_id)


async def may_see_account(info: Info, row: m.Account) -> bool:
    actor = info.context.actor
    if not actor.authenticated:
        return False
    if actor.account_id == row.pk or actor.is_admin:
        return True
    if row.person_id is not None and await person_node(info, row.person_id) is not None:
        return True
    member_of = await m.Membership.filter(account_id=row.pk).values_list("community_id", flat=True)
    return any(can(actor, "core.person.read", cid) for cid in member_of)


@strawberry.type(
    name="Account",
    description="Who acts: a phone login. Visible to itself, "
    "admins, and those who may see its person or its communities' staff.",
)
class AccountNode(Node):
    id: NodeID[int]
    phone: str
    is_admin: bool
    created_at: datetime
    person_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: m.Account) -> AccountNode:
        return cls(
            id=row.pk,
            phone=row.phone,
            is_admin=row.is_admin,
            created_at=row.created_at,
            person_id=row.person_id,
        )

    @strawberry.field
    async def person(self, info: Info) -> PersonNode | None:
        return await person_node(info, self.person_id)

    @strawberry.field
    async def memberships(self) -> list[Membership]:
        return [Membership.from_model(r) for r in await service.memberships_of(self.id)]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[AccountNode | None]:
        ids, rows = await _by_ids(m.Account, node_ids)
        out: list[AccountNode | None] = []
        for i in ids:
            row = rows.get(i) if i is not None else None
            out.append(cls.from_model(row) if row and await may_see_account(info, row) else None)
        return out


# ---------------------------------------------------------------- proxy grants


@strawberry.type(
    name="ProxyGrant",
    description="An account may act for a person once the "
    "grant is verified (by the person's account or their community's staff).",
)
class ProxyGrantNode(Node):
    id: NodeID[int]
    relation: Relation
    status: GrantStatus
    verified_via: str
    created_at: datetime
    verified_at: datetime | None
    revoked_at: datetime | None
    account_id: strawberry.Private[int]
    person_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: m.ProxyGrant) -> ProxyGrantNode:
        return cls(
            id=row.pk,
            relation=row.relation,
            status=row.status,
            verified_via=row.verified_via,
            created_at=row.created_at,
            verified_at=row.verified_at,
            revoked_at=row.revoked_at,
            account_id=row.account_id,
            person_id=row.person_id,
        )

    @strawberry.field
    def relation_label(self, info: Info) -> str:
        return label(info, "RELATION", self.relation)

    @strawberry.field
    def status_label(self, info: Info) -> str:
        return label(info, "GRANT_STATUS", self.status)

    @strawberry.field(description="The person acted for (null when you may not see them).")
    async def person(self, info: Info) -> PersonNode | None:
        return await person_node(info, self.person_id)

    @strawberry.field(description="The id of the account acting for the person.")
    def grantee_id(self) -> GlobalID:
        return GlobalID("Account", str(self.account_id))

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ProxyGrantNode | None]:
        ids, rows = await _by_ids(m.ProxyGrant, node_ids)
        actor = info.context.actor
        out: list[ProxyGrantNode | None] = []
        for i in ids:
            row = rows.get(i) if i is not None else None
            visible = row is not None and await service.visible_grant(actor, row)
            out.append(cls.from_model(row) if visible else None)
        return out


# ---------------------------------------------------------------- audit entries


@strawberry.type(name="AuditEntry", description="One line of the audit log (staff only).")
class AuditEntryNode(Node):
    id: NodeID[int]
    at: datetime
    action: str
    object_type: str
    object_id: str
    detail: JSON
    actor_account_id: strawberry.Private[int | None]
    person_id: strawberry.Private[int | None]
    community_id_: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: AuditEntry) -> AuditEntryNode:
        return cls(
            id=row.pk,
            at=row.at,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            detail=row.detail,
            actor_account_id=row.actor_account_id,
            person_id=row.on_behalf_of_person_id,
            community_id_=row.community_id,
        )

    @strawberry.field
    def actor_id(self) -> GlobalID | None:
        return GlobalID("Account", str(self.actor_account_id)) if self.actor_account_id else None

    @strawberry.field(description="The person the act was for (proxy and staff acts).")
    def on_behalf_of_id(self) -> GlobalID | None:
        return GlobalID("Person", str(self.person_id)) if self.person_id else None

    @strawberry.field
    async def community(self) -> CommunityNode | None:
        return await community_node(self.community_id_)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[AuditEntryNode | None]:
        ids, rows = await _by_ids(AuditEntry, node_ids)
        actor = info.context.actor
        return [
            cls.from_model(rows[i])
            if i in rows and can(actor, "core.audit.read", rows[i].community_id)
            else None
            for i in ids
        ]


NODE_TYPES = (CommunityNode, PersonNode, AccountNode, ProxyGrantNode, AuditEntryNode)


# ---------------------------------------------------------------- me and the queries


@strawberry.type(description="The caller: account, own person, roles and proxy grants.")
class Me:
    account: AccountNode
    person: PersonNode | None
    memberships: list[Membership]
    proxies: list[ProxyGrantNode] = strawberry.field(
        description="Grants to act for others, held by this account."
    )
    proxied_by: list[ProxyGrantNode] = strawberry.field(
        description="Grants of others to act for this account's person."
    )


def _refuse(exc: Refused, info: Info) -> ApiError:
    return ApiError(exc.code, info.context.locale, **exc.params)


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="The caller (UNAUTHENTICATED without a valid token).")
    async def me(self, info: Info) -> Me:
        actor = require_login(info).actor
        account = await m.Account.get(pk=actor.account_id)
        person = await m.Person.get_or_none(pk=account.person_id) if account.person_id else None
        held = await m.ProxyGrant.filter(account_id=account.pk).order_by("id")
        on_me = (await m.ProxyGrant.filter(person_id=person.pk).order_by("id")) if person else []
        return Me(
            account=AccountNode.from_model(account),
            person=PersonNode.from_model(person) if person else None,
            memberships=[
                Membership.from_model(r) for r in await service.memberships_of(account.pk)
            ],
            proxies=[ProxyGrantNode.from_model(g) for g in held],
            proxied_by=[ProxyGrantNode.from_model(g) for g in on_me],
        )

    @connection(
        Connection[CommunityNode],
        description="Street offices, communities and areas "
        "(public: residents choose theirs when registering).",
    )
    def communities(
        self, info: Info, kind: CommunityKind | None = None, parent_id: GlobalID | None = None
    ) -> Iterable[CommunityNode]:
        parent = query_pk(parent_id, "Community", "parentId", info)
        return mapped(service.communities_query(kind, parent), CommunityNode.from_model)

    @connection(
        Connection[AuditEntryNode],
        description="The audit log of a community (staff), "
        "or of all the caller's communities; newest first.",
    )
    def audit_log(
        self, info: Info, community_id: GlobalID | None = None
    ) -> Iterable[AuditEntryNode]:
        actor = require_login(info).actor
        cid = query_pk(community_id, "Community", "communityId", info)
        try:
            query = service.audit_query(actor, cid)
        except Refused as exc:
            raise _refuse(exc, info) from exc
        return mapped(query, AuditEntryNode.from_model)


@strawberry.type
class IdentitySubscription:
    @strawberry.subscription(
        description="Persons verified in the caller's communities (staff); "
        "events about other communities are not delivered."
    )
    async def person_verified(
        self, info: Info, community_id: GlobalID | None = None
    ) -> AsyncGenerator[PersonNode, None]:
        actor = require_login(info).actor
        cid = query_pk(community_id, "Community", "communityId", info)
        allowed = (
            can(actor, "core.person.read", cid)
            if cid is not None
            else communities_where(actor, "core.person.read") != []
        )
        if not allowed:
            raise ApiError("FORBIDDEN", info.context.locale)
        async with subscribe("core.person.verified") as events:
            async for event in visible_events(actor, events, "core.person.read"):
                if cid is not None and event.payload.get("community_id") != cid:
                    continue
                row = await m.Person.get_or_none(pk=event.payload["person_id"])
                if row is not None:
                    yield PersonNode.from_model(row)


__all__ = ["NODE_TYPES", "IdentityQuery", "IdentitySubscription", "rules"]
