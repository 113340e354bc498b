"""Throttling of login and code attempts, in fixed windows, without handing out lockouts.

Who is counted (``rules_for``), so that brute force stays out and nobody can lock a stranger
out by typing wrong passwords for their phone:

- per phone *and client* (its IP): ``login_attempts_per_phone`` wrong passwords lock that
  client out of that phone for the rest of the window, and nobody else;
- per phone across all clients: a much higher ceiling (``login_attempts_per_phone_all_clients``)
  bounds what a botnet can guess per window. It closes the password path only: the
  one-time-code path counts apart, so the phone's owner can still log in with a code;
- per client IP across phones (``login_attempts_per_ip``): one client spraying many phones.

A success clears its (phone, client) count; the phone's ceiling stays (it bounds guesses).

Counters live where every instance sees them: Redis (``INCR`` + ``EXPIRE``) when
``settings.redis_url`` is set, else the ThrottleHit table (an atomic ``UPDATE count = count + 1``
with a unique (key, window) row). When Redis is unreachable, counting falls back to the table
(logged once per outage) and returns to Redis when it answers again: login never fails because
Redis is down. Windows follow the instance's clock, so tests move time.

Counting is per GraphQL operation: one operation (and one HTTP batch, which shares its
context) gets one attempt per throttled kind; a second aliased ``login`` in it is refused
without being tried, so aliases and batches cannot multiply tries.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from linli.core import clock, runtime
from linli.core.errors import Refused
from linli.core.identity import rules
from linli.core.identity.models import ThrottleHit

log = logging.getLogger("linli.identity.throttle")


@dataclass(frozen=True)
class Rule:
    kind: str  # "login", "code-request", "code-login", "register", "lookup"
    scope: str  # "phone+ip" (one client on one phone), "phone" (all clients), "ip", "account"
    limit: int
    window_seconds: int


class Backend(Protocol):
    """Where attempts are counted: shared by every instance of a deployment."""

    async def hit(self, key: str, window_seconds: int) -> int:
        """Count one attempt in the current window; the count so far."""
        ...

    async def clear(self, key: str, window_seconds: int) -> None:
        """Forget the current window's attempts (a success resets the client's count)."""
        ...

    async def close(self) -> None: ...


def _window(window_seconds: int) -> Any:
    return rules.window_start(clock.now(), window_seconds)


class DatabaseBackend:
    async def hit(self, key: str, window_seconds: int) -> int:
        start = _window(window_seconds)
        for _ in range(3):
            updated = await ThrottleHit.filter(key=key, window_start=start).update(
                count=F("count") + 1
            )
            if not updated:
                try:
                    await ThrottleHit.create(key=key, window_start=start, count=1)
                except IntegrityError:
                    continue  # another instance created it first: count on it
            row = await ThrottleHit.get_or_none(key=key, window_start=start)
            if row is not None:
                return row.count
        return 1 << 30  # cannot count: refuse rather than allow

    async def clear(self, key: str, window_seconds: int) -> None:
        await ThrottleHit.filter(key=key, window_start=_window(window_seconds)).delete()

    async def close(self) -> None:
        return None  # the database connection belongs to the app


class RedisBackend:
    """Keys are namespaced by the database: instances of one deployment share a database and
    so their counters; another deployment (or test) on the same Redis counts apart.

    Redis unreachable: this instance counts in the database instead (a window's count then
    starts again there: a few more tries for one window, never a refused login), says so
    once, tries Redis again every ``retry_seconds``, and says so once when it answers."""

    def __init__(
        self, url: str, database_url: str, prefix: str = "linli", retry_seconds: float = 2.0
    ) -> None:
        import redis.asyncio as redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        # Short timeouts, one retry (a pooled connection gone stale in an outage is replaced
        # at once): a Redis that is away or hangs must not hold a login for long.
        self._redis = redis.Redis.from_url(
            url, socket_connect_timeout=1, socket_timeout=1, retry=Retry(NoBackoff(), 1)
        )
        digest = hashlib.sha256(database_url.encode()).hexdigest()[:12]
        self._namespace = f"{prefix}:throttle:{digest}"  # under the deployment's Redis prefix
        self._fallback = DatabaseBackend()
        self._retry_seconds = retry_seconds
        self._down_since: float | None = None  # monotonic time of the last failure

    def _key(self, key: str, window_seconds: int) -> str:
        start = int(_window(window_seconds).timestamp())
        return f"{self._namespace}:{key}:{start}"

    @property
    def available(self) -> bool:
        return self._down_since is None

    def _skip_redis(self) -> bool:
        down = self._down_since
        return down is not None and time.monotonic() - down < self._retry_seconds

    def _failed(self, exc: Exception) -> None:
        if self._down_since is None:
            log.warning(
                "throttle counters: Redis unreachable (%s); counting in the database",
                type(exc).__name__,
            )
        self._down_since = time.monotonic()

    def _answered(self) -> None:
        if self._down_since is not None:
            log.warning("throttle counters: Redis answers again; counting in Redis")
        self._down_since = None

    async def hit(self, key: str, window_seconds: int) -> int:
        if self._skip_redis():
            return await self._fallback.hit(key, window_seconds)
        name = self._key(key, window_seconds)
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, timedelta(seconds=window_seconds * 2))
                count, _ = await pipe.execute()
        except Exception as exc:  # redis' ConnectionError, TimeoutError, a reset socket...
            self._failed(exc)
            return await self._fallback.hit(key, window_seconds)
        self._answered()
        return int(count)

    async def clear(self, key: str, window_seconds: int) -> None:
        if not self._skip_redis():
            try:
                await self._redis.delete(self._key(key, window_seconds))
            except Exception as exc:
                self._failed(exc)
            else:
                self._answered()
        if self._down_since is not None:
            await self._fallback.clear(key, window_seconds)

    async def close(self) -> None:
        await self._redis.aclose()


_backend: Backend | None = None


def start(redis_url: str | None, database_url: str, prefix: str = "linli") -> None:
    global _backend
    _backend = RedisBackend(redis_url, database_url, prefix) if redis_url else DatabaseBackend()


async def stop() -> None:
    global _backend
    if _backend is not None:
        with contextlib.suppress(Exception):
            await _backend.close()
    _backend = None


def backend() -> Backend:
    return _backend or DatabaseBackend()


def rules_for(kind: str) -> list[Rule]:
    """The limits of ``kind``, narrowest first: an attempt refused by one is not counted by the
    next, so one client hammering one phone does not move that phone's ceiling."""
    limits = runtime.current().settings.limits
    window = limits.throttle_window_seconds
    per_ip = limits.login_attempts_per_ip
    login = (limits.login_attempts_per_phone, limits.login_attempts_per_phone_all_clients)
    codes = (limits.code_requests_per_phone, limits.code_requests_per_phone_all_clients)
    table = {
        "login": login,
        "code-login": login,
        "code-request": codes,
    }
    if kind == "register":
        return [Rule("register", "ip", per_ip, window)]
    if kind == "lookup":
        lookups = limits.identity_lookups_per_window
        return [Rule("lookup", "account", lookups, window), Rule("lookup", "ip", lookups, window)]
    one_client, all_clients = table[kind]
    return [
        Rule(kind, "phone+ip", one_client, window),
        Rule(kind, "phone", all_clients, window),
        Rule(kind, "ip", per_ip, window),
    ]


