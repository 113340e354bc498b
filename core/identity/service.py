"""Identity use cases: communities, persons, proxy grants, memberships and the audit log.

Every staff act and every proxy act writes the audit log in the same transaction; events
(ids only) go out after commit. Checks go through ``access.can``; state changes are
conditional updates or guarded by unique constraints, never read-then-write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet

from linli.core import audit, runtime
from linli.core.actor import Actor
from linli.core.db import atomic
from linli.core.errors import Refused
from linli.core.events import publish
from linli.core.i18n import SUPPORTED
from linli.core.identity import rules
from linli.core.identity.access import acting_for, can, communities_where, require
from linli.core.identity.models import (
    Account,
    Community,
    CommunityKind,
    Gender,
    GrantStatus,
    Membership,
    Person,
    ProxyGrant,
    Relation,
    Role,
)
from linli.core.identity.sessions import check_residence, new_person_fields, unique_violation
from linli.core.models import AuditEntry

# The parent kind each kind of community needs (None: a root).
PARENT_KIND = {
    CommunityKind.STREET_OFFICE: None,
    CommunityKind.COMMUNITY: CommunityKind.STREET_OFFICE,
    CommunityKind.AREA: CommunityKind.COMMUNITY,
}


def _now():
    return runtime.current().clock.now()


# ---------------------------------------------------------------- person facts (for modules)


async def person_facts(person_id: int, on: date | None = None) -> rules.PersonFacts:
    """Load a Person with what modules need: age on a local date, disabled, community, time
    zone. Raises Refused(NOT_FOUND). ``facts.age()`` is the age today in the community's zone."""
    person = await Person.get_or_none(pk=person_id).select_related("community")
    if person is None:
        raise Refused("NOT_FOUND")
    tz = person.community.time_zone
    return rules.PersonFacts(
        id=person.pk,
        community_id=person.community_id,
        area_id=person.area_id,
        time_zone=tz,
        birth_date=person.birth_date,
        disabled=person.disabled,
        verified=person.verified,
        local_today=on or rules.local_date(_now(), tz),
    )


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
                created_at=_now(),
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


# ---------------------------------------------------------------- persons


async def verify_person(
    actor: Actor, person_id: int, id_number: str | None = None, birth_date: date | None = None
) -> Person:
    """Staff of the person's community verify them (checking an ID card), once."""
    person = await Person.get_or_none(pk=person_id).select_related("community")
    if person is None or not can(actor, "core.person.verify", person.community_id):
        require(actor, "core.person.verify", None)  # UNAUTHENTICATED before FORBIDDEN
        raise Refused("FORBIDDEN")
    changes: dict[str, Any] = {}
    if id_number or birth_date:
        fields = await new_person_fields(
            real_name=person.real_name,
            birth_date=birth_date or None,
            id_number=id_number,
            time_zone=person.community.time_zone,
        )
        fields.pop("real_name")
        changes.update({k: v for k, v in fields.items() if v is not None})
    now = _now()
    try:
        async with atomic():
            done = await Person.filter(pk=person.pk, verified=False).update(
                verified=True,
                verified_by_account_id=actor.account_id,
                verified_at=now,
                **changes,
            )
            if not done:
                raise Refused("ALREADY_VERIFIED")
            await audit.record(
                actor,
                "core.person.verify",
                community_id=person.community_id,
                obj=person,
                on_behalf_of_person_id=person.pk,
                id_number_checked=bool(id_number),
            )
            await publish(
                "core.person.verified",
                {"person_id": person.pk, "community_id": person.community_id},
            )
    except IntegrityError as exc:
        raise unique_violation(exc) from exc
    await person.refresh_from_db()
    return person


# ---------------------------------------------------------------- proxy grants


@dataclass(frozen=True)
class Dependent:
    """A person without an account, declared by the one who will act for them."""

    real_name: str
    community_id: int
    area_id: int | None = None
    household: str = ""
    birth_date: date | None = None
    gender: Gender = Gender.UNSPECIFIED
    id_number: str | None = None
    disabled: bool = False

    def __repr__(self) -> str:
        return f"Dependent(community={self.community_id})"


