"""Time comes from a clock object, never from ``datetime.now()`` in rules or services, so
tests can move it. All stored times are UTC; rules about days use the community's zone.

The one way a service or a plugin asks for the time (the kit's clock)::

    from linli.core.clock import now, today

    at = now()                       # aware UTC, from the running instance's clock
    day = today(community.time_zone) # the community's local day (Asia/Shanghai by default)
    local_day(slot.start, tz)        # the local day of any instant

``now()`` outside a running instance (a script, an import-time default) is the wall clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"


class Clock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def local_now(self, tz: str) -> datetime:
        return self.now().astimezone(ZoneInfo(tz))

    def local_today(self, tz: str) -> date:
        return self.local_now(tz).date()


class FrozenClock(Clock):
    """A clock that stands still until moved: the tests' clock."""

    def __init__(self, at: datetime | None = None) -> None:
        self._now = (at or datetime.now(UTC)).astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FrozenClock.set needs an aware datetime")
        self._now = at.astimezone(UTC)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self._now += delta if delta is not None else timedelta(**kwargs)
        return self._now


def now() -> datetime:
    """The running instance's time (the tests' frozen clock in tests), aware UTC."""
    from linli.core import runtime

    current = runtime._current
    return current.clock.now() if current is not None else datetime.now(UTC)


def local_day(instant: datetime, tz: str = DEFAULT_ZONE) -> date:
    """The local calendar day of an aware instant in zone ``tz`` (never the UTC day)."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("local_day needs a timezone-aware instant")
    return instant.astimezone(ZoneInfo(tz)).date()


def today(tz: str = DEFAULT_ZONE) -> date:
    """Today in zone ``tz`` (a community's ``time_zone``), by the instance's clock."""
    return local_day(now(), tz)
