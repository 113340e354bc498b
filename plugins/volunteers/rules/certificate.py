"""V8 certificates of service records (《志愿服务记录与证明出具办法》), in the rules room.

A certificate is free, numbered, issued by the organisation that kept the records (the
community), and lists the approved hours of a period by activity. Anyone holding the number
may verify it and learns only the masked name, the issuer, the period, the hours and
whether it was revoked.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable

from . import Reason, refuse

# Crockford's base32 without I, L, O, U: read aloud and typed from paper without mistakes.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NUMBER = re.compile(r"^LV-\d{4}-[0-9A-HJKMNP-TV-Z]{10}$")
MAX_PERIOD_DAYS = 366 * 10


def new_number(year: int) -> str:
    """A certificate number that cannot be guessed from another: LV-2026-XXXXXXXXXX (50
    random bits: an enumerating verifier finds nothing)."""
    return f"LV-{year:04d}-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def well_formed(number: str) -> bool:
    return bool(NUMBER.match(number.strip().upper()))


def check_period(first: dt.date, last: dt.date, today: dt.date) -> None:
    """A period of past days: not ending after today, first before last, at most ten years."""
    if last < first:
        raise refuse(Reason.END_BEFORE_START, "to")
    if last > today:
        raise refuse(Reason.PERIOD_IN_FUTURE, "to")
    if (last - first).days > MAX_PERIOD_DAYS:
        raise refuse(Reason.END_BEFORE_START, "from")


def masked_name(name: str) -> str:
    """The holder's name as a verifier sees it: the surname and a mask (王小明 → 王**); a
    Latin name keeps its first letter."""
    name = name.strip()
    if not name:
        return "*"
    return name[0] + "*" * max(len(name) - 1, 1)


def lines_by_activity(records: Iterable[tuple[int, str, int]]) -> list[dict[str, object]]:
    """(activity id, title, approved minutes) per record → one line per activity with its
    minutes (corrections included), activities with nothing left dropped, in id order."""
    minutes: dict[int, int] = defaultdict(int)
    titles: dict[int, str] = {}
    for activity_id, title, amount in records:
        minutes[activity_id] += amount
        titles[activity_id] = title
    return [
        {"activity_id": a, "title": titles[a], "minutes": m}
        for a, m in sorted(minutes.items())
        if m > 0
    ]


def check_lines(lines: list[dict[str, object]]) -> int:
    total = sum(int(line["minutes"]) for line in lines)  # type: ignore[call-overload]
    if total <= 0:
        raise refuse(Reason.NO_APPROVED_HOURS, "from")
    return total