def _key(rule: Rule, subject: str) -> str:
    # Phones and IPs are hashed in keys: Redis dumps and the table hold no personal data.
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"{rule.kind}:{rule.scope}:{digest}"


def _subject(scope: str, phone: str | None, ip: str, account: int | None) -> str | None:
    if scope == "phone+ip":
        return f"{phone}|{ip}" if phone else None
    if scope == "account":
        return f"account:{account}" if account is not None else None
    return phone if scope == "phone" else ip


async def attempt(
    kind: str,
    *,
    phone: str | None,
    ip: str,
    operation_keys: set[str],
    account: int | None = None,
) -> None:
    """Count one attempt of ``kind``; Refused(RATE_LIMITED) when over a limit, or when this
    operation already made one."""
    marker = f"throttle:{kind}"
    if marker in operation_keys:
        raise Refused("RATE_LIMITED", seconds=rules_for(kind)[0].window_seconds)
    operation_keys.add(marker)
    for rule in rules_for(kind):
        subject = _subject(rule.scope, phone, ip, account)
        if not subject:
            continue
        count = await backend().hit(_key(rule, subject), rule.window_seconds)
        if count > rule.limit:
            start = _window(rule.window_seconds)
            now = clock.now()
            seconds = max(
                int((start + timedelta(seconds=rule.window_seconds) - now).total_seconds()), 1
            )
            log.info("throttled %s by %s", kind, rule.scope)
            raise Refused("RATE_LIMITED", seconds=seconds)


async def succeeded(kind: str, *, phone: str, ip: str) -> None:
    """A successful login clears its (phone, client) count; the phone's ceiling and the IP's
    count stay."""
    for rule in rules_for(kind):
        if rule.scope == "phone+ip":
            await backend().clear(_key(rule, f"{phone}|{ip}"), rule.window_seconds)


async def lookup(account: int | None, ip: str, operation_keys: set[str]) -> None:
    """Count one look-up by phone, ID number or person id (``addMember``, ``grantProxy``,
    ``register`` with an ID number): per account and per IP, a few per window, so nobody
    learns in bulk who is registered."""
    await attempt("lookup", phone=None, ip=ip, account=account, operation_keys=operation_keys)
