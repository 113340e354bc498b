"""Account use cases: log in (password or one-time code), refresh, log out, change password,
and building the Actor behind an access token (registration: ``registration.py``).

Each use case runs in one transaction (``linli.core.db.atomic``); throttling counts outside
it, so a refused attempt still counts. Messages never carry the phone, password, code or token.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from types import MappingProxyType

from tortoise.expressions import F

from linli.core import audit, clock, runtime
from linli.core.actor import Actor
from linli.core.db import atomic
from linli.core.errors import Refused
from linli.core.identity import actor_cache, codes, rules, throttle, tokens
from linli.core.identity.models import (
    Account,
    Community,
    LoginCode,
    Membership,
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


def code_secret() -> str:
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


# ---------------------------------------------------------------- one-time codes and log in


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
    if not tried or not rules.code_matches(code_secret(), phone, code, current.code_hash):
        raise Refused("INVALID_CODE", field="code")
    return current


async def use_code(code: LoginCode) -> None:
    """Mark a matched code used (inside the caller's transaction); INVALID_CODE when a
    concurrent request used it first."""
    if not await LoginCode.filter(pk=code.pk, used_at__isnull=True).update(used_at=clock.now()):
        raise Refused("INVALID_CODE", field="code")


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
            code_hash=rules.keyed_hash(code_secret(), "login-code", f"{normalized}:{code}"),
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
