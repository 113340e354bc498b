"""Volunteer queries: the coming activities with each shift's fill level (the app's hot
read), one shift, your shifts, hours and time bank, the organisers' roster, and the
certificate check anyone may make."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from linli.core import kit
from linli.core.errors import ApiError, Refused
from linli.core.graphql import GlobalID, api_errors, cached, pk, require_login
from linli.core.identity.models import Community, Person

from .. import models, rules
from ..service import certificates, common, hours, profiles
from .hours_mutations import account_type
from .types import (
    CertificateVerification,
    RosterEntry,
    TimeBankAccount,
    VolunteerActivity,
    VolunteerCertificate,
    VolunteerHours,
    VolunteerHoursRecord,
    VolunteerProfile,
    VolunteerShift,
    VolunteerSignUp,
    activity_of,
)

# The volunteer app's hot read: a community's published shifts of one week, SQL built once.
_week_of_shifts = kit.hot_read(
    models.Shift, where=("community_id", "local_week", "published"), order_by=("start", "id")
)
MAX_RANGE_DAYS = 62


async def shifts_between(community_id: int, first: dt.date, last: dt.date) -> list[models.Shift]:
    rows: list[models.Shift] = []
    for monday in rules.weeks_between(first, last):
        rows += await _week_of_shifts(community_id=community_id, local_week=monday, published=True)
    return [r for r in rows if first <= r.local_date <= last and not r.cancelled]


def _person_arg(info: Info, person_id: GlobalID | None) -> int | None:
    with api_errors(info):
        return pk(person_id, "Person", field="personId")


@strawberry.type
class VolunteerQuery:
    @strawberry.field(description="V1: your volunteer profile (or a minor's you are guardian for).")
    async def my_volunteer_profile(
        self, info: Info, person_id: GlobalID | None = None
    ) -> VolunteerProfile | None:
        ctx = require_login(info)
        with api_errors(info):
            row = await profiles.visible_profile(ctx.actor, _person_arg(info, person_id))
        return row and VolunteerProfile.from_model(row)

    @cached  # the volunteer app's hot read: pure, its changes are all events
    @strawberry.field(
        description="Published activities of a community with shifts between two local days "
        "(default: the coming week), each shift with its fill level; optionally one skill."
    )
    async def volunteer_activities(
        self,
        info: Info,
        community_id: GlobalID,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = None,
        to: dt.date | None = None,
        skill: str | None = None,
    ) -> list[VolunteerActivity]:
        ctx = require_login(info)
        with api_errors(info):
            community = pk(community_id, "Community", field="communityId")
        if not await common.may_view(ctx.actor, community):
            raise ApiError("FORBIDDEN", ctx.locale)
        row = await Community.get_or_none(id=community)
        today = kit.today(row.time_zone if row else "Asia/Shanghai")
        first = from_ or today
        last = to or first + dt.timedelta(days=6)
        if last < first or (last - first).days > MAX_RANGE_DAYS:
            raise ApiError("INVALID_INPUT", ctx.locale, detail="to")
        shifts = await shifts_between(community, first, last)
        if skill:
            wanted = rules.clean_tags([skill], field="skill")
            shifts = [s for s in shifts if set(wanted) <= set(s.required_skills)]
        by_activity: dict[int, list[models.Shift]] = {}
        for s in shifts:
            by_activity.setdefault(s.activity_id, []).append(s)
        rows = await activity_of.load_many(info, list(by_activity))
        out = []
        for activity in rows:
            if activity is None or activity.status != rules.ActivityStatus.PUBLISHED:
                continue
            node = VolunteerActivity.from_model(activity)
            node.in_view = by_activity[activity.pk]  # the shifts asked about, in start order
            out.append(node)
        return out

    @strawberry.field(description="One shift, if you may see it; null otherwise.")
    async def volunteer_shift(self, info: Info, id: GlobalID) -> VolunteerShift | None:
        ctx = require_login(info)
        with api_errors(info):
            key = pk(id, "VolunteerShift", field="id")
        row = await models.Shift.get_or_none(id=key)
        if row is None:
            return None
        activity = await models.Activity.get(id=row.activity_id)
        visible = common.may_organise(ctx.actor, activity) or (
            row.published and await common.may_view(ctx.actor, row.community_id)
        )
        return VolunteerShift.from_model(row) if visible else None

    @strawberry.field(description="Your sign-ups (and those of minors you are guardian for).")
    async def my_volunteer_shifts(
        self, info: Info, include_past: bool = False
    ) -> list[VolunteerSignUp]:
        ctx = require_login(info)
        seen = await kit.reach(ctx.actor, "volunteers.view")
        query = models.SignUp.filter(person_id__in=list(seen.persons))
        if not include_past:
            query = query.filter(end_at__gte=ctx.now())
        rows = await query.order_by("start_at", "id").limit(200)
        return [VolunteerSignUp.from_model(r) for r in rows]

    @strawberry.field(description="Organisers: who is on a shift (confirmed, waiting, pending).")
    async def volunteer_shift_roster(self, info: Info, shift_id: GlobalID) -> list[RosterEntry]:
        ctx = require_login(info)
        with api_errors(info):
            await common.organised_shift(ctx.actor, pk(shift_id, "VolunteerShift", field="shiftId"))
            key = pk(shift_id, "VolunteerShift", field="shiftId")
        rows = await models.SignUp.filter(shift_id=key, active=True).order_by("id")
        names = dict(
            await Person.filter(id__in={r.person_id for r in rows}).values_list("id", "real_name")
        )
        return [
            RosterEntry(sign_up=VolunteerSignUp.from_model(r), name=names.get(r.person_id, ""))
            for r in rows
        ]

    @strawberry.field(description="Organisers: a shift's attendance code, shown on the day (V6).")
    async def volunteer_shift_code(self, info: Info, shift_id: GlobalID) -> str:
        ctx = require_login(info)
        with api_errors(info):
            shift, _ = await common.organised_shift(
                ctx.actor, pk(shift_id, "VolunteerShift", field="shiftId")
            )
        return shift.attendance_code

    @strawberry.field(description="V6/V7: your hours records, approved total and star level.")
    async def my_volunteer_hours(
        self, info: Info, person_id: GlobalID | None = None
    ) -> VolunteerHours:
        ctx = require_login(info)
        with api_errors(info):
            profile = await profiles.visible_profile(ctx.actor, _person_arg(info, person_id))
            if profile is None:
                raise Refused(str(rules.Reason.NOT_REGISTERED), field="personId")
        stars = await hours.stars_of(profile.person_id, profile.community_id)
        rows = (
            await models.HoursRecord.filter(person_id=profile.person_id).order_by("-id").limit(200)
        )
        return VolunteerHours(
            approved_hours=stars.hours,
            stars=stars.level,
            next_star_at_hours=stars.next_at,
            records=[VolunteerHoursRecord.from_model(r) for r in rows],
        )

    @strawberry.field(description="Organisers: a shift's hours records.")
    async def volunteer_shift_hours(
        self, info: Info, shift_id: GlobalID
    ) -> list[VolunteerHoursRecord]:
        ctx = require_login(info)
        with api_errors(info):
            shift, _ = await common.organised_shift(
                ctx.actor, pk(shift_id, "VolunteerShift", field="shiftId")
            )
        rows = await models.HoursRecord.filter(shift_id=shift.pk).order_by("id")
        return [VolunteerHoursRecord.from_model(r) for r in rows]

    @strawberry.field(description="V8: your certificates (or a minor's you are guardian for).")
    async def my_volunteer_certificates(
        self, info: Info, person_id: GlobalID | None = None
    ) -> list[VolunteerCertificate]:
        ctx = require_login(info)
        with api_errors(info):
            profile = await profiles.visible_profile(ctx.actor, _person_arg(info, person_id))
        if profile is None:
            return []
        rows = await models.Certificate.filter(person_id=profile.person_id).order_by("-id")
        return [VolunteerCertificate.from_model(r) for r in rows]

    @strawberry.field(
        description="V8: anyone holding a certificate's number (no login): the masked name, "
        "the issuer, the period, the hours, whether it was revoked."
    )
    async def verify_volunteer_certificate(self, number: str) -> CertificateVerification:
        found = await certificates.verify(number)
        if found is None:
            return CertificateVerification(found=False)
        return CertificateVerification(
            found=True,
            number=found.number,
            masked_name=found.masked_name,
            issuer=found.issuer,
            period_from=found.period_from,
            period_to=found.period_to,
            hours=found.hours,
            revoked=found.revoked,
        )

    @strawberry.field(description="V9: your time-bank account (coins are never cash).")
    async def time_bank_account(
        self, info: Info, person_id: GlobalID | None = None
    ) -> TimeBankAccount:
        ctx = require_login(info)
        with api_errors(info):
            return await account_type(ctx.actor, _person_arg(info, person_id))
