"""Time comes from a clock object, never from ``datetime.now()`` in rules or services, so
tests can move it. All stored times are UTC; rules about days use the community's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


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
