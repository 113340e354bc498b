"""Credentials: argon2id passwords, JWT access tokens, opaque rotating refresh tokens.

An access token (HS256, 15 minutes) names the account (``sub``) and its session (``sid``, the
refresh-token family); it is checked against the clock of the running instance, never the
wall clock, and against the session, so logout and reuse detection take effect at once.

Refresh tokens are stored as keyed hashes. Using one marks it used (a conditional update, so
two concurrent uses cannot both win) and issues its successor in the same family; presenting
a used token again revokes the whole family.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from linli.core import clock, runtime
from linli.core.errors import Refused
from linli.core.identity import actor_cache, rules
from linli.core.identity.models import RefreshToken

log = logging.getLogger("linli.identity")

ALGORITHM = "HS256"
ISSUER = "linli"

_hasher = PasswordHasher()  # argon2id, the library's (RFC 9106 low-memory) defaults
# Verified against when the phone is unknown, so a wrong phone costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("linli-dummy-password-never-valid")


def _secret() -> str:
    return runtime.current().settings.resolved_secret_key()


# ---------------------------------------------------------------- passwords


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    def check() -> bool:
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return False

    ok = await asyncio.to_thread(check)
    return ok and password_hash is not None


# ---------------------------------------------------------------- access tokens


def issue_access_token(account_id: int, session: str, at: datetime | None = None) -> str:
    issued = at or clock.now()
    claims = {
        "iss": ISSUER,
        "sub": str(account_id),
        "sid": session,
        "iat": int(issued.timestamp()),
        "exp": int((issued + rules.ACCESS_TOKEN_TTL).timestamp()),
        "typ": "access",
        "jti": secrets.token_hex(8),  # two tokens issued in one second still differ
    }
    return jwt.encode(claims, _secret(), algorithm=ALGORITHM)


@dataclass(frozen=True)
class AccessClaims:
    account_id: int
    session: str


# Tokens whose signature and claims were checked, with their expiry: a client sends the same
# token on every request for 15 minutes, and checking it again costs more than the rest of
# the authentication once the actor is cached. Keyed by (secret, token), so a token is only
# ever recognised under the secret that signed it; expiry is still checked every time.
_VERIFIED_MAX = 20_000
_verified: dict[tuple[str, str], tuple[int, AccessClaims]] = {}


def _verify_access_token(token: str, secret: str) -> tuple[int, AccessClaims] | None:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"verify_exp": False, "verify_iat": False, "require": ["exp", "sub", "sid"]},
        )
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access" or not isinstance(claims.get("exp"), int):
        return None
    try:
        return claims["exp"], AccessClaims(int(claims["sub"]), str(claims["sid"]))
    except (TypeError, ValueError):
        return None


def decode_access_token(token: str, at: datetime | None = None) -> AccessClaims | None:
    """The claims of a valid, unexpired access token (by the instance's clock), else None."""
    key = (_secret(), token)
    verified = _verified.get(key)
    if verified is None:
        verified = _verify_access_token(token, key[0])
        if verified is None:
            return None
        if len(_verified) >= _VERIFIED_MAX:
            _verified.clear()  # rare (that many live tokens on one instance): start again
        _verified[key] = verified
    expires, claims = verified
    if (at or clock.now()).timestamp() >= expires:
        return None
    return claims


def access_token_expiry(token: str) -> datetime | None:
    """When a valid access token expires (None for anything else: a plugin's API key)."""
    verified = _verified.get((_secret(), token)) or _verify_access_token(token, _secret())
    return datetime.fromtimestamp(verified[0], tz=UTC) if verified else None


# ---------------------------------------------------------------- refresh tokens


def _refresh_hash(token: str) -> str:
    return rules.keyed_hash(_secret(), "refresh-token", token)


async def issue_refresh_token(account_id: int, family: str, at: datetime | None = None) -> str:
    issued = at or clock.now()
    token = rules.new_secret_token()
    await RefreshToken.create(
        account_id=account_id,
        family=family,
        token_hash=_refresh_hash(token),
        issued_at=issued,
        expires_at=issued + rules.REFRESH_TOKEN_TTL,
    )
    return token


async def rotate_refresh_token(token: str) -> tuple[int, str]:
    """Spend ``token``: (account id, family) to issue successors in, or Refused(INVALID_TOKEN).

    A token presented a second time revokes its family (theft or replay).
    """
    at = clock.now()
    token_hash = _refresh_hash(token or "")
    spent = await RefreshToken.filter(
        token_hash=token_hash, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=at
    ).update(used_at=at)
    row = await RefreshToken.get_or_none(token_hash=token_hash)
    if row is None:
        raise Refused("INVALID_TOKEN", field="refreshToken")
    if not spent:
        if row.used_at is not None and row.revoked_at is None:
            await revoke_family(row.family, at)
            await actor_cache.account_changed(row.account_id)
            log.warning("refresh token reused: session of account %s revoked", row.account_id)
        raise Refused("INVALID_TOKEN", field="refreshToken")
    return row.account_id, row.family


async def revoke_family(family: str, at: datetime | None = None) -> int:
    return await RefreshToken.filter(family=family, revoked_at__isnull=True).update(
        revoked_at=at or clock.now()
    )


async def session_alive(family: str) -> bool:
    """A session lives while its family has an unrevoked token (logout and reuse end it)."""
    return await RefreshToken.exists(family=family, revoked_at__isnull=True)


async def family_of(token: str) -> tuple[int, str] | None:
    row = await RefreshToken.get_or_none(token_hash=_refresh_hash(token or ""))
    return (row.account_id, row.family) if row else None
