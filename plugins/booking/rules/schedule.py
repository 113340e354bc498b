"""Booking schedules and slots (DOMAIN.md B2), in the rules room.

Pure like the rest of the room: staff publish a weekly pattern of windows (local wall-clock
times) with per-date overrides; `expand` turns it into slot specs with UTC edges to store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from .basics import DEFAULTS

UTC = dt.UTC


class ScheduleError(ValueError):
    """A schedule that cannot be published; `field` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclasses.dataclass(frozen=True, kw_only=True)
class Window:
    """A block of equal slots within one local day (no window crosses midnight)."""

    start: dt.time
    end: dt.time
    slot_minutes: int
    capacity: int = 1

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ScheduleError("start", "use local wall-clock times without tzinfo")
        if self.capacity < 1:
            raise ScheduleError("capacity", "must be at least 1")
        if self.slot_minutes < 1:
            raise ScheduleError("slot_minutes", "must be at least 1")
        if self.end <= self.start:
            raise ScheduleError("end", "must be after start")
        span = dt.datetime.combine(dt.date.min, self.end) - dt.datetime.combine(
            dt.date.min, self.start
        )
        # Refuse rather than silently drop a short last slot staff did not expect.
        if span % dt.timedelta(minutes=self.slot_minutes):
            raise ScheduleError("slot_minutes", "must divide the window evenly")


@dataclasses.dataclass(frozen=True, kw_only=True)
class WeeklyRule(Window):
    weekday: int  # Monday 0 … Sunday 6, as date.weekday()

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 <= self.weekday <= 6:
            raise ScheduleError("weekday", "must be 0 (Monday) to 6 (Sunday)")


@dataclasses.dataclass(frozen=True)
class DayOverride:
    """Replaces the weekly pattern on one local date; no windows means closed that day."""

    day: dt.date
    windows: tuple[Window, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "windows", tuple(self.windows))
        _check_no_overlap(self.windows, "overrides")


def _check_no_overlap(windows: Iterable[Window], field: str) -> None:
    # One practitioner, team or room cannot run two blocks at once; touching is fine.
    ordered = sorted(windows, key=lambda w: w.start)
    for before, after in itertools.pairwise(ordered):
        if after.start < before.end:
            raise ScheduleError(field, f"windows overlap at {after.start.isoformat()}")


@dataclasses.dataclass(frozen=True)
class Schedule:
    weekly: tuple[WeeklyRule, ...]
    overrides: tuple[DayOverride, ...] = ()
    tz: str = DEFAULTS.tz

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekly", tuple(self.weekly))
        object.__setattr__(self, "overrides", tuple(self.overrides))
        ZoneInfo(self.tz)
        for weekday in range(7):
            _check_no_overlap([r for r in self.weekly if r.weekday == weekday], "weekly")
        days = [o.day for o in self.overrides]
        if len(days) != len(set(days)):
            raise ScheduleError("overrides", "one override per date")

    def windows_on(self, day: dt.date) -> tuple[Window, ...]:
        for override in self.overrides:
            if override.day == day:
                return override.windows
        return tuple(r for r in self.weekly if r.weekday == day.weekday())


@dataclasses.dataclass(frozen=True)
class SlotSpec:
    local_date: dt.date
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    capacity: int


def expand(schedule: Schedule, first: dt.date, last: dt.date) -> list[SlotSpec]:
    """Every slot of `schedule` on the local days first..last (inclusive), in time order."""
    if last < first:
        raise ScheduleError("last", "must not be before first")
    zone = ZoneInfo(schedule.tz)
    slots: list[SlotSpec] = []
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        for window in schedule.windows_on(day):
            slots.extend(_slots(day, window, zone))
    return sorted(slots, key=lambda s: s.start)


def _slots(day: dt.date, window: Window, zone: dt.tzinfo) -> Iterator[SlotSpec]:
    # Step in wall-clock time, then convert each edge: slots stay on the local grid.
    step = dt.timedelta(minutes=window.slot_minutes)
    start, end = dt.datetime.combine(day, window.start), dt.datetime.combine(day, window.end)
    while start < end:
        yield SlotSpec(
            day,
            start.replace(tzinfo=zone).astimezone(UTC),
            (start + step).replace(tzinfo=zone).astimezone(UTC),
            window.capacity,
        )
        start += step
