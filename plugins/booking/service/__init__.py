"""Booking use cases, one transaction each. The API, the CLI and the periodic task call these.

- ``catalogue``: sites, service types, schedules, slots, family-doctor contracts (staff)
- ``appointments``: book, cancel, staff status changes, the no-show job
- ``waitlist``: join, accept, decline, leave, lapsed offers
- below them: ``offers`` (a freed seat held for the next person waiting), ``checks`` (what
  booking a slot for a person checks first), ``common`` (settings, seats, the status
  machine, events). Imports run one way: appointments → waitlist → offers → common.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import appointments, catalogue, waitlist


@dataclass(frozen=True)
class TickResult:
    offers_expired: int
    noshows_marked: int


async def tick() -> TickResult:
    """The timed work (B8 offers lapse, B9 no-shows marked): idempotent, and safe with two
    instances at once, since every change is a conditional UPDATE guarded by status."""
    return TickResult(
        offers_expired=await waitlist.expire_due_offers(),
        noshows_marked=await appointments.mark_due_noshows(),
    )


__all__ = ["TickResult", "appointments", "catalogue", "tick", "waitlist"]
