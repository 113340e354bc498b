"""A volunteer shift as iCalendar (RFC 5545), in the rules room: data in, bytes out.

Like booking's appointments: times in UTC, a stable UID and a SEQUENCE so a phone's
calendar updates the event; it names no person.
"""

from __future__ import annotations

import datetime as dt

import icalendar

from . import SignUpStatus

ICAL_STATUS = {
    SignUpStatus.CONFIRMED: "CONFIRMED",
    SignUpStatus.WAITLISTED: "TENTATIVE",
    SignUpStatus.PENDING_CONSENT: "TENTATIVE",
    SignUpStatus.WITHDRAWN: "CANCELLED",
    SignUpStatus.CANCELLED: "CANCELLED",
    SignUpStatus.EXPIRED: "CANCELLED",
}


def shift_to_ical(
    *,
    uid: str,
    start: dt.datetime,
    end: dt.datetime,
    summary: str,
    location: str,
    status: SignUpStatus | str,
    dtstamp: dt.datetime,
    sequence: int = 0,
) -> bytes:
    if end <= start:
        raise ValueError("end must be after start")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Linli//volunteers//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", dtstamp.astimezone(dt.UTC))
    event.add("dtstart", start.astimezone(dt.UTC))
    event.add("dtend", end.astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("location", location)
    event.add("status", ICAL_STATUS[SignUpStatus(status)])
    event.add("sequence", sequence)
    cal.add_component(event)
    return cal.to_ical()
