"""Requests per actor per minute: the API's last line against one client hogging an instance.

An actor is its account when it presents a valid token, else its IP address. Counts live in
fixed one-minute windows: in Redis when the deployment has one (every instance shares them,
so N instances allow the same rate as one), else in this process. A request over the limit
is answered 429 with the code RATE_LIMITED and a Retry-After header. ``0`` turns it off.

While Redis is unreachable each instance counts in its own process (the same per-instance
limit, so a client can get at most N times the rate across N instances, never unlimited),
says so once in the log, and goes back to Redis when it answers again.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from typing import Any

from linli.core import redisconn

log = logging.getLogger("linli.ratelimit")

WINDOW_SECONDS = 60
MAX_LOCAL_KEYS = 100_000


class RequestRateLimiter:
    def __init__(
        self, per_minute: int, redis_url: str | None, namespace: str, prefix: str = "linli"
    ) -> None:
        self.per_minute = per_minute
        # Instances of one deployment share a database: its URL names their shared counters
        # (and keeps tests on one Redis apart, under the deployment's ``redis_prefix``).
        digest = hashlib.sha256(namespace.encode()).hexdigest()[:12]
        self.prefix = f"{prefix}:rate:{digest}"
        self._redis: Any = None
        if redis_url and per_minute > 0:
            self._redis = redisconn.client(redis_url)
        self.outage = redisconn.Outage(log, "request rate limits counted in this process")
        self._local: dict[tuple[str, int], int] = {}

    async def retry_after(self, key: str) -> int | None:
        """Count one request for ``key``; seconds to wait when it is over the limit, else None."""
        if self.per_minute <= 0:
            return None
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        if self._redis is not None and self.outage.should_try():
            count = await self._redis_hit(key, window)
        else:
            count = self._count_here(key, window)
        if count <= self.per_minute:
            return None
        return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))

    async def _redis_hit(self, key: str, window: int) -> int:
        name = f"{self.prefix}:{key}:{window}"
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.incr(name)
                pipe.expire(name, WINDOW_SECONDS * 2)
                count, _ = await pipe.execute()
        except Exception as exc:
            # Redis away: count here rather than refuse everyone or allow everything.
            self.outage.failed(exc)
            return self._count_here(key, window)
        self.outage.succeeded()
        return int(count)

    def _count_here(self, key: str, window: int) -> int:
        if len(self._local) > MAX_LOCAL_KEYS:
            self._local = {k: v for k, v in self._local.items() if k[1] == window}
        count = self._local.get((key, window), 0) + 1
        self._local[(key, window)] = count
        return count

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
