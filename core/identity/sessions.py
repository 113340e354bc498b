"""Account use cases: register, log in (password or one-time code), refresh, log out, change
password, and building the Actor behind an access token.

Each use case runs in one transaction (``linli.core.db.atomic``); throttling counts outside
it, so a refused attempt still counts. Messages never carry the phone, password, code or token.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from linli.core import audit, clock, runtime
from linli.core.actor import Actor
from linli.core.db import atomic
from linli.core.errors import Refused
from linli.core.identity import actor_cache, codes, rules, throttle, tokens
from linli.core.identity.models import (
    Account,
    Community,
    CommunityKind,
    Gender,
    LoginCode,
    Membership,
    Person,
    Role,
)

log = logging.getLogger("linli.identity")


@dataclass(frozen=True)
class Caller:
    """Facts about the request a use case needs: who, from where, and the operation's keys."""

    actor: Actor
    ip: str = "unknown"
    operation_keys: set[str] | None = None

    @property
    def keys(self) -> set[str]:
        if self.operation_keys is None:
            object.__setattr__(self, "operation_keys", set())
        assert self.operation_keys is not None
        return self.operation_keys


@dataclass(frozen=True)
class Session:
    account: Account
    access_token: str
    refresh_token: str

    def __repr__(self) -> str:
        return f"Session(account={self.account.pk})"


def _secret() -> str:
    return runtime.current().settings.resolved_secret_key()


async def start_session(account: Account) -> Session:
    family = rules.new_family()
    refresh = await tokens.issue_refresh_token(account.pk, family)
    return Session(account, tokens.issue_access_token(account.pk, family), refresh)


# ---------------------------------------------------------------- the actor


async def expand_roles(memberships: list[tuple[int, str]]) -> dict[int, frozenset[str]]:
    """Roles per community; staff and admin roles reach down the tree (street office ->
    its communities -> their residential areas)."""
    roles: dict[int, set[str]] = {}
    for community_id, role in memberships:
        roles.setdefault(community_id, set()).add(role)
    frontier = {cid: {r for r in rs if r in rules.STAFF_ROLES} for cid, rs in roles.items()}
    frontier = {cid: rs for cid, rs in frontier.items() if rs}
    for _ in range(3):  # the tree is three levels deep
        if not frontier:
            break
        children = await Community.filter(parent_id__in=list(frontier)).values_list(
            "id", "parent_id"
        )
        next_frontier: dict[int, set[str]] = {}
        for child_id, parent_id in children:
            inherited = frontier[parent_id]
            roles.setdefault(child_id, set()).update(inherited)
            next_frontier.setdefault(child_id, set()).update(inherited)
        frontier = next_frontier
    return {cid: frozenset(rs) for cid, rs in roles.items()}


async def load_actor(account_id: int, session: str | None = None) -> Actor | None:
    """The Actor of an active account with its roles, or None (gone, inactive, logged out)."""
    account = await Account.get_or_none(pk=account_id, is_active=True)
    if account is None:
        return None
    if session is not None and not await tokens.session_alive(session):
        return None
    memberships = await Membership.filter(account_id=account.pk).values_list("community_id", "role")
    return Actor(
        account_id=account.pk,
        person_id=account.person_id,
        # Read-only: the actor cache shares one Actor between requests.
        roles=MappingProxyType(await expand_roles([(cid, str(role)) for cid, role in memberships])),
        is_admin=account.is_admin,
        session_id=session,
    )


async def actor_from_token(token: str) -> Actor | None:
    """The Actor behind a valid access token, from the instance's actor cache when it holds
    one (evicted at once by logout, reuse detection, password and role changes)."""
    claims = tokens.decode_access_token(token)
    if claims is None:
        return None
    cache = actor_cache.current()
    if cache is None:
        return await load_actor(claims.account_id, claims.session)
    return await cache.get(
        claims.account_id,
        claims.session,
        lambda: load_actor(claims.account_id, claims.session),
    )


# ---------------------------------------------------------------- register and log in


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
        id_hash = rules.hash_id_number(parsed, _secret())
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


async def spend_code(phone: str, code: str) -> LoginCode:
    """The phone's live one-time code when ``code`` matches it, spending one of its tries
    first (concurrent tries cannot exceed the limit); else Refused INVALID_CODE. Not yet
    used up: the caller marks it used in its own transaction (:func:`use_code`)."""
    now = clock.now()
    current = (
        await LoginCode.filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
        .order_by("-id")
        .first()
    )
    if current is None:
        raise Refused("INVALID_CODE", field="code")
    tried = await LoginCode.filter(
        pk=current.pk, used_at__isnull=True, attempts__lt=rules.CODE_MAX_TRIES
    ).update(attempts=F("attempts") + 1)
    if not tried or not rules.code_matches(_secret(), phone, code, current.code_hash):
        raise Refused("INVALID_CODE", field="code")
    return current


