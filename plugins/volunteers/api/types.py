"""GraphQL types of the volunteers plugin (names carry the ``Volunteer`` prefix), from rows.

Thin: a type holds the row's values and resolves related objects through the kit's batch
loaders (declared here, made per request). Visibility lives in the service and queries;
node(id:) asks the same functions (``model_nodes(..., visible_to=...)``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from linli.core import kit
from linli.core.errors import Refused
from linli.core.graphql import GlobalID, ModelNode, error_type, from_row, model_nodes
from linli.core.identity import access

from .. import models, rules
from ..rules.hours import HoursKind as _HoursKind
from ..rules.hours import HoursStatus as _HoursStatus
from ..service import certificates, common

VolunteerError = error_type(
    "VolunteerError",
    [*(str(r) for r in rules.Reason), "PROXY_NOT_VERIFIED"],
    description="An expected failure of a volunteers mutation.",
)

# volunteersSettings(communityId) and updateVolunteersSettings(input), from the declaration.
VolunteersSettingsQuery, VolunteersSettingsMutation = kit.settings_api(
    models.Settings, VolunteerError, name="VolunteersSettings"
)

SignUpStatus = strawberry.enum(rules.SignUpStatus, name="VolunteerSignUpStatus")
ActivityStatus = strawberry.enum(rules.ActivityStatus, name="VolunteerActivityStatus")
HoursStatus = strawberry.enum(_HoursStatus, name="VolunteerHoursStatus")
HoursKind = strawberry.enum(_HoursKind, name="VolunteerHoursKind")

activity_of = kit.by_pk(models.Activity)
shifts_of_activity = kit.all_of(models.Shift, "activity_id", order_by="start")
shift_of = kit.by_pk(models.Shift)


def _gid(type_name: str, pk: int | None) -> GlobalID | None:
    return None if pk is None else GlobalID(type_name, str(pk))


async def _may_view_row(actor: Any, row: Any) -> bool:
    return await common.may_view(actor, row.community_id)


async def _may_view_shift(actor: Any, row: models.Shift) -> bool:
    if row.published:
        return await common.may_view(actor, row.community_id)
    activity = await models.Activity.get(id=row.activity_id)
    return common.may_organise(actor, activity)


async def _may_view_activity(actor: Any, row: models.Activity) -> bool:
    if row.status != rules.ActivityStatus.DRAFT:
        return await common.may_view(actor, row.community_id)
    return common.may_organise(actor, row)


async def _may_see_person_row(actor: Any, row: Any) -> bool:
    """A volunteer's own rows: the volunteer, their guardian, the community's organisers."""
    if access.can(actor, "volunteers.organise", row.community_id):
        return True
    try:
        who = await access.acting_for(actor, row.person_id)
    except Refused:  # not theirs
        return False
    return who.how != "staff"


@strawberry.type(name="VolunteerAvailability")
class Availability:
    weekday: int = strawberry.field(description="Monday 0 … Sunday 6")
    start: dt.time
    end: dt.time


@strawberry.type(name="VolunteerProfile", description="V1: a registered volunteer.")
class VolunteerProfile(ModelNode):
    skills: list[str]
    service_areas: list[str]
    availability: list[Availability]
    created_at: dt.datetime
    person_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.Profile) -> VolunteerProfile:
        windows = [
            Availability(
                weekday=w["weekday"],
                start=dt.time.fromisoformat(w["start"]),
                end=dt.time.fromisoformat(w["end"]),
            )
            for w in row.availability
        ]
        return from_row(cls, row, availability=windows, person_pk=row.person_id)

    @strawberry.field(description="Global id of the Person (the volunteer's true identity).")
    def person_id(self) -> GlobalID:
        return GlobalID("Person", str(self.person_pk))

    resolve_nodes = model_nodes(models.Profile, visible_to=_may_see_person_row)


@strawberry.type(name="VolunteerShift", description="V2: a shift with its seats and fill level.")
class VolunteerShift(ModelNode):
    title: str
    place: str
    start: dt.datetime
    end: dt.datetime
    local_date: dt.date
    capacity: int
    confirmed: int = strawberry.field(description="Confirmed volunteers (V3).")
    waitlisted: int = strawberry.field(description="Volunteers waiting for a seat (V3).")
    remaining: int
    fill_level: float = strawberry.field(description="confirmed / capacity, 0…1 (V10).")
    required_skills: list[str]
    min_age: int | None
    adults_only: bool
    cancelled: bool
    activity_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.Shift) -> VolunteerShift:
        return from_row(
            cls,
            row,
            remaining=max(row.capacity - row.confirmed, 0),
            fill_level=rules.fill_level(row.confirmed, row.capacity),
            activity_pk=row.activity_id,
        )

    @strawberry.field
    async def activity(self, info: Info) -> VolunteerActivity:
        return VolunteerActivity.from_model(await activity_of.load(info, self.activity_pk))

    @strawberry.field(description="Where to download it as iCalendar (RFC 5545).")
    def ics_url(self) -> str:
        return f"/volunteers/shifts/{self.pk}.ics"

    resolve_nodes = model_nodes(models.Shift, visible_to=_may_view_shift)


@strawberry.type(name="VolunteerActivity", description="V2: an activity with its shifts.")
class VolunteerActivity(ModelNode):
    title: str
    description: str
    status: ActivityStatus
    created_at: dt.datetime
    community_pk: strawberry.Private[int]
    group_pk: strawberry.Private[int | None]
    # volunteerActivities: the shifts it asked about (the range, the skill), already read
    in_view: strawberry.Private[list[models.Shift] | None] = None

    @classmethod
    def from_model(cls, row: models.Activity) -> VolunteerActivity:
        return from_row(
            cls,
            row,
            status=rules.ActivityStatus(row.status),
            community_pk=row.community_id,
            group_pk=row.group_id,
        )

    @strawberry.field
    def community_id(self) -> GlobalID:
        return GlobalID("Community", str(self.community_pk))

    @strawberry.field(description="The organising group, when a group organises it.")
    def group_id(self) -> GlobalID | None:
        return _gid("Group", self.group_pk)

    @strawberry.field(
        description="Its shifts, not cancelled; in volunteerActivities those in the days "
        "(and of the skill) asked."
    )
    async def shifts(self, info: Info) -> list[VolunteerShift]:
        # volunteerActivities read them already: no second read of the same rows
        rows = (
            self.in_view
            if self.in_view is not None
            else await shifts_of_activity.load(info, self.pk)
        )
        return [VolunteerShift.from_model(r) for r in rows if not r.cancelled]

    resolve_nodes = model_nodes(models.Activity, visible_to=_may_view_activity)


@strawberry.type(name="VolunteerSignUp", description="V3–V5: one volunteer on one shift.")
class VolunteerSignUp(ModelNode):
    status: SignUpStatus
    accompanied: bool
    created_at: dt.datetime
    shift_pk: strawberry.Private[int]
    person_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.SignUp) -> VolunteerSignUp:
        return from_row(
            cls,
            row,
            status=rules.SignUpStatus(row.status),
            shift_pk=row.shift_id,
            person_pk=row.person_id,
        )

    @strawberry.field
    def person_id(self) -> GlobalID:
        return GlobalID("Person", str(self.person_pk))

    @strawberry.field
    async def shift(self, info: Info) -> VolunteerShift:
        return VolunteerShift.from_model(await shift_of.load(info, self.shift_pk))

    @strawberry.field(description="While WAITLISTED: 1 is the next to be confirmed.")
    async def waitlist_position(self) -> int | None:
        from ..service import signups

        row = await models.SignUp.get(id=self.pk)
        return await signups.waitlist_position(row)

    resolve_nodes = model_nodes(models.SignUp, visible_to=_may_see_person_row)


@strawberry.type(name="VolunteerRosterEntry", description="Organisers: who is on a shift.")
class RosterEntry:
    sign_up: VolunteerSignUp
    name: str


@strawberry.type(name="VolunteerHoursRecord", description="V6: served minutes.")
class VolunteerHoursRecord(ModelNode):
    kind: HoursKind
    status: HoursStatus
    minutes: int = strawberry.field(description="Negative for a correction that lowers hours.")
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    reason: str
    created_at: dt.datetime
    shift_pk: strawberry.Private[int]
    corrects_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.HoursRecord) -> VolunteerHoursRecord:
        return from_row(
            cls,
            row,
            kind=_HoursKind(row.kind),
            status=_HoursStatus(row.status),
            shift_pk=row.shift_id,
            corrects_pk=row.corrects_id,
        )

    @strawberry.field
    def corrects_id(self) -> GlobalID | None:
        return _gid("VolunteerHoursRecord", self.corrects_pk)

    @strawberry.field
    async def shift(self, info: Info) -> VolunteerShift:
        return VolunteerShift.from_model(await shift_of.load(info, self.shift_pk))

    resolve_nodes = model_nodes(models.HoursRecord, visible_to=_may_see_person_row)


@strawberry.type(name="VolunteerHours", description="V6/V7: approved hours and the stars.")
class VolunteerHours:
    approved_hours: float
    stars: int = strawberry.field(description="0 … 5 (V7 setting).")
    next_star_at_hours: int | None
    records: list[VolunteerHoursRecord]


@strawberry.type(name="VolunteerCertificateLine")
class CertificateLine:
    activity_title: str
    hours: float


@strawberry.type(name="VolunteerCertificate", description="V8: a numbered certificate.")
class VolunteerCertificate(ModelNode):
    number: str
    period_from: dt.date
    period_to: dt.date
    hours: float
    lines: list[CertificateLine]
    issued_at: dt.datetime
    revoked: bool

    @classmethod
    def from_model(cls, row: models.Certificate) -> VolunteerCertificate:
        return from_row(
            cls,
            row,
            hours=round(row.total_minutes / 60, 2),
            lines=[
                CertificateLine(
                    activity_title=str(x["title"]), hours=round(int(x["minutes"]) / 60, 2)
                )
                for x in row.lines
            ],
            revoked=row.revoked_at is not None,
        )

    @strawberry.field(description="Where to download it as PDF (with its verification QR code).")
    def pdf_url(self) -> str:
        return f"/volunteers/certificates/{self.pk}.pdf"

    resolve_nodes = model_nodes(models.Certificate, visible_to=certificates.may_see)


@strawberry.type(
    name="VolunteerCertificateVerification",
    description="V8: what anyone with the number learns: nothing else about the person.",
)
class CertificateVerification:
    found: bool
    number: str | None = None
    masked_name: str | None = None
    issuer: str | None = None
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    hours: float | None = None
    revoked: bool | None = None


@strawberry.type(name="VolunteerTimeBankEntry")
class TimeBankEntry:
    coins: float = strawberry.field(description="+ in, - out; 1 coin = 1 hour.")
    kind: str
    at: dt.datetime


@strawberry.type(name="VolunteerTimeBankAccount", description="V9: coins, never cash.")
class TimeBankAccount:
    person_id: GlobalID
    coins: float = strawberry.field(description="The sum of the account's entries.")
    entries: list[TimeBankEntry]
