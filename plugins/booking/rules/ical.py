"""iCalendar export of an appointment (DOMAIN.md B12), in the rules room.

Pure: data in, RFC 5545 bytes out, built with the `icalendar` library.
"""

from __future__ import annotations

import datetime as dt

import icalendar

from .status import Status

UTC = dt.UTC

# FHIR Appointment.status → VEVENT STATUS (RFC 5545 3.8.1.11): a phone shows what will happen.
ICAL_STATUS = {
    Status.PROPOSED: "TENTATIVE",
    Status.PENDING: "TENTATIVE",
    Status.WAITLIST: "TENTATIVE",
    Status.BOOKED: "CONFIRMED",
    Status.ARRIVED: "CONFIRMED",
    Status.CHECKED_IN: "CONFIRMED",
    Status.FULFILLED: "CONFIRMED",
    Status.CANCELLED: "CANCELLED",
    Status.NOSHOW: "CANCELLED",
    Status.ENTERED_IN_ERROR: "CANCELLED",
}


def appointment_to_ical(
    *,
    uid: str,
    start: dt.datetime,
    end: dt.datetime,
    summary: str,
    location: str,
    status: Status | str,
    dtstamp: dt.datetime,
    sequence: int = 0,
) -> bytes:
    """An RFC 5545 VCALENDAR with one VEVENT, times in UTC. It takes no person at all, so no
    name or ID number can leak into a file that ends up in a phone's synced calendar.
    Keep `uid` stable and raise `sequence` on each change so calendars update the event."""
    if _aware(end) <= _aware(start):
        raise ValueError("end must be after start")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Linli//booking//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", _aware(dtstamp).astimezone(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", end.astimezone(UTC))
    event.add("summary", summary)
    event.add("location", location)
    event.add("status", ICAL_STATUS[Status(status)])
    event.add("sequence", sequence)
    cal.add_component(event)
    return cal.to_ical()


def _aware(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("appointment times must be timezone-aware")
    return instant
