"""Registration: a new account for a phone proved by a one-time code, and the person behind
it (the checks of residence and of an ID number that ``service`` shares for people added by
staff or a proxy).

Until the code is proved, every answer is about the input alone; messages never carry the
phone, password, code or ID number.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from tortoise.exceptions import IntegrityError

from linli.core import audit, clock
from linli.core.actor import Actor
from linli.core.db import atomic
from linli.core.errors import Refused
from linli.core.identity import rules, throttle, tokens
from linli.core.identity.models import (
    Account,
    Community,
    CommunityKind,
    Gender,
    Membership,
    Person,
    Role,
)
from linli.core.identity.sessions import (
    Caller,
    Session,
    code_secret,
    spend_code,
    start_session,
    use_code,
)

log = logging.getLogger("linli.identity")


@dataclass(frozen=True)
class Registration:
    phone: str
    password: str
    real_name: str
    community_id: int
    code: str = ""
    area_id: int | None = None
    household: str = ""
    birth_date: date | None = None
    gender: Gender = Gender.UNSPECIFIED
    id_number: str | None = None

    def __repr__(self) -> str:
        return f"Registration(community={self.community_id})"


async def check_residence(community_id: int, area_id: int | None) -> Community:
    community = await Community.get_or_none(pk=community_id, kind=CommunityKind.COMMUNITY)
    if community is None:
        raise Refused("NOT_FOUND", field="communityId")
    if area_id is not None and not await Community.exists(
        pk=area_id, parent_id=community.pk, kind=CommunityKind.AREA
    ):
        raise Refused("NOT_FOUND", field="areaId")
    return community


def unique_violation(exc: IntegrityError) -> Refused:
    text = str(exc).lower()
    if "phone" in text:
        return Refused("PHONE_TAKEN", field="phone")
    if "id_number" in text:
        return Refused("ID_NUMBER_TAKEN", field="idNumber")
    if "code" in text:
        return Refused("CODE_TAKEN", field="code")
    return Refused("CONFLICT")


async def new_person_fields(
    *,
    real_name: str,
    birth_date: date | None,
    id_number: str | None,
    time_zone: str,
    taken_ok: bool = False,
) -> dict[str, object]:
    """A new Person's checked fields; ID_NUMBER_TAKEN when the ID number is registered,
    unless ``taken_ok`` (the caller then decides what the holder may learn: see
    ``service.grant_proxy``, :func:`register`, ``service.verify_person``)."""
    name = (real_name or "").strip()
    if not name or len(name) > 64:
        raise Refused("INVALID_INPUT", field="realName", detail="realName")
    parsed = rules.parse_id_number(id_number) if id_number else None
    today = rules.local_date(clock.now(), time_zone)
    fields: dict[str, object] = {
        "real_name": name,
        "birth_date": rules.check_birth_date(parsed, birth_date, today),
    }
    if parsed is not None:
        id_hash = rules.hash_id_number(parsed, code_secret())
        if not taken_ok and await Person.exists(id_number_hash=id_hash):
            raise Refused("ID_NUMBER_TAKEN", field="idNumber")
        fields.update(id_number_hash=id_hash, id_number_last4=parsed.last4)
    return fields


async def id_number_conflict(actor: Actor | None, person: Person, holder_id: int) -> None:
    """Inside the transaction: an ID number given for ``person`` is on record for another
    person whom the one who gave it may not see. The answer they get does not tell (the
    number is kept as its last 4 characters only, unbound); admins, who see everything, find
    the pair in the audit log (community None: no community's staff read it)."""
    await audit.record(
        actor,
        "core.person.id_number_conflict",
        obj=person,
        on_behalf_of_person_id=person.pk,
        holder_person_id=holder_id,
    )
    log.info("person %s: ID number on record for another person (audited)", person.pk)


async def register(caller: Caller, data: Registration) -> Session:
    """Create an account for a phone its caller proved with a one-time code
    (``requestLoginCode`` sends one to any phone, registered or not).

    Until the code is proved, every answer is about the input alone (its form, the
    community), never about who is registered, and takes the same path either way. A proved
    caller owns the phone: a registered phone is told PHONE_TAKEN then (the code flow tells
    its owner, nobody else). An ID number on record for someone else is never told: the
    registration succeeds without binding it (see :func:`id_number_conflict`)."""
    phone = rules.normalize_phone(data.phone)
    rules.check_password_policy(data.password)
    await throttle.attempt("register", phone=None, ip=caller.ip, operation_keys=caller.keys)
    community = await check_residence(data.community_id, data.area_id)
    person_fields = await new_person_fields(
        real_name=data.real_name,
        birth_date=data.birth_date,
        id_number=data.id_number,
        time_zone=community.time_zone,
        taken_ok=True,
    )
    # The code is tried under the code-login counters: guessing it is guessing a login code.
    await throttle.attempt("code-login", phone=phone, ip=caller.ip, operation_keys=caller.keys)
    code = await spend_code(phone, data.code)
    # Proved from here on.
    if await Account.exists(phone=phone):
        async with atomic():
            await use_code(code)
        raise Refused("PHONE_TAKEN", field="phone")
    password_hash = await tokens.hash_password(data.password)
    now = clock.now()
    for _ in range(2):
        id_hash = person_fields.get("id_number_hash")
        holder = await Person.get_or_none(id_number_hash=id_hash) if id_hash else None
        fields = {k: v for k, v in person_fields.items() if holder is None or k != "id_number_hash"}
        try:
            async with atomic():
                await use_code(code)
                person = await Person.create(
                    **fields,
                    gender=data.gender,
                    community_id=community.pk,
                    area_id=data.area_id,
                    household=(data.household or "").strip()[:64],
                    created_at=now,
                )
                if holder is not None:
                    await id_number_conflict(None, person, holder.pk)
                account = await Account.create(
                    phone=phone, password_hash=password_hash, person_id=person.pk, created_at=now
                )
                await Membership.create(
                    account_id=account.pk,
                    community_id=community.pk,
                    role=Role.RESIDENT,
                    created_at=now,
                )
                session = await start_session(account)
        except IntegrityError as exc:
            refused = unique_violation(exc)
            if refused.code == "ID_NUMBER_TAKEN":  # registered at the same moment: look again
                continue
            raise refused from exc
        log.info("account %s registered", account.pk)
        await throttle.succeeded("code-login", phone=phone, ip=caller.ip)
        return session
    raise Refused("CONFLICT")