async def grant_proxy(
    actor: Actor,
    relation: Relation,
    *,
    person_id: int | None = None,
    dependent: Dependent | None = None,
) -> ProxyGrant:
    """Ask to act for a person (pending until their account accepts or staff verify).

    For someone without an account (an elderly parent), ``dependent`` declares the person.
    A person asking their own staff-free consent is not needed: the person's own account
    grants by accepting.
    """
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    if (person_id is None) == (dependent is None):
        raise Refused("INVALID_INPUT", field="personId", detail="personId or dependent")
    now = _now()
    async with atomic():
        if dependent is not None:
            community = await check_residence(dependent.community_id, dependent.area_id)
            fields = await new_person_fields(
                real_name=dependent.real_name,
                birth_date=dependent.birth_date,
                id_number=dependent.id_number,
                time_zone=community.time_zone,
            )
            try:
                person = await Person.create(
                    **fields,
                    gender=dependent.gender,
                    community_id=community.pk,
                    area_id=dependent.area_id,
                    household=(dependent.household or "")[:64],
                    disabled=dependent.disabled,
                    created_at=now,
                )
            except IntegrityError as exc:
                raise unique_violation(exc) from exc
            person_id = person.pk
        elif not await Person.exists(pk=person_id):
            raise Refused("NOT_FOUND", field="personId")
        if person_id == actor.person_id:
            raise Refused("SELF_PROXY", field="personId")
        # One grant per (account, person): a revoked one is asked again, a live one conflicts.
        again = await ProxyGrant.filter(
            account_id=actor.account_id, person_id=person_id, status=GrantStatus.REVOKED
        ).update(
            status=GrantStatus.PENDING,
            relation=relation,
            verified_via="",
            verified_by_account_id=None,
            verified_at=None,
            revoked_at=None,
            created_at=now,
        )
        if not again:
            try:
                async with atomic():
                    await ProxyGrant.create(
                        account_id=actor.account_id,
                        person_id=person_id,
                        relation=relation,
                        created_at=now,
                    )
            except IntegrityError as exc:
                raise Refused("ALREADY_GRANTED", field="personId") from exc
        grant = await ProxyGrant.get(account_id=actor.account_id, person_id=person_id)
    return grant


async def _grant_for(actor: Actor, grant_id: int) -> tuple[ProxyGrant, Person]:
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    grant = await ProxyGrant.get_or_none(pk=grant_id).select_related("person")
    if grant is None:
        raise Refused("NOT_FOUND", field="grantId")
    return grant, grant.person


async def accept_proxy(actor: Actor, grant_id: int) -> ProxyGrant:
    """The person's own account accepts, or staff of the person's community verify."""
    grant, person = await _grant_for(actor, grant_id)
    if actor.person_id is not None and actor.person_id == person.pk:
        via = "person"
    elif can(actor, "core.proxy.verify", person.community_id):
        via = "staff"
    else:
        raise Refused("FORBIDDEN")
    if grant.account_id == actor.account_id:
        raise Refused("FORBIDDEN")  # nobody verifies their own request
    async with atomic():
        done = await ProxyGrant.filter(pk=grant.pk, status=GrantStatus.PENDING).update(
            status=GrantStatus.VERIFIED,
            verified_via=via,
            verified_by_account_id=actor.account_id,
            verified_at=_now(),
        )
        if not done:
            raise Refused("NOT_PENDING", field="grantId")
        if via == "staff":
            await audit.record(
                actor,
                "core.proxy.verify",
                community_id=person.community_id,
                obj=grant,
                on_behalf_of_person_id=person.pk,
            )
        await publish(
            "core.proxy.changed",
            {"grant_id": grant.pk, "person_id": person.pk, "community_id": person.community_id},
        )
    await grant.refresh_from_db()
    return grant


async def revoke_proxy(actor: Actor, grant_id: int) -> ProxyGrant:
    """The grantee, the person, or staff of the person's community end a grant."""
    grant, person = await _grant_for(actor, grant_id)
    staff = False
    if grant.account_id != actor.account_id and actor.person_id != person.pk:
        if not can(actor, "core.proxy.verify", person.community_id):
            raise Refused("FORBIDDEN")
        staff = True
    async with atomic():
        done = (
            await ProxyGrant.filter(pk=grant.pk)
            .exclude(status=GrantStatus.REVOKED)
            .update(status=GrantStatus.REVOKED, revoked_at=_now())
        )
        if not done:
            raise Refused("NOT_PENDING", field="grantId")
        if staff:
            await audit.record(
                actor,
                "core.proxy.revoke",
                community_id=person.community_id,
                obj=grant,
                on_behalf_of_person_id=person.pk,
            )
        await publish(
            "core.proxy.changed",
            {"grant_id": grant.pk, "person_id": person.pk, "community_id": person.community_id},
        )
    await grant.refresh_from_db()
    return grant


async def visible_grant(actor: Actor, grant: ProxyGrant) -> bool:
    if not actor.authenticated:
        return False
    if grant.account_id == actor.account_id:
        return True
    person = await Person.get(pk=grant.person_id)
    return actor.person_id == person.pk or can(actor, "core.person.read", person.community_id)


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
                        created_at=_now(),
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
        await publish(
            "core.membership.changed", {"account_id": account.pk, "community_id": community.pk}
        )
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


async def update_person(actor: Actor, person_id: int, **changes: Any) -> Person:
    """An example of acting for a person: the person, a verified proxy or staff change the
    household or disability flag; proxy and staff changes are audited."""
    acting = await acting_for(actor, person_id)
    allowed = {k: v for k, v in changes.items() if k in ("household", "disabled") and v is not None}
    async with atomic():
        if allowed:
            await Person.filter(pk=acting.person.pk).update(**allowed)
        await acting.record("core.person.update", obj=acting.person, fields=sorted(allowed))
    await acting.person.refresh_from_db()
    return acting.person
