"""Volunteer use cases, one transaction each. The API, the CLI and the periodic task call these.

- ``profiles``: registering (V1); ``activities``: activities and shifts (V2);
- ``signups``: sign-up, waitlist, withdrawal, a guardian's consent (V3–V5);
- ``hours``: attendance, approval, corrections, stars (V6, V7);
- ``certificates`` (V8); ``timebank`` (V9); below them ``common`` (settings, seats, the
  status machines, events: V10). The demo data is the room beside: ``demo.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from linli.core import db, kit

from ..models import SignUp
from . import activities, certificates, common, hours, profiles, signups, timebank

REMIND_BEFORE = dt.timedelta(hours=24)


@dataclass(frozen=True)
class TickResult:
    reminders: int
    expired: int
    closed: int


async def send_reminders(limit: int = 500) -> int:
    """A reminder to each confirmed volunteer of a shift starting within a day, once: the
    conditional UPDATE (reminded false → true) lets only one instance send it."""
    now = kit.now()
    due = await SignUp.filter(
        status=common.S.CONFIRMED,
        reminded=False,
        start_at__gt=now,
        start_at__lte=now + REMIND_BEFORE,
    ).limit(limit)
    sent = 0
    for row in due:
        async with db.atomic():
            if await SignUp.filter(id=row.pk, reminded=False).update(reminded=True) != 1:
                continue
            event, payload = common.sign_up_event(row, "REMINDER")
            await event.publish(**payload)
            sent += 1
    return sent


async def tick() -> TickResult:
    """The timed work: reminders, minors' pending sign-ups expiring at the shift's start,
    open attendance closing after the shift. Idempotent, and safe with two instances at once:
    every change is a conditional UPDATE guarded by the row's state."""
    return TickResult(
        reminders=await send_reminders(),
        expired=await signups.expire_pending(),
        closed=await hours.close_due(),
    )


__all__ = [
    "TickResult",
    "activities",
    "certificates",
    "hours",
    "profiles",
    "signups",
    "tick",
    "timebank",
]
