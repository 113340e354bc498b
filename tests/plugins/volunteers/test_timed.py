"""The timed work: reminders once, minors' pending sign-ups expiring at the shift's start,
open attendance closing after the shift; idempotent, safe run twice at once, and by hand
(``linli volunteers tick``)."""

from __future__ import annotations

import asyncio
import datetime as dt

from volunteer_helpers import CHECK_IN, SIGN_UP, sh

from linli.testing import run_periodic_task


async def test_V5_V6_tick_is_idempotent_and_safe_twice_at_once(gql, world, clock):
    from volunteer_helpers import pk_of

    from linli.plugins.volunteers.models import HoursRecord, Shift, SignUp

    aid = await world.activity(gql)
    sid = await world.shift(gql, aid, start=sh(2026, 3, 2, 20), hours=2)
    adult = await world.volunteer(gql=gql)
    teen = await world.volunteer(birth_date=dt.date(2011, 1, 1), gql=gql)
    await gql.mutate(SIGN_UP, {"shiftId": sid}, token=adult.token)
    pending = await gql.mutate(SIGN_UP, {"shiftId": sid}, token=teen.token)
    assert pending["signUp"]["status"] == "PENDING_CONSENT"
    first, second = await asyncio.gather(
        run_periodic_task("volunteers-tick"), run_periodic_task("volunteers-tick")
    )
    assert first.reminders + second.reminders == 1  # the adult's reminder, sent once
    assert (await run_periodic_task("volunteers-tick")).reminders == 0
    clock.set(sh(2026, 3, 2, 20, 5).astimezone(dt.UTC))
    adult.token = await adult.fresh_token()
    code = (await Shift.get(id=pk_of(sid))).attendance_code
    opened = await gql.mutate(CHECK_IN, {"shiftId": sid, "code": code}, token=adult.token)
    assert opened["record"]["status"] == "OPEN"
    result = await run_periodic_task("volunteers-tick")
    assert result.expired == 1  # the minor's sign-up: no consent before the start
    assert (await SignUp.get(id=pk_of(pending["signUp"]["id"]))).status == "EXPIRED"
    assert result.closed == 0  # attendance still open during the shift
    clock.set(sh(2026, 3, 3, 0, 30).astimezone(dt.UTC))
    a, b = await asyncio.gather(
        run_periodic_task("volunteers-tick"), run_periodic_task("volunteers-tick")
    )
    assert a.closed + b.closed == 1 and a.expired + b.expired == 0
    record = await HoursRecord.get(id=pk_of(opened["record"]["id"]))
    assert record.status == "PENDING" and record.minutes == 115  # 20:05 to the shift's end


def test_linli_volunteers_tick_from_the_command_line(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "LINLI_DATABASE_URL": f"sqlite://{tmp_path}/cli.db"}
    subprocess.run(
        [sys.executable, "-m", "linli.core.cli", "migrate"],
        env=env,
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-m", "linli.core.cli", "volunteers", "tick"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "reminders: 0, sign-ups expired: 0, attendance closed: 0" in done.stdout
