"""Identity use cases for places and roles: communities, memberships and the audit query.
Persons and proxy grants are in service.py, beside this file.

Every staff act writes the audit log in the same transaction; events (ids only) go out after
commit. Checks go through ``access.can``; state changes are guarded by unique constraints or
conditional deletes, never read-then-write.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet

from linli.core import audit, clock, topics
from linli.core.actor import Actor
from linli.core.db import atomic
from linli.core.errors import Refused
from linli.core.i18n import SUPPORTED
from linli.core.identity import rules
from linli.core.identity.access import can, communities_where, require
from linli.core.identity.models import Account, Community, CommunityKind, Membership, Role
from linli.core.models import AuditEntry

# The parent kind each kind of community needs (None: a root).
PARENT_KIND = {
    CommunityKind.STREET_OFFICE: None,
    CommunityKind.COMMUNITY: CommunityKind.STREET_OFFICE,
    CommunityKind.AREA: CommunityKind.COMMUNITY,
}


# ---------------------------------------------------------------- communities


@dataclass(frozen=True)
class NewCommunity:
    kind: CommunityKind
    name: str
    code: str
    parent_id: int | None = None
    time_zone: str = "Asia/Shanghai"
    locale: str = "zh-CN"


async def create_community(actor: Actor, data: NewCommunity) -> Community:
    """Admins create communities (a community admin may create children of theirs)."""
    require(actor, "core.community.create", data.parent_id)
    name, code = (data.name or "").strip(), (data.code or "").strip()
    if not name or len(name) > 100:
        raise Refused("INVALID_INPUT", field="name", detail="name")
    if not code or len(code) > 32:
        raise Refused("INVALID_INPUT", field="code", detail="code")
    try:
        ZoneInfo(data.time_zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Refused("INVALID_INPUT", field="timeZone", detail="timeZone") from exc
    if data.locale not in SUPPORTED:
        raise Refused("INVALID_INPUT", field="locale", detail="locale")
    wanted = PARENT_KIND[data.kind]
    if (wanted is None) != (data.parent_id is None) or (
        wanted is not None and not await Community.exists(pk=data.parent_id, kind=wanted)
    ):
        raise Refused("INVALID_PARENT", field="parentId")
    try:
        async with atomic():
            community = await Community.create(
                kind=data.kind,
                name=name,
                code=code,
                parent_id=data.parent_id,
                time_zone=data.time_zone,
                locale=data.locale,
                created_at=clock.now(),
            )
            await audit.record(
                actor, "core.community.create", community_id=community.pk, obj=community
            )
    except IntegrityError as exc:
        raise Refused("CODE_TAKEN", field="code") from exc
    return community


def communities_query(kind: CommunityKind | None = None, parent_id: int | None = None) -> QuerySet:
    """Communities are public (names and codes): residents choose theirs when registering."""
    query = Community.all().order_by("id")
    if kind is not None:
        query = query.filter(kind=kind)
    if parent_id is not None:
        query = query.filter(parent_id=parent_id)
    return query


# ---------------------------------------------------------------- memberships and roles


async def set_role(
    actor: Actor,
    *,
    phone: str | None = None,
    account_id: int | None = None,
    community_id: int,
    role: Role,
    granted: bool = True,
    action: str = "core.role.set",
) -> Membership | None:
    """Give (or take away) a role in a community: staff for resident and volunteer, admins
    for staff and admin. Returns the membership (None once taken away)."""
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    community = await Community.get_or_none(pk=community_id)
    if community is None or not can(actor, action, community.pk):
        raise Refused("FORBIDDEN")
    if not rules.may_assign_role(actor.roles_in(community.pk), actor.is_admin, role):
        raise Refused("FORBIDDEN", field="role")
    if phone is not None:
        account = await Account.get_or_none(phone=rules.normalize_phone(phone))
    else:
        account = await Account.get_or_none(pk=account_id)
    if account is None:
        raise Refused("NOT_FOUND", field="phone" if phone is not None else "accountId")
    async with atomic():
        if granted:
            try:
                async with atomic():
                    membership = await Membership.create(
                        account_id=account.pk,
                        community_id=community.pk,
                        role=role,
                        created_at=clock.now(),
                    )
            except IntegrityError as exc:
                raise Refused("ALREADY_MEMBER", field="role") from exc
        else:
            membership = None
            if not await Membership.filter(
                account_id=account.pk, community_id=community.pk, role=role
            ).delete():
                raise Refused("NOT_FOUND", field="role")
        await audit.record(
            actor,
            action,
            community_id=community.pk,
            object_type="Account",
            object_id=account.pk,
            role=str(role),
            granted=granted,
        )
        await topics.MEMBERSHIP_CHANGED.publish(account_id=account.pk, community_id=community.pk)
    return membership


async def memberships_of(account_id: int) -> list[Membership]:
    return await Membership.filter(account_id=account_id).order_by("id")


# ---------------------------------------------------------------- the audit log


def audit_query(actor: Actor, community_id: int | None) -> QuerySet:
    """Staff read their communities' log (one, or all of theirs); admins read everything."""
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    if community_id is not None:
        require(actor, "core.audit.read", community_id)
        return AuditEntry.filter(community_id=community_id).order_by("-id")
    where = communities_where(actor, "core.audit.read")
    if where is None:
        return AuditEntry.all().order_by("-id")
    if not where:
        raise Refused("FORBIDDEN")
    return AuditEntry.filter(community_id__in=where).order_by("-id")
