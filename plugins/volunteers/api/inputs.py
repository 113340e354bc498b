"""Inputs of the volunteers mutations (named after each mutation; the kit's ``@g.mutation``
makes each payload from the mutation's name)."""

from __future__ import annotations

import datetime as dt

import strawberry

from linli.core.graphql import GlobalID


@strawberry.input(name="VolunteerAvailabilityInput")
class AvailabilityInput:
    weekday: int = strawberry.field(description="Monday 0 … Sunday 6")
    start: dt.time
    end: dt.time


@strawberry.input
class RegisterVolunteerInput:
    person_id: GlobalID | None = strawberry.field(
        default=None, description="A minor you are guardian for; yourself when omitted."
    )
    skills: list[str] = strawberry.field(default_factory=list)
    service_areas: list[str] = strawberry.field(default_factory=list)
    availability: list[AvailabilityInput] = strawberry.field(default_factory=list)


@strawberry.input
class UpdateVolunteerProfileInput:
    person_id: GlobalID | None = None
    skills: list[str] | None = None
    service_areas: list[str] | None = None
    availability: list[AvailabilityInput] | None = None


@strawberry.input
class CreateVolunteerActivityInput:
    community_id: GlobalID
    title: str
    description: str = ""
    group_id: GlobalID | None = strawberry.field(
        default=None, description="The organising group (the groups module must say it may)."
    )


@strawberry.input
class AddVolunteerShiftInput:
    activity_id: GlobalID
    start: dt.datetime
    end: dt.datetime
    capacity: int
    title: str = ""
    place: str = ""
    required_skills: list[str] = strawberry.field(default_factory=list)
    min_age: int | None = None
    adults_only: bool = False


@strawberry.input
class PublishVolunteerActivityInput:
    activity_id: GlobalID


@strawberry.input
class CancelVolunteerShiftInput:
    shift_id: GlobalID


@strawberry.input
class SignUpForShiftInput:
    shift_id: GlobalID
    person_id: GlobalID | None = strawberry.field(
        default=None, description="A minor you are guardian for; yourself when omitted."
    )


@strawberry.input
class WithdrawFromShiftInput:
    sign_up_id: GlobalID


@strawberry.input
class GiveGuardianConsentInput:
    sign_up_id: GlobalID
    accompanied: bool = strawberry.field(
        default=False, description="The guardian comes along (needed below 14, V5 setting)."
    )


@strawberry.input
class CheckInToShiftInput:
    shift_id: GlobalID
    code: str = strawberry.field(description="The shift's code, shown by the organiser.")


@strawberry.input
class CheckOutOfShiftInput:
    shift_id: GlobalID
    code: str


@strawberry.input
class RecordAttendanceInput:
    shift_id: GlobalID
    person_id: GlobalID
    start: dt.datetime
    end: dt.datetime


@strawberry.input
class ApproveVolunteerHoursInput:
    record_id: GlobalID


@strawberry.input
class RejectVolunteerHoursInput:
    record_id: GlobalID
    reason: str


@strawberry.input
class CorrectVolunteerHoursInput:
    record_id: GlobalID = strawberry.field(description="The approved attendance to correct.")
    minutes: int = strawberry.field(description="What it should have been; 0 reverses it.")
    reason: str


@strawberry.input
class IssueVolunteerCertificateInput:
    person_id: GlobalID | None = None
    from_: dt.date = strawberry.field(name="from")
    to: dt.date


@strawberry.input
class RevokeVolunteerCertificateInput:
    certificate_id: GlobalID


@strawberry.input
class TransferTimeCoinsInput:
    to_person_id: GlobalID
    hours: float
    person_id: GlobalID | None = None
    memo: str = ""


@strawberry.input
class RedeemTimeCoinsInput:
    hours: float
    person_id: GlobalID | None = None
    memo: str = strawberry.field(default="", description="The service the coins pay for.")
