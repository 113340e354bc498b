"""B4: the appointment's status machine (FHIR Appointment.status): the statuses, the edges
as data (``EDGES``, for linli.core.kit.StatusMachine) and who may take them."""

from __future__ import annotations

import datetime as dt
import enum

from .basics import DEFAULTS, Reason, _aware, refuses


class Status(enum.StrEnum):
    PROPOSED = "proposed"  # FHIR code; no transition of DOMAIN.md reaches it
    PENDING = "pending"
    BOOKED = "booked"
    ARRIVED = "arrived"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    NOSHOW = "noshow"
    ENTERED_IN_ERROR = "entered-in-error"
    CHECKED_IN = "checked-in"
    WAITLIST = "waitlist"


ACTIVE_STATUSES = frozenset({Status.PENDING, Status.BOOKED, Status.ARRIVED, Status.CHECKED_IN})
FINAL_STATUSES = frozenset(
    {Status.FULFILLED, Status.CANCELLED, Status.NOSHOW, Status.ENTERED_IN_ERROR}
)

# None is "new": the appointment does not exist yet. "any → entered-in-error" and the
# staff-only noshow → arrived correction are handled in transition_error.
TRANSITIONS: dict[Status | None, frozenset[Status]] = {
    None: frozenset({Status.BOOKED, Status.WAITLIST, Status.PENDING}),
    Status.PENDING: frozenset({Status.BOOKED, Status.CANCELLED}),
    Status.WAITLIST: frozenset({Status.BOOKED, Status.CANCELLED}),
    Status.BOOKED: frozenset({Status.ARRIVED, Status.CHECKED_IN, Status.CANCELLED, Status.NOSHOW}),
    Status.ARRIVED: frozenset({Status.CHECKED_IN, Status.FULFILLED, Status.CANCELLED}),
    Status.CHECKED_IN: frozenset({Status.FULFILLED, Status.CANCELLED}),
}

# Transitions only the booking itself makes, never a person: B8's offer holds a freed seat
# for the first person waiting, so their waitlist entry becomes the hold ("pending for a
# hold", B4), to be accepted (booked) or declined or left to lapse (cancelled).
SYSTEM_TRANSITIONS = frozenset({(Status.WAITLIST, Status.PENDING)})

# Statuses only staff (or a staff-run job) may set. Attendance is witnessed at the desk: a
# resident who could mark themself arrived would dodge the no-show job (B9), and
# entered-in-error voids a no-show, so it is a correction only staff make.
STAFF_ONLY_TARGETS = frozenset(
    {Status.ARRIVED, Status.CHECKED_IN, Status.FULFILLED, Status.NOSHOW, Status.ENTERED_IN_ERROR}
)


# The status machine's edges as data (linli.core.kit.StatusMachine): TRANSITIONS, the
# booking's own offer step, staff's no-show correction and any → entered-in-error. Who may
# take an edge, and until when, is transition_error's to say.
EDGES: dict[Status | None, frozenset[Status]] = {
    current: frozenset(
        {
            *TRANSITIONS.get(current, ()),
            *(after for before, after in SYSTEM_TRANSITIONS if before is current),
            *((Status.ARRIVED,) if current is Status.NOSHOW else ()),
            *((Status.ENTERED_IN_ERROR,) if current not in (None, Status.ENTERED_IN_ERROR) else ()),
        }
    )
    for current in (None, *Status)
}


@refuses
def transition_error(
    current: Status | str | None,
    target: Status | str,
    *,
    by_staff: bool,
    by_system: bool = False,
    now: dt.datetime | None = None,
    noshow_marked_at: dt.datetime | None = None,
    grace: dt.timedelta = DEFAULTS.noshow_grace,
) -> Reason | None:
    """INVALID_TRANSITION or None for current → target (current None = a new appointment).
    `by_system`: the booking's own step (an offer, SYSTEM_TRANSITIONS), never a request."""
    current = None if current is None else Status(current)
    target = Status(target)
    if by_system and (current, target) in SYSTEM_TRANSITIONS:
        return None
    if target in STAFF_ONLY_TARGETS and not by_staff:
        return Reason.INVALID_TRANSITION
    if target is Status.ENTERED_IN_ERROR:
        # "any": any existing appointment; not a new one, not one already voided.
        ok = current is not None and current is not Status.ENTERED_IN_ERROR
        return None if ok else Reason.INVALID_TRANSITION
    if current is Status.NOSHOW and target is Status.ARRIVED:
        if now is None or noshow_marked_at is None:
            return Reason.INVALID_TRANSITION
        elapsed = _aware(now, "now") - _aware(noshow_marked_at, "noshow_marked_at")
        return None if dt.timedelta(0) <= elapsed <= grace else Reason.INVALID_TRANSITION
    return None if target in TRANSITIONS.get(current, ()) else Reason.INVALID_TRANSITION


def can_transition(current: Status | str | None, target: Status | str, **kwargs) -> bool:
    return transition_error.__wrapped__(current, target, **kwargs) is None
