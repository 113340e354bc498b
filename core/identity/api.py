"""Identity GraphQL: ``me``, ``communities``, ``auditLog`` and the ``personVerified``
subscription. The node types are in ``nodes.py``, the mutations in ``mutations.py``. Thin:
visibility and checks are in ``access``, ``service`` and ``communities``.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable

import strawberry
from strawberry.types import Info

from linli.core import topics
from linli.core.actor import Actor
from linli.core.errors import ApiError
from linli.core.graphql import (
    Connection,
    GlobalID,
    api_errors,
    connection,
    mapped,
    pk,
    require_login,
)
from linli.core.identity import models as m
from linli.core.identity import rules
from linli.core.identity.access import can, communities_where
from linli.core.identity.communities import audit_query, communities_query, memberships_of
from linli.core.identity.nodes import (
    NODE_TYPES,
    AccountNode,
    AuditEntryNode,
    CommunityKind,
    CommunityNode,
    Me,
    Membership,
    PersonNode,
    ProxyGrantNode,
)


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
            memberships=[Membership.from_model(r) for r in await memberships_of(account.pk)],
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
        with api_errors(info):
            parent = pk(parent_id, "Community", field="parentId")
        return mapped(communities_query(kind, parent), CommunityNode.from_model)

    @connection(
        Connection[AuditEntryNode],
        description="The audit log of a community (staff), "
        "or of all the caller's communities; newest first.",
    )
    def audit_log(
        self, info: Info, community_id: GlobalID | None = None
    ) -> Iterable[AuditEntryNode]:
        actor = require_login(info).actor
        with api_errors(info):
            query = audit_query(actor, pk(community_id, "Community", field="communityId"))
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
        context = require_login(info)
        with api_errors(info):
            cid = pk(community_id, "Community", field="communityId")

        def allowed(actor: Actor) -> bool:
            if cid is not None:
                return can(actor, "core.person.read", cid)
            return communities_where(actor, "core.person.read") != []

        if not allowed(context.actor):
            raise ApiError("FORBIDDEN", context.locale)
        async with topics.PERSON_VERIFIED.subscribe() as events:
            async for event in events:
                # The caller now (a role may have been taken away since the subscription began).
                actor = await context.current_actor()
                if not allowed(actor):
                    raise ApiError("FORBIDDEN", context.locale)
                if not can(actor, "core.person.read", event.payload.get("community_id")):
                    continue
                if cid is not None and event.payload.get("community_id") != cid:
                    continue
                row = await m.Person.get_or_none(pk=event.payload["person_id"])
                if row is not None:
                    yield PersonNode.from_model(row)


__all__ = [
    "NODE_TYPES",
    "AccountNode",
    "CommunityNode",
    "IdentityQuery",
    "IdentitySubscription",
    "PersonNode",
    "ProxyGrantNode",
    "rules",
]