async def use_code(code: LoginCode) -> None:
    """Mark a matched code used (inside the caller's transaction); INVALID_CODE when a
    concurrent request used it first."""
    if not await LoginCode.filter(pk=code.pk, used_at__isnull=True).update(used_at=clock.now()):
        raise Refused("INVALID_CODE", field="code")


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


async def login(caller: Caller, phone: str, password: str) -> Session:
    try:
        normalized = rules.normalize_phone(phone)
    except Refused as exc:
        raise Refused("INVALID_CREDENTIALS") from exc
    await throttle.attempt("login", phone=normalized, ip=caller.ip, operation_keys=caller.keys)
    account = await Account.get_or_none(phone=normalized, is_active=True)
    if not await tokens.verify_password(account.password_hash if account else None, password or ""):
        raise Refused("INVALID_CREDENTIALS")
    assert account is not None
    await throttle.succeeded("login", phone=normalized, ip=caller.ip)
    async with atomic():
        return await start_session(account)


async def request_login_code(caller: Caller, phone: str) -> None:
    """Send a one-time code to the phone, registered or not: it logs a registered phone in and
    proves an unregistered one for ``register``. The same answer and the same work either way,
    so the request tells nobody whether the phone has an account."""
    normalized = rules.normalize_phone(phone)
    await throttle.attempt(
        "code-request", phone=normalized, ip=caller.ip, operation_keys=caller.keys
    )
    now = clock.now()
    code = rules.new_login_code()
    async with atomic():
        # A new code replaces the older ones.
        await LoginCode.filter(phone=normalized, used_at__isnull=True).update(used_at=now)
        await LoginCode.create(
            phone=normalized,
            code_hash=rules.keyed_hash(_secret(), "login-code", f"{normalized}:{code}"),
            expires_at=now + rules.CODE_TTL,
            created_at=now,
        )
    await codes.send_code(normalized, code)


async def login_with_code(caller: Caller, phone: str, code: str) -> Session:
    try:
        normalized = rules.normalize_phone(phone)
    except Refused as exc:
        raise Refused("INVALID_CODE", field="code") from exc
    await throttle.attempt("code-login", phone=normalized, ip=caller.ip, operation_keys=caller.keys)
    current = await spend_code(normalized, code)
    account = await Account.get_or_none(phone=normalized, is_active=True)
    if account is None:  # a code sent to prove an unregistered phone logs nobody in
        raise Refused("INVALID_CODE", field="code")
    async with atomic():
        await use_code(current)
        session = await start_session(account)
    await throttle.succeeded("code-login", phone=normalized, ip=caller.ip)
    return session


async def refresh(refresh_token: str) -> Session:
    # The reuse detection's revocation must commit even though the refresh is refused.
    reused: Refused | None = None
    async with atomic():
        try:
            account_id, family = await tokens.rotate_refresh_token(refresh_token)
        except Refused as exc:
            reused = exc
        else:
            account = await Account.get_or_none(pk=account_id, is_active=True)
            if account is None:
                raise Refused("INVALID_TOKEN", field="refreshToken")
            new_refresh = await tokens.issue_refresh_token(account.pk, family)
            return Session(account, tokens.issue_access_token(account.pk, family), new_refresh)
    raise reused


async def logout(actor: Actor, refresh_token: str | None = None) -> None:
    """End the caller's session (the family of its tokens); a refresh token given instead
    must belong to the caller."""
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    families = set()
    if actor.session_id:
        families.add(actor.session_id)
    if refresh_token:
        owner = await tokens.family_of(refresh_token)
        if owner is not None and owner[0] == actor.account_id:
            families.add(owner[1])
    async with atomic():
        for family in families:
            await tokens.revoke_family(family)
        await actor_cache.account_changed(actor.account_id)


async def change_password(caller: Caller, current: str, new: str) -> None:
    """Change the password; every other session of the account ends."""
    actor = caller.actor
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    rules.check_password_policy(new, field="newPassword")
    account = await Account.get(pk=actor.account_id)
    await throttle.attempt("login", phone=account.phone, ip=caller.ip, operation_keys=caller.keys)
    if not await tokens.verify_password(account.password_hash, current or ""):
        raise Refused("INVALID_CREDENTIALS", field="currentPassword")
    new_hash = await tokens.hash_password(new)
    from linli.core.identity.models import RefreshToken

    async with atomic():
        # Conditional: a concurrent change with the same old password loses.
        if not await Account.filter(pk=account.pk, password_hash=account.password_hash).update(
            password_hash=new_hash
        ):
            raise Refused("CONFLICT")
        others = RefreshToken.filter(account_id=account.pk, revoked_at__isnull=True)
        if actor.session_id:
            others = others.exclude(family=actor.session_id)
        await others.update(revoked_at=clock.now())
        await actor_cache.account_changed(account.pk)
        await audit.record(
            actor, "core.password_changed", object_type="Account", object_id=account.pk
        )
