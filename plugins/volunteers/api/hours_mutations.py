"""Volunteer mutations, part two: attendance and hours (V6), certificates (V8), the time
bank (V9). Thin, like part one."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from linli.core.graphql import GlobalID, pk

from ..service import certificates, hours, timebank
from . import inputs as i
from .types import (
    TimeBankAccount,
    TimeBankEntry,
    VolunteerCertificate,
    VolunteerError,
    VolunteerHoursRecord,
)

attempt = VolunteerError.attempt


def _actor(info: Info) -> Any:
    return info.context.actor


def _record(row: Any) -> VolunteerHoursRecord | None:
    return row and VolunteerHoursRecord.from_model(row)


def _minutes(value: float) -> int:
    return round(value * 60)


async def account_type(actor: Any, person_id: int | None) -> TimeBankAccount:
    person, minutes, entries = await timebank.account_of(actor, person_id)
    transfers = {e.transfer_id for e in entries}
    from ..models import Transfer

    kinds = {t.pk: t for t in await Transfer.filter(id__in=transfers)} if transfers else {}
    return TimeBankAccount(
        person_id=GlobalID("Person", str(person.pk)),
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


@strawberry.type
class VolunteerHoursMutation:
    @strawberry.mutation(description="V6: check in with the shift's code.")
    async def check_in_to_shift(
        self, info: Info, input: i.CheckInToShiftInput
    ) -> i.CheckInToShiftPayload:
        row, errors = await attempt(
            info,
            lambda: hours.check_in(
                _actor(info), pk(input.shift_id, "VolunteerShift", field="shiftId"), input.code
            ),
        )
        return i.CheckInToShiftPayload(record=_record(row), errors=errors)

    @strawberry.mutation(description="V6: check out with the shift's code: hours PENDING.")
    async def check_out_of_shift(
        self, info: Info, input: i.CheckOutOfShiftInput
    ) -> i.CheckOutOfShiftPayload:
        row, errors = await attempt(
            info,
            lambda: hours.check_out(
                _actor(info), pk(input.shift_id, "VolunteerShift", field="shiftId"), input.code
            ),
        )
        return i.CheckOutOfShiftPayload(record=_record(row), errors=errors)

    @strawberry.mutation(description="V6: the organiser records a volunteer's attendance.")
    async def record_attendance(
        self, info: Info, input: i.RecordAttendanceInput
    ) -> i.RecordAttendancePayload:
        row, errors = await attempt(
            info,
            lambda: hours.record_attendance(
                _actor(info),
                pk(input.shift_id, "VolunteerShift", field="shiftId"),
                pk(input.person_id, "Person", field="personId"),
                input.start,
                input.end,
            ),
        )
        return i.RecordAttendancePayload(record=_record(row), errors=errors)

    @strawberry.mutation(description="V6: the organiser approves pending hours.")
    async def approve_volunteer_hours(
        self, info: Info, input: i.ApproveVolunteerHoursInput
    ) -> i.ApproveVolunteerHoursPayload:
        row, errors = await attempt(
            info,
            lambda: hours.approve(
                _actor(info), pk(input.record_id, "VolunteerHoursRecord", field="recordId")
            ),
        )
        return i.ApproveVolunteerHoursPayload(record=_record(row), errors=errors)

    @strawberry.mutation(description="V6: the organiser rejects pending hours, with a reason.")
    async def reject_volunteer_hours(
        self, info: Info, input: i.RejectVolunteerHoursInput
    ) -> i.RejectVolunteerHoursPayload:
        row, errors = await attempt(
            info,
            lambda: hours.reject(
                _actor(info),
                pk(input.record_id, "VolunteerHoursRecord", field="recordId"),
                input.reason,
            ),
        )
        return i.RejectVolunteerHoursPayload(record=_record(row), errors=errors)

    @strawberry.mutation(
        description="V6: correct approved hours by a new reversing or amending record "
        "(the approved record is never edited)."
    )
    async def correct_volunteer_hours(
        self, info: Info, input: i.CorrectVolunteerHoursInput
    ) -> i.CorrectVolunteerHoursPayload:
        row, errors = await attempt(
            info,
            lambda: hours.correct(
                _actor(info),
                pk(input.record_id, "VolunteerHoursRecord", field="recordId"),
                input.minutes,
                input.reason,
            ),
        )
        return i.CorrectVolunteerHoursPayload(record=_record(row), errors=errors)

    @strawberry.mutation(description="V8: a free, numbered certificate of approved hours.")
    async def issue_volunteer_certificate(
        self, info: Info, input: i.IssueVolunteerCertificateInput
    ) -> i.IssueVolunteerCertificatePayload:
        row, errors = await attempt(
            info,
            lambda: certificates.issue(
                _actor(info), pk(input.person_id, "Person", field="personId"), input.from_, input.to
            ),
        )
        cert = row and VolunteerCertificate.from_model(row)
        return i.IssueVolunteerCertificatePayload(certificate=cert, errors=errors)

    @strawberry.mutation(description="V8: the issuing community revokes a certificate.")
    async def revoke_volunteer_certificate(
        self, info: Info, input: i.RevokeVolunteerCertificateInput
    ) -> i.RevokeVolunteerCertificatePayload:
        row, errors = await attempt(
            info,
            lambda: certificates.revoke(
                _actor(info),
                pk(input.certificate_id, "VolunteerCertificate", field="certificateId"),
            ),
        )
        cert = row and VolunteerCertificate.from_model(row)
        return i.RevokeVolunteerCertificatePayload(certificate=cert, errors=errors)

    @strawberry.mutation(description="V9: give time coins to another person (e.g. family).")
    async def transfer_time_coins(
        self, info: Info, input: i.TransferTimeCoinsInput
    ) -> i.TransferTimeCoinsPayload:
        async def work() -> TimeBankAccount:
            me = pk(input.person_id, "Person", field="personId")
            await timebank.transfer_coins(
                _actor(info),
                pk(input.to_person_id, "Person", field="toPersonId"),
                _minutes(input.hours),
                me,
                input.memo,
            )
            return await account_type(_actor(info), me)

        account, errors = await attempt(info, work)
        return i.TransferTimeCoinsPayload(account=account, errors=errors)

    @strawberry.mutation(description="V9: redeem time coins for a service (minimum age setting).")
    async def redeem_time_coins(
        self, info: Info, input: i.RedeemTimeCoinsInput
    ) -> i.RedeemTimeCoinsPayload:
        async def work() -> TimeBankAccount:
            me = pk(input.person_id, "Person", field="personId")
            await timebank.redeem_coins(_actor(info), _minutes(input.hours), me, input.memo)
            return await account_type(_actor(info), me)

        account, errors = await attempt(info, work)
        return i.RedeemTimeCoinsPayload(account=account, errors=errors)
