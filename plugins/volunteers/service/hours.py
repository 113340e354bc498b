"""V6 hours and V7 stars: check-in and check-out, attendance by the organiser, approval,
and corrections that never edit an approved record.

Every change of a record goes through the kit's status machine, whose edges leave nothing
from APPROVED (rules/hours.py): no code path here updates an approved record. A correction
is a new record (REVERSAL or AMENDMENT) pointing at the one it corrects, approved as it is
written, audited, and deposited into (or withdrawn from) the time bank like any approval.
"""

from __future__ import annotations

import datetime as dt

from tortoise.exceptions import IntegrityError

from linli.core import db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity import access

from .. import rules
from ..models import HoursRecord, Shift, SignUp
from ..rules import hours as hour_rules
from . import common, timebank
from .common import HOURS

H = hour_rules.HoursStatus
EARLY = dt.timedelta(minutes=30)  # self check-in opens this long before the shift
LATE = dt.timedelta(hours=2)  # attendance closes this long after it


def _key(shift_id: int, person_id: int) -> str:
    return f"{shift_id}:{person_id}"


async def _confirmed(actor: Actor, shift_id: int) -> tuple[Shift, SignUp]:
    if not actor.authenticated or actor.person_id is None:
        raise Refused("UNAUTHENTICATED")
    shift = await Shift.get_or_none(id=shift_id)
    row = None
    if shift is not None:
        row = await SignUp.get_or_none(
            shift_id=shift.pk, person_id=actor.person_id, status=common.S.CONFIRMED
        )
    if shift is None or row is None:
        raise Refused("NOT_FOUND", field="shiftId")
    return shift, row


async def check_in(actor: Actor, shift_id: int, code: str) -> HoursRecord:
    """V6: the volunteer checks in with the shift's code: an OPEN record."""
    shift, row = await _confirmed(actor, shift_id)
    hour_rules.check_code(code, shift.attendance_code)
    at = kit.now()
    hour_rules.check_in_window(at, shift.start, shift.end, early=EARLY, late=dt.timedelta(0))
    async with db.atomic():
        record = await kit.create_unless_exists(
            HoursRecord,
            refuse=Refused(str(rules.Reason.ALREADY_RECORDED), field="shiftId"),
            shift_id=shift.pk,
            activity_id=shift.activity_id,
            community_id=shift.community_id,
            person_id=row.person_id,
            status=H.OPEN,
            started_at=max(at, shift.start),
            attendance_key=_key(shift.pk, row.person_id),
            recorded_by_account_id=actor.account_id,
            created_at=at,
        )
        await HOURS.created(record, by=await access.acting_for(actor, row.person_id))
    return record


async def check_out(actor: Actor, shift_id: int, code: str) -> HoursRecord:
    """V6: check out with the code: the OPEN record becomes PENDING with its minutes."""
    shift, row = await _confirmed(actor, shift_id)
    hour_rules.check_code(code, shift.attendance_code)
    record = await HoursRecord.get_or_none(attendance_key=_key(shift.pk, row.person_id))
    if record is None or record.status != H.OPEN:
        raise Refused(str(rules.Reason.NOT_CHECKED_IN), field="shiftId")
    at = kit.now()
    hour_rules.check_in_window(at, shift.start, shift.end, early=EARLY, late=LATE)
    return await close(record, shift, min(at, shift.end), by=actor)


