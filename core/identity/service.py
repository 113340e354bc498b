"""Identity use cases for people: person facts, verifying persons, proxy grants, acting for a
person. Communities, memberships and the audit query are in communities.py, beside this file.

Every staff act and every proxy act writes the audit log in the same transaction; events
(ids only) go out after commit. Checks go through ``access.can``; state changes are
conditional updates or guarded by unique constraints, never read-then-write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.exceptions import IntegrityError

from linli.core import audit, clock, topics
from linli.core.actor import Actor
from linli.core.db import atomic
from linli.core.errors import Refused
from linli.core.identity import rules
from linli.core.identity.access import acting_for, can, require
from linli.core.identity.models import Gender, GrantStatus, Person, ProxyGrant, Relation
from linli.core.identity.registration import (
    check_residence,
    id_number_conflict,
    new_person_fields,
    unique_violation,
)

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
        local_today=on or rules.local_date(clock.now(), tz),
    )


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
    holder: Person | None = None
    if id_number or birth_date:
        fields = await new_person_fields(
            real_name=person.real_name,
            birth_date=birth_date or None,
            id_number=id_number,
            time_zone=person.community.time_zone,
            taken_ok=True,
        )
        fields.pop("real_name")
        changes.update({k: v for k, v in fields.items() if v is not None})
    id_hash = changes.pop("id_number_hash", None)
    for _ in range(2):  # an ID number registered at the same moment: look again
        holder = await _other_holder(actor, person, id_hash)
        if id_hash is not None:
            changes["id_number_hash"] = None if holder is not None else id_hash
        try:
            await _verify(actor, person, changes, holder, id_checked=bool(id_number))
            break
        except IntegrityError as exc:
            if unique_violation(exc).code != "ID_NUMBER_TAKEN":
                raise unique_violation(exc) from exc
    else:
        raise Refused("CONFLICT")
    await person.refresh_from_db()
    return person


async def _verify(
    actor: Actor, person: Person, changes: dict[str, Any], holder: Person | None, id_checked: bool
) -> None:
    async with atomic():
        done = await Person.filter(pk=person.pk, verified=False).update(
            verified=True,
            verified_by_account_id=actor.account_id,
            verified_at=clock.now(),
            **changes,
        )
        if not done:
            raise Refused("ALREADY_VERIFIED")
        if holder is not None:
            await id_number_conflict(actor, person, holder.pk)
        await audit.record(
            actor,
            "core.person.verify",
            community_id=person.community_id,
            obj=person,
            on_behalf_of_person_id=person.pk,
            id_number_checked=id_checked,
        )
        await topics.PERSON_VERIFIED.publish(person_id=person.pk, community_id=person.community_id)


async def _other_holder(actor: Actor, person: Person, id_hash: Any) -> Person | None:
    """Another person on record with this ID number whom the staff may not see, or None.
    One they may see (their own community's) is told: ID_NUMBER_TAKEN. One outside their
    reach is not: the verification goes on as if the number were free, without binding it
    (``sessions.id_number_conflict``), so staff learn nothing about other communities."""
    if id_hash is None:
        return None
    holder = await Person.get_or_none(id_number_hash=id_hash)
    if holder is None or holder.pk == person.pk:
        return None
    if can(actor, "core.person.read", holder.community_id):
        raise Refused("ID_NUMBER_TAKEN", field="idNumber")
    return holder


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
    now = clock.now()
    async with atomic():
        if dependent is not None:
            person_id = await _dependent(dependent, now)
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


async def _dependent(dependent: Dependent, now: Any) -> int:
    """The person a dependent declaration is about: a new one, or, when the ID number is
    already registered, that person. Either way the caller gets the same answer, a pending
    grant whose person they cannot see until it is accepted or verified: the declaration never
    tells whether an ID number is registered (it used to answer ID_NUMBER_TAKEN)."""
    community = await check_residence(dependent.community_id, dependent.area_id)
    fields = await new_person_fields(
        real_name=dependent.real_name,
        birth_date=dependent.birth_date,
        id_number=dependent.id_number,
        time_zone=community.time_zone,
        taken_ok=True,
    )
    id_hash = fields.get("id_number_hash")
    for _ in range(2):
        if id_hash is not None:
            existing = await Person.get_or_none(id_number_hash=id_hash)
            if existing is not None:
                return existing.pk
        try:
            async with atomic():
                person = await Person.create(
                    **fields,
                    gender=dependent.gender,
                    community_id=community.pk,
                    area_id=dependent.area_id,
                    household=(dependent.household or "")[:64],
                    disabled=dependent.disabled,
                    created_at=now,
                )
            return person.pk
        except IntegrityError as exc:  # declared at the same moment by someone else
            if id_hash is None:
                raise unique_violation(exc) from exc
    raise Refused("CONFLICT")


async def _grant_for(actor: Actor, grant_id: int) -> tuple[ProxyGrant, Person]:
    """The grant and its person. A missing grant is FORBIDDEN, like one the caller may not
    touch: grant ids do not tell who asked to act for whom."""
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    grant = await ProxyGrant.get_or_none(pk=grant_id).select_related("person")
    if grant is None:
        raise Refused("FORBIDDEN")
    return grant, grant.person


async def _grant_changed(
    actor: Actor, grant: ProxyGrant, person: Person, staff_action: str | None
) -> None:
    """Inside the grant's transaction: audit a staff act (``staff_action``), then publish."""
    if staff_action is not None:
        await audit.record(
            actor,
            staff_action,
            community_id=person.community_id,
            obj=grant,
            on_behalf_of_person_id=person.pk,
        )
    await topics.PROXY_CHANGED.publish(
        grant_id=grant.pk, person_id=person.pk, community_id=person.community_id
    )


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
            verified_at=clock.now(),
        )
        if not done:
            raise Refused("NOT_PENDING", field="grantId")
        await _grant_changed(actor, grant, person, "core.proxy.verify" if via == "staff" else None)
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
            .update(status=GrantStatus.REVOKED, revoked_at=clock.now())
        )
        if not done:
            raise Refused("NOT_PENDING", field="grantId")
        await _grant_changed(actor, grant, person, "core.proxy.revoke" if staff else None)
    await grant.refresh_from_db()
    return grant


async def visible_grant(actor: Actor, grant: ProxyGrant) -> bool:
    if not actor.authenticated:
        return False
    if grant.account_id == actor.account_id:
        return True
    person = await Person.get(pk=grant.person_id)
    return actor.person_id == person.pk or can(actor, "core.person.read", person.community_id)
