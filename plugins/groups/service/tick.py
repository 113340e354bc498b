"""The timed work (G3, G6), run by the server's periodic task and by ``linli groups tick``.

Idempotent and safe with two instances at once: each step is one conditional UPDATE per row
(the row still as it was read, the announcement not yet made), and only the instance whose
UPDATE changed the row announces. Days are each community's local day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from tortoise.expressions import Q

from linli.core import audit, db
from linli.core.errors import Refused

from .. import rules
from ..models import Filing, Group
from . import common
from .common import Status


@dataclasses.dataclass
class TickResult:
    overdue: int = 0  # G3: decision deadlines passed, staff warned
    renewal_opened: int = 0  # G6: renewal windows opened, leaders and members told
    lapsed: int = 0  # G6: groups lapsed the day after expiry


class _Days:
    """Each community's settings and local day, read once per run."""

    def __init__(self) -> None:
        self._seen: dict[int, rules.GroupSettings] = {}

    async def settings(self, community_id: int) -> rules.GroupSettings:
        if community_id not in self._seen:
            self._seen[community_id] = await common.settings_for(community_id)
        return self._seen[community_id]

    async def today(self, community_id: int) -> dt.date:
        return common.today(await self.settings(community_id))


async def tick() -> TickResult:
    result, days = TickResult(), _Days()
    # The widest "today" of any zone bounds what may be due (UTC-12 … UTC+14).
    horizon = common.now().date() + dt.timedelta(days=1)
    await _overdue(result, days, horizon)
    await _renewal_windows(result, days, horizon)
    await _lapses(result, days, horizon)
    return result


async def _overdue(result: TickResult, days: _Days, horizon: dt.date) -> None:
    due = await Filing.filter(
        status=Status.SUBMITTED, overdue_announced_at=None, deadline__lt=horizon
    ).prefetch_related("group")
    for filing in due:
        if not rules.overdue(filing.deadline, await days.today(filing.group.community_id)):
            continue
        async with db.atomic():
            won = await Filing.filter(
                pk=filing.pk, status=Status.SUBMITTED, overdue_announced_at=None
            ).update(overdue_announced_at=common.now())
            if won:
                await common.announce_review(filing, "OVERDUE")
                result.overdue += 1


async def _renewal_windows(result: TickResult, days: _Days, horizon: dt.date) -> None:
    widest = max([s.renewal_window_days for s in days._seen.values()] + [366])
    groups = await Group.filter(
        status=Status.APPROVED,
        approved_until__lte=horizon + dt.timedelta(days=widest),
    )
    for group in groups:
        until = group.approved_until
        if until is None or group.renewal_announced_for == until:
            continue
        s = await days.settings(group.community_id)
        if not rules.in_renewal_window(until, common.today(s), s):
            continue
        async with db.atomic():
            won = await Group.filter(
                Q(renewal_announced_for=None) | ~Q(renewal_announced_for=until),
                pk=group.pk,
                status=Status.APPROVED,
                approved_until=until,
            ).update(renewal_announced_for=until)
            if won:
                await common.announce_group(group, None, "RENEWAL_OPEN")
                result.renewal_opened += 1


async def _lapses(result: TickResult, days: _Days, horizon: dt.date) -> None:
    expired = await Group.filter(status=Status.APPROVED, approved_until__lt=horizon)
    for group in expired:
        pending = False
        if group.open_filing_id is not None:
            pending = await Filing.exists(
                pk=group.open_filing_id, kind=rules.FilingKind.RENEWAL, status=Status.SUBMITTED
            )
        today = await days.today(group.community_id)
        if not rules.lapses(group.status, group.approved_until, today, pending):
            continue
        try:
            async with db.atomic():
                await common.move(
                    Group,
                    group,
                    {Status.APPROVED},
                    Status.LAPSED,
                    None,
                    "not renewed",
                    where={
                        "approved_until": group.approved_until,
                        "open_filing_id": group.open_filing_id,
                    },
                    updated_at=common.now(),
                )
                await audit.record(None, "groups.lapse", community_id=group.community_id, obj=group)
                await common.announce_group(group, common.LAPSED, "LAPSED")
                result.lapsed += 1
        except Refused:
            continue  # another instance (or a renewal decided meanwhile) moved it first
