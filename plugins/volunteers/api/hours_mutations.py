"""Volunteer mutations, part two: attendance and hours (V6), certificates (V8), the time
bank (V9). On the kit's ``@g.mutation``, like part one."""

from __future__ import annotations

from typing import Any

from linli.core import graphql as g

from ..models import Certificate, HoursRecord, Transfer
from ..service import certificates, hours, timebank
from . import inputs as i
from .types import (
    TimeBankAccount,
    TimeBankEntry,
    VolunteerCertificate,
    VolunteerError,
    VolunteerHoursRecord,
)


def _shift(gid: Any) -> int:
    return g.pk(gid, "VolunteerShift", field="shiftId")


def _record(gid: Any) -> int:
    return g.pk(gid, "VolunteerHoursRecord", field="recordId")


def _minutes(value: float) -> int:
    return round(value * 60)


async def account_type(actor: Any, person_id: int | None) -> TimeBankAccount:
    person, minutes, entries = await timebank.account_of(actor, person_id)
    transfers = {e.transfer_id for e in entries}
    kinds = {t.pk: t for t in await Transfer.filter(id__in=transfers)} if transfers else {}
    return TimeBankAccount(
        person_id=g.GlobalID("Person", str(person.pk)),
        coins=round(minutes / 60, 2),
        entries=[
            TimeBankEntry(
                coins=round(e.minutes / 60, 2),
                kind=kinds[e.transfer_id].kind,
                at=kinds[e.transfer_id].at,
            )
            for e in entries
        ],
    )


@g.mutation(
    record=VolunteerHoursRecord,
    error=VolunteerError,
    description="V6: check in with the shift's code.",
)
async def check_in_to_shift(info: g.Info, input: i.CheckInToShiftInput) -> HoursRecord:
    return await hours.check_in(info.context.actor, _shift(input.shift_id), input.code)


@g.mutation(
    record=VolunteerHoursRecord,
    error=VolunteerError,
    description="V6: check out with the shift's code: hours PENDING.",
)
async def check_out_of_shift(info: g.Info, input: i.CheckOutOfShiftInput) -> HoursRecord:
    return await hours.check_out(info.context.actor, _shift(input.shift_id), input.code)


@g.mutation(
    record=VolunteerHoursRecord,
    error=VolunteerError,
    description="V6: the organiser records a volunteer's attendance.",
)
async def record_attendance(info: g.Info, input: i.RecordAttendanceInput) -> HoursRecord:
    return await hours.record_attendance(
        info.context.actor,
        _shift(input.shift_id),
        g.pk(input.person_id, "Person", field="personId"),
        input.start,
        input.end,
    )


@g.mutation(
    record=VolunteerHoursRecord,
    error=VolunteerError,
    description="V6: the organiser approves pending hours.",
)
async def approve_volunteer_hours(info: g.Info, input: i.ApproveVolunteerHoursInput) -> HoursRecord:
    return await hours.approve(info.context.actor, _record(input.record_id))


@g.mutation(
    record=VolunteerHoursRecord,
    error=VolunteerError,
    description="V6: the organiser rejects pending hours, with a reason.",
)
async def reject_volunteer_hours(info: g.Info, input: i.RejectVolunteerHoursInput) -> HoursRecord:
    return await hours.reject(info.context.actor, _record(input.record_id), input.reason)


@g.mutation(
    record=VolunteerHoursRecord,
    error=VolunteerError,
    description="V6: correct approved hours by a new reversing or amending record "
    "(the approved record is never edited).",
)
async def correct_volunteer_hours(info: g.Info, input: i.CorrectVolunteerHoursInput) -> HoursRecord:
    return await hours.correct(
        info.context.actor, _record(input.record_id), input.minutes, input.reason
    )


@g.mutation(
    certificate=VolunteerCertificate,
    error=VolunteerError,
    description="V8: a free, numbered certificate of approved hours.",
)
async def issue_volunteer_certificate(
    info: g.Info, input: i.IssueVolunteerCertificateInput
) -> Certificate:
    return await certificates.issue(
        info.context.actor,
        g.pk(input.person_id, "Person", field="personId"),
        input.from_,
        input.to,
    )


@g.mutation(
    certificate=VolunteerCertificate,
    error=VolunteerError,
    description="V8: the issuing community revokes a certificate.",
)
async def revoke_volunteer_certificate(
    info: g.Info, input: i.RevokeVolunteerCertificateInput
) -> Certificate:
    return await certificates.revoke(
        info.context.actor,
        g.pk(input.certificate_id, "VolunteerCertificate", field="certificateId"),
    )


@g.mutation(
    account=TimeBankAccount,
    error=VolunteerError,
    description="V9: give time coins to another person (e.g. family).",
)
async def transfer_time_coins(info: g.Info, input: i.TransferTimeCoinsInput) -> TimeBankAccount:
    me = g.pk(input.person_id, "Person", field="personId")
    await timebank.transfer_coins(
        info.context.actor,
        g.pk(input.to_person_id, "Person", field="toPersonId"),
        _minutes(input.hours),
        me,
        input.memo,
    )
    return await account_type(info.context.actor, me)


@g.mutation(
    account=TimeBankAccount,
    error=VolunteerError,
    description="V9: redeem time coins for a service (minimum age setting).",
)
async def redeem_time_coins(info: g.Info, input: i.RedeemTimeCoinsInput) -> TimeBankAccount:
    me = g.pk(input.person_id, "Person", field="personId")
    await timebank.redeem_coins(info.context.actor, _minutes(input.hours), me, input.memo)
    return await account_type(info.context.actor, me)


# In the schema's order, after part one's.
MUTATIONS = [
    check_in_to_shift,
    check_out_of_shift,
    record_attendance,
    approve_volunteer_hours,
    reject_volunteer_hours,
    correct_volunteer_hours,
    issue_volunteer_certificate,
    revoke_volunteer_certificate,
    transfer_time_coins,
    redeem_time_coins,
]