async def close(
    record: HoursRecord, shift: Shift, end: dt.datetime, *, by: Actor | None
) -> HoursRecord:
    """OPEN → PENDING, its minutes from check-in to ``end`` (at most the shift's end)."""
    started = record.started_at or shift.start
    minutes = max(int((end - started).total_seconds() // 60), 0)
    async with db.atomic():
        await HOURS.move(
            record,
            H.PENDING,
            by=by,
            note="" if by else "closed",
            changes={"ended_at": end, "minutes": minutes},
        )
    await record.refresh_from_db()
    return record


async def record_attendance(
    actor: Actor, shift_id: int, person_id: int, start: dt.datetime, end: dt.datetime
) -> HoursRecord:
    """V6: the organiser records who served and how long: a PENDING record."""
    shift, _ = await common.organised_shift(actor, shift_id)
    if not await SignUp.exists(shift_id=shift.pk, person_id=person_id, status=common.S.CONFIRMED):
        raise Refused("NOT_FOUND", field="personId")
    start, end = rules.aware(start, "start"), rules.aware(end, "end")
    minutes = hour_rules.minutes_between(start, end)
    at = kit.now()
    async with db.atomic():
        record = await kit.create_unless_exists(
            HoursRecord,
            refuse=Refused(str(rules.Reason.ALREADY_RECORDED), field="personId"),
            shift_id=shift.pk,
            activity_id=shift.activity_id,
            community_id=shift.community_id,
            person_id=person_id,
            status=H.PENDING,
            minutes=minutes,
            started_at=start,
            ended_at=end,
            attendance_key=_key(shift.pk, person_id),
            recorded_by_account_id=actor.account_id,
            created_at=at,
        )
        await HOURS.created(record, by=actor, audit="volunteers.hours.record")
    return record


async def _decidable(actor: Actor, record_id: int) -> HoursRecord:
    record = await HoursRecord.get_or_none(id=record_id)
    if record is None:
        if not actor.authenticated:
            raise Refused("UNAUTHENTICATED")
        raise Refused("FORBIDDEN", field="recordId")
    shift = await Shift.get(id=record.shift_id)
    await common.organised(actor, shift.activity_id)
    return record


async def approve(actor: Actor, record_id: int) -> HoursRecord:
    """Only organiser-approved hours count (V6); the time bank gets the coins (V9)."""
    record = await _decidable(actor, record_id)
    hour_rules.check_approval(record.status)
    async with db.atomic():
        await HOURS.move(
            record,
            H.APPROVED,
            by=actor,
            changes={"decided_by_account_id": actor.account_id, "decided_at": kit.now()},
            audit="volunteers.hours.approve",
            events=[_event(record, "HOURS_APPROVED")],
        )
        await timebank.deposit_hours(
            record.pk, record.person_id, record.community_id, record.minutes
        )
    await record.refresh_from_db()
    return record


async def reject(actor: Actor, record_id: int, reason: str) -> HoursRecord:
    record = await _decidable(actor, record_id)
    hour_rules.check_approval(record.status)
    if not reason.strip():
        raise Refused("INVALID_INPUT", field="reason")
    async with db.atomic():
        await HOURS.move(
            record,
            H.REJECTED,
            by=actor,
            changes={
                "decided_by_account_id": actor.account_id,
                "decided_at": kit.now(),
                "reason": reason.strip()[:200],
            },
            audit="volunteers.hours.reject",
            events=[_event(record, "HOURS_REJECTED")],
        )
    await record.refresh_from_db()
    return record


async def correct(actor: Actor, record_id: int, minutes: int, reason: str) -> HoursRecord:
    """V6: an approved attendance corrected to ``minutes`` by a NEW record (a reversal to 0,
    or an amendment by the difference), approved and audited as it is written. The record
    corrected is never touched.

    Concurrent corrections of one record apply in order: each says what the record should
    have been, so each is computed against the corrections already written, and the last
    one written decides the total. The correction's number (unique with the record it
    corrects) is what orders them: two computed from the same state cannot both be written;
    the one the database refuses is computed again against the other (a few times at most,
    then CONFLICT, core's code for "changed meanwhile, try again")."""
    original = await _decidable(actor, record_id)
    if original.status != H.APPROVED or original.kind != hour_rules.HoursKind.ATTENDANCE:
        raise Refused(str(rules.Reason.NOT_APPROVED), field="recordId")
    if not reason.strip():
        raise Refused("INVALID_INPUT", field="reason")
    for _ in range(CORRECTION_TRIES):
        try:
            return await _write_correction(actor, original, minutes, reason.strip()[:200])
        except IntegrityError:
            continue  # another correction took this number first: compute against it
    raise Refused("CONFLICT", field="recordId")


CORRECTION_TRIES = 5


async def _write_correction(
    actor: Actor, original: HoursRecord, minutes: int, reason: str
) -> HoursRecord:
    at = kit.now()
    async with db.atomic():
        # One statement, one snapshot: the corrections so far and their count agree.
        earlier = await HoursRecord.filter(corrects_id=original.pk, status=H.APPROVED).values_list(
            "minutes", "correction_number"
        )
        so_far = sum(m for m, _ in earlier)
        number = max((n or 0 for _, n in earlier), default=0) + 1
        kind, delta = hour_rules.correction(original.minutes, so_far, minutes)
        record = await HoursRecord.create(
            shift_id=original.shift_id,
            activity_id=original.activity_id,
            community_id=original.community_id,
            person_id=original.person_id,
            kind=kind,
            status=H.APPROVED,
            minutes=delta,
            corrects_id=original.pk,
            correction_number=number,
            reason=reason,
            recorded_by_account_id=actor.account_id,
            decided_by_account_id=actor.account_id,
            decided_at=at,
            created_at=at,
        )
        await HOURS.created(
            record,
            by=actor,
            note=str(kind),
            audit="volunteers.hours.correct",
            audit_detail={"corrects": original.pk, "minutes": delta, "number": number},
            events=[_event(record, "HOURS_CORRECTED")],
        )
        await timebank.deposit_hours(record.pk, record.person_id, record.community_id, delta)
    return record


def _event(record: HoursRecord, kind: str) -> tuple[object, dict[str, object]]:
    return common.person_event(record.person_id, kind, record.community_id, record_id=record.pk)


async def approved_minutes(person_id: int) -> int:
    minutes = await HoursRecord.filter(person_id=person_id, status=H.APPROVED).values_list(
        "minutes", flat=True
    )
    return sum(minutes)


async def stars_of(person_id: int, community_id: int) -> hour_rules.Stars:
    """V7: the star level from all approved records (corrections included)."""
    s = await common.settings_for(community_id)
    return hour_rules.star_level(await approved_minutes(person_id), s.star_hours)


async def close_due(limit: int = 500) -> int:
    """Timed work: open attendance closes LATE after the shift, at the shift's end."""
    due = await HoursRecord.filter(status=H.OPEN, shift__end__lte=kit.now() - LATE).limit(limit)
    done = 0
    for record in due:
        shift = await Shift.get(id=record.shift_id)
        try:
            await close(record, shift, shift.end, by=None)
            done += 1
        except Refused:
            continue
    return done
