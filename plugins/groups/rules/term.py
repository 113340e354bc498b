"""G6 validity and renewal, G7 thresholds: plain functions of days and counts."""

from __future__ import annotations

import datetime as dt

from linli.core.errors import Refused

from .vocabulary import (
    GroupSettings,
    Status,
)

# ---------------------------------------------------------------- G6 validity and renewal


def valid_until(approved_day: dt.date, s: GroupSettings = GroupSettings()) -> dt.date:
    """G6: the last valid day of an approval given on ``approved_day``."""
    return approved_day + dt.timedelta(days=s.term_days)


def renewal_opens(until: dt.date, s: GroupSettings = GroupSettings()) -> dt.date:
    return until - dt.timedelta(days=s.renewal_window_days)


def in_renewal_window(until: dt.date, today: dt.date, s: GroupSettings = GroupSettings()) -> bool:
    return renewal_opens(until, s) <= today <= until


def lapse_day(until: dt.date) -> dt.date:
    """G6: the group lapses on the day after its last valid day."""
    return until + dt.timedelta(days=1)


def lapses(
    status: str, until: dt.date | None, today: dt.date, renewal_pending: bool = False
) -> bool:
    """G6: an approved group not renewed lapses from the day after expiry."""
    return (
        Status(status) is Status.APPROVED
        and until is not None
        and today >= lapse_day(until)
        and not renewal_pending
    )


def check_renewal(status: str, until: dt.date | None, today: dt.date, s: GroupSettings) -> None:
    """G6: renew inside the window (an approved group) or at any time (a lapsed one)."""
    if Status(status) is Status.LAPSED:
        return
    if Status(status) is not Status.APPROVED or until is None:
        raise Refused("INVALID_TRANSITION", current=str(status), target="RENEWAL")
    if not in_renewal_window(until, today, s):
        raise Refused(
            "NOT_IN_RENEWAL_WINDOW",
            opens=renewal_opens(until, s).isoformat(),
            until=until.isoformat(),
        )


def badge_shown(status: str, until: dt.date | None, today: dt.date) -> bool:
    """The public badge: approved, and today inside the approval's term."""
    return Status(status) is Status.APPROVED and until is not None and today <= until


def may_organise(status: str, until: dt.date | None, today: dt.date) -> bool:
    """G6: only an approved group inside its term organises activities."""
    return badge_shown(status, until, today)


# ---------------------------------------------------------------- G7 thresholds


def compliant(category: str, members: int, s: GroupSettings = GroupSettings()) -> bool:
    """G7: the roster (leader included) reaches the category's minimum."""
    return members >= s.minimum_for(category)
