"""Identity's GraphQL node types: Community, Person, Account (with its Memberships),
ProxyGrant and AuditEntry, and ``Me``. The queries and the subscription are in ``api.py``,
the mutations in ``mutations.py``.

Every Node's ``resolve_nodes`` enforces visibility, so ``node(id:)`` answers null for what the
caller may not see: communities are public; a person, their account and their proxy grants
are visible to the person, their verified proxies and their community's staff; audit
entries to their community's staff.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from linli.core.actor import Actor
from linli.core.graphql import GlobalID, ModelNode, from_row, global_id, resolve_model_nodes
from linli.core.i18n import translate
from linli.core.identity import communities, service
from linli.core.identity import models as m
from linli.core.identity.access import can, may_see_person
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


# ---------------------------------------------------------------- communities


@strawberry.type(name="Community", description="A street office, community or residential area.")
class CommunityNode(ModelNode):
    kind: CommunityKind
    name: str
    code: str
    time_zone: str
    locale: str
    parent_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: m.Community) -> CommunityNode:
        return from_row(cls, row)

    @strawberry.field(description="The kind, in the caller's language.")
    def kind_label(self, info: Info) -> str:
        return label(info, "COMMUNITY_KIND", self.kind)

    @strawberry.field
    async def parent(self) -> CommunityNode | None:
        row = await m.Community.get_or_none(pk=self.parent_id) if self.parent_id else None
        return CommunityNode.from_model(row) if row else None

    @strawberry.field
    async def children(self) -> list[CommunityNode]:
        rows = await m.Community.filter(parent_id=self.pk).order_by("id")
        return [CommunityNode.from_model(row) for row in rows]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[CommunityNode | None]:
        return await resolve_model_nodes(cls, m.Community, node_ids, info=info, required=required)


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
class PersonNode(ModelNode):
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
        return from_row(cls, row)

    @strawberry.field
    async def community(self) -> CommunityNode | None:
        return await community_node(self.community_id)

    @strawberry.field
    async def area(self) -> CommunityNode | None:
        return await community_node(self.area_id)

    @strawberry.field(description="Age today in the person's community.")
    async def age(self) -> int | None:
        return (await service.person_facts(self.pk)).age()

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PersonNode | None]:
        return await resolve_model_nodes(
            cls,
            m.Person,
            node_ids,
            info=info,
            required=required,
            visible=lambda row: may_see_person(info.context.actor, row),
        )


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
        return from_row(cls, row)

    @strawberry.field
    def role_label(self, info: Info) -> str:
        return label(info, "ROLE", self.role)

    @strawberry.field
    async def community(self) -> CommunityNode | None:
        return await community_node(self.community_id)


async def may_see_account(actor: Actor, row: m.Account) -> bool:
    """Itself, admins, whoever may see its person, and the staff of its communities."""
    if not actor.authenticated:
        return False
    if actor.account_id == row.pk or actor.is_admin:
        return True
    if row.person_id is not None:
        person = await m.Person.get_or_none(pk=row.person_id)
        if person is not None and await may_see_person(actor, person):
            return True
    member_of = await m.Membership.filter(account_id=row.pk).values_list("community_id", flat=True)
    return any(can(actor, "core.person.read", cid) for cid in member_of)


@strawberry.type(
    name="Account",
    description="Who acts: a phone login. Visible to itself, "
    "admins, and those who may see its person or its communities' staff.",
)
class AccountNode(ModelNode):
    phone: str
    is_admin: bool
    created_at: datetime
    person_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: m.Account) -> AccountNode:
        return from_row(cls, row)

    @strawberry.field
    async def person(self, info: Info) -> PersonNode | None:
        return await person_node(info, self.person_id)

    @strawberry.field(
        description="Its roles: all of them for itself and admins; for staff, only those "
        "in the communities they serve (never the account's memberships elsewhere)."
    )
    async def memberships(self, info: Info) -> list[Membership]:
        actor = info.context.actor
        rows = await communities.memberships_of(self.pk)
        if actor.account_id != self.pk and not actor.is_admin:
            rows = [r for r in rows if can(actor, "core.person.read", r.community_id)]
        return [Membership.from_model(r) for r in rows]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[AccountNode | None]:
        return await resolve_model_nodes(
            cls,
            m.Account,
            node_ids,
            info=info,
            required=required,
            visible=lambda row: may_see_account(info.context.actor, row),
        )


# ---------------------------------------------------------------- proxy grants


@strawberry.type(
    name="ProxyGrant",
    description="An account may act for a person once the "
    "grant is verified (by the person's account or their community's staff).",
)
class ProxyGrantNode(ModelNode):
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
        return from_row(cls, row)

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
        return await resolve_model_nodes(
            cls,
            m.ProxyGrant,
            node_ids,
            info=info,
            required=required,
            visible=lambda row: service.visible_grant(info.context.actor, row),
        )


# ---------------------------------------------------------------- audit entries


@strawberry.type(name="AuditEntry", description="One line of the audit log (staff only).")
class AuditEntryNode(ModelNode):
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
        return from_row(
            cls, row, person_id=row.on_behalf_of_person_id, community_id_=row.community_id
        )

    @strawberry.field
    def actor_id(self) -> GlobalID | None:
        return global_id("Account", self.actor_account_id)

    @strawberry.field(description="The person the act was for (proxy and staff acts).")
    def on_behalf_of_id(self) -> GlobalID | None:
        return global_id("Person", self.person_id)

    @strawberry.field
    async def community(self) -> CommunityNode | None:
        return await community_node(self.community_id_)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[AuditEntryNode | None]:
        return await resolve_model_nodes(
            cls,
            AuditEntry,
            node_ids,
            info=info,
            required=required,
            visible=lambda row: can(info.context.actor, "core.audit.read", row.community_id),
        )


NODE_TYPES = (CommunityNode, PersonNode, AccountNode, ProxyGrantNode, AuditEntryNode)


# ---------------------------------------------------------------- me


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
