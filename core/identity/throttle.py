"""Throttling of login and code attempts, per phone and per IP, in fixed windows.

Counters live where every instance sees them: Redis (``INCR`` + ``EXPIRE``) when
``settings.redis_url`` is set, else the ThrottleHit table (an atomic ``UPDATE count = count + 1``
with a unique (key, window) row). Windows follow the instance's clock, so tests move time.

Counting is per GraphQL operation: one operation (and one HTTP batch, which shares its
context) gets one attempt per throttled kind; a second aliased ``login`` in it is refused
without being tried, so aliases and batches cannot multiply tries.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from linli.core import runtime
from linli.core.errors import Refused
from linli.core.identity import rules
from linli.core.identity.models import ThrottleHit

log = logging.getLogger("linli.identity.throttle")


@dataclass(frozen=True)
class Rule:
    kind: str  # "login", "code-request", "code-login", "register"
    scope: str  # "phone" or "ip"
    limit: int
    window_seconds: int


class Backend(Protocol):
    """Where attempts are counted: shared by every instance of a deployment."""

    async def hit(self, key: str, window_seconds: int) -> int:
        """Count one attempt in the current window; the count so far."""
        ...

    async def clear(self, key: str, window_seconds: int) -> None:
        """Forget the current window's attempts (a success resets the phone's count)."""
        ...

    async def close(self) -> None: ...


def _window(window_seconds: int) -> Any:
    return rules.window_start(runtime.current().clock.now(), window_seconds)


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
    so their counters; another deployment (or test) on the same Redis counts apart."""

    def __init__(self, url: str, database_url: str) -> None:
        import redis.asyncio as redis

        self._redis = redis.Redis.from_url(url)
        self._namespace = hashlib.sha256(database_url.encode()).hexdigest()[:12]

    def _key(self, key: str, window_seconds: int) -> str:
        start = int(_window(window_seconds).timestamp())
        return f"linli:throttle:{self._namespace}:{key}:{start}"

    async def hit(self, key: str, window_seconds: int) -> int:
        name = self._key(key, window_seconds)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, timedelta(seconds=window_seconds * 2))
            count, _ = await pipe.execute()
        return int(count)

    async def clear(self, key: str, window_seconds: int) -> None:
        await self._redis.delete(self._key(key, window_seconds))

    async def close(self) -> None:
        await self._redis.aclose()


_backend: Backend | None = None


def start(redis_url: str | None, database_url: str) -> None:
    global _backend
    _backend = RedisBackend(redis_url, database_url) if redis_url else DatabaseBackend()


async def stop() -> None:
    global _backend
    if _backend is not None:
        with contextlib.suppress(Exception):
            await _backend.close()
    _backend = None


def backend() -> Backend:
    return _backend or DatabaseBackend()


def rules_for(kind: str) -> list[Rule]:
    limits = runtime.current().settings.limits
    window = limits.throttle_window_seconds
    table = {
        "login": [
            Rule("login", "phone", limits.login_attempts_per_phone, window),
            Rule("login", "ip", limits.login_attempts_per_ip, window),
        ],
        "code-login": [
            Rule("code-login", "phone", limits.login_attempts_per_phone, window),
            Rule("code-login", "ip", limits.login_attempts_per_ip, window),
        ],
        "code-request": [
            Rule("code-request", "phone", limits.code_requests_per_phone, window),
            Rule("code-request", "ip", limits.login_attempts_per_ip, window),
        ],
        "register": [Rule("register", "ip", limits.login_attempts_per_ip, window)],
    }
    return table[kind]


def _key(rule: Rule, subject: str) -> str:
    # Phones and IPs are hashed in keys: Redis dumps and the table hold no personal data.
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"{rule.kind}:{rule.scope}:{digest}"


async def attempt(kind: str, *, phone: str | None, ip: str, operation_keys: set[str]) -> None:
    """Count one attempt of ``kind``; Refused(RATE_LIMITED) when over a limit, or when this
    operation already made one."""
    marker = f"throttle:{kind}"
    if marker in operation_keys:
        raise Refused("RATE_LIMITED", seconds=rules_for(kind)[0].window_seconds)
    operation_keys.add(marker)
    subjects = {"phone": phone, "ip": ip}
    for rule in rules_for(kind):
        subject = subjects[rule.scope]
        if not subject:
            continue
        count = await backend().hit(_key(rule, subject), rule.window_seconds)
        if count > rule.limit:
            start = _window(rule.window_seconds)
            now = runtime.current().clock.now()
            seconds = max(
                int((start + timedelta(seconds=rule.window_seconds) - now).total_seconds()), 1
            )
            log.info("throttled %s by %s", kind, rule.scope)
            raise Refused("RATE_LIMITED", seconds=seconds)


async def succeeded(kind: str, *, phone: str) -> None:
    """A successful login clears its phone's counter (the IP's stays)."""
    for rule in rules_for(kind):
        if rule.scope == "phone":
            await backend().clear(_key(rule, phone), rule.window_seconds)
