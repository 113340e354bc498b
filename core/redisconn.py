"""Redis clients for Linli, and the outage bookkeeping every Redis user shares.

Redis is optional at every point: whoever uses it (the bus, the request rate limiter, the login
throttle) must carry on when it is unreachable. Two pieces make that uniform:

- :func:`client` makes a pooled client that recovers by itself after an outage: a connection
  found dead on use is reconnected and the command retried (a stale pooled connection never
  fails the first request after Redis comes back), idle connections are checked before use,
  and connecting gives up fast so a request never waits long on a Redis that is gone;
- :class:`Outage` remembers that Redis is down, so its user says so once in the log (and once
  more when it is back), not once per request, and skips Redis for a short while instead of
  paying a failed connection on every request.
"""

from __future__ import annotations

import logging
import time
from typing import Any

# Seconds a user of Redis skips it after a failure before trying again.
RETRY_AFTER_SECONDS = 1.0


def client(url: str, *, retries: int = 2) -> Any:
    """A pooled ``redis.asyncio.Redis`` that reconnects and retries on a lost connection.

    ``retries=0`` for a pub/sub listener: its connection must fail visibly (so the bus can
    tell its subscribers they may have missed events), never resubscribe behind its back.
    """
    import redis.asyncio as redis
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialWithJitterBackoff, NoBackoff

    backoff = ExponentialWithJitterBackoff(cap=0.1, base=0.01) if retries else NoBackoff()
    return redis.Redis.from_url(
        url,
        retry=Retry(backoff, retries),
        socket_connect_timeout=1.0,
        socket_timeout=5.0 if retries else None,  # a listener waits for messages forever
        health_check_interval=10 if retries else 0,
    )


class Outage:
    """Whether Redis is reachable for one user of it, logged once per change of state."""

    def __init__(self, logger: logging.Logger, what: str) -> None:
        self.log = logger
        self.what = what
        self.down_since: float | None = None
        self._skip_until = 0.0

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def should_try(self) -> bool:
        """False for a moment after a failure: the caller uses its fallback without waiting."""
        return time.monotonic() >= self._skip_until

    def failed(self, exc: BaseException) -> None:
        self._skip_until = time.monotonic() + RETRY_AFTER_SECONDS
        if self.down_since is None:
            self.down_since = time.time()
            # The type only: a Redis error message may carry the URL (and its password).
            self.log.warning("redis unreachable (%s): %s", type(exc).__name__, self.what)

    def succeeded(self) -> None:
        if self.down_since is not None:
            self.log.info(
                "redis reachable again after %.1fs: %s", time.time() - self.down_since, self.what
            )
            self.down_since = None
        self._skip_until = 0.0
