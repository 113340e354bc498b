"""V2: activities and their shifts, posted by staff or an active group, and cancelling.

A group organises only when the groups module says so (``may_organise_from_group``), asked
at the moment of posting: a lapsed group gets ORGANISER_NOT_ACTIVE.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from tortoise.expressions import F

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity import access
from linli.core.identity.models import Community

from .. import rules
from ..models import Activity, Shift, SignUp
from . import common

A = rules.ActivityStatus


async def create_activity(
    actor: Actor,
    community_id: int,
    title: str,
    description: str = "",
    group_id: int | None = None,
    code: str | None = None,
) -> Activity:
    """V2: a draft activity. The organiser is the community's staff, or (with ``group_id``)
    an active group: its staff or its leader post for it, and the groups module must say it
    may organise there today (ORGANISER_NOT_ACTIVE otherwise). Whoever posts it organises
    it from then on (shifts, publishing, attendance)."""
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    community = await Community.get_or_none(id=community_id)
    if community is None:
        raise Refused("FORBIDDEN", field="communityId")
    if group_id is None:
        is_staff = access.can(actor, "volunteers.organise", community_id)
        rules.check_organiser(is_staff=is_staff, group_id=None, group_may_organise=False)
    else:
        await common.check_group_organiser(actor, group_id, community_id)
    title = title.strip()
    if not title:
        raise Refused("INVALID_INPUT", field="title")
    async with db.atomic():
        activity = await Activity.create(
            community_id=community_id,
            group_id=group_id,
            title=title,
            description=description,
            status=A.DRAFT,
            created_by_account_id=actor.account_id,
            code=code,
            created_at=kit.now(),
        )
        await audit.record(
            actor, "volunteers.activity.create", community_id=community_id, obj=activity
        )
    return activity


async def add_shift(
    actor: Actor,
    activity_id: int,
    title: str,
    start: dt.datetime,
    end: dt.datetime,
    place: str,
    capacity: int,
    required_skills: Sequence[str] = (),
    min_age: int | None = None,
    adults_only: bool = False,
) -> Shift:
    """V2: a shift (start, end, place, capacity, skills, minimum age, adults only)."""
    activity = await common.organised(actor, activity_id)
    # Whole seconds in UTC: the V4 trigger compares SQLite's stored text, which must agree.
    start, end = rules.aware(start, "start"), rules.aware(end, "end")
    if activity.status == A.CANCELLED:
        raise Refused(str(rules.Reason.SHIFT_CANCELLED), field="activityId")
    rules.check_shift(rules.ShiftPlan(start, end, capacity, min_age, adults_only), kit.now())
    s = await common.settings_for(activity.community_id)
    day = rules.local_date(start, s.tz)
    async with db.atomic():
        shift = await Shift.create(
            activity_id=activity.pk,
            community_id=activity.community_id,
            title=title.strip() or activity.title,
            place=place,
            start=start,
            end=end,
            local_date=day,
            local_week=rules.week_of(day),
            capacity=capacity,
            required_skills=rules.clean_tags(required_skills, field="requiredSkills"),
            min_age=min_age,
            adults_only=adults_only,
            published=activity.status == A.PUBLISHED,
            # shown by the organiser on the day, typed by volunteers checking in (V6)
            attendance_code=f"{secrets.randbelow(10**6):06d}",
            created_at=kit.now(),
        )
        await audit.record(
            actor, "volunteers.shift.add", community_id=activity.community_id, obj=shift
        )
    return shift


async def publish(actor: Actor, activity_id: int) -> Activity:
    activity = await common.organised(actor, activity_id)
    if activity.group_id is not None:  # asked again: the group may have lapsed meanwhile
        try:
            await common.check_group_organiser(actor, activity.group_id, activity.community_id)
        except Refused as refused:
            raise Refused(refused.code, field="activityId") from None
    async with db.atomic():
        await common.ACTIVITIES.move(
            activity,
            A.PUBLISHED,
            by=actor,
            changes={"published_at": kit.now()},
            audit="volunteers.activity.publish",
        )
        await Shift.filter(activity_id=activity.pk, cancelled=False).update(published=True)
    await activity.refresh_from_db()
    return activity


async def cancel_shift(actor: Actor, shift_id: int) -> Shift:
    """Cancel a shift: every live sign-up is cancelled and its volunteer told live (V10)."""
    shift, _ = await common.organised_shift(actor, shift_id)
    if shift.cancelled:
        raise Refused(str(rules.Reason.SHIFT_CANCELLED), field="shiftId")
    at = kit.now()
    if at >= shift.start:  # its hours may be recorded already: a past shift stays as it was
        raise Refused(str(rules.Reason.SHIFT_STARTED), field="shiftId")
    async with db.atomic():
        changed = await Shift.filter(id=shift.pk, cancelled=False).update(
            cancelled=True, confirmed=0, waitlisted=0, sequence=F("sequence") + 1
        )
        if changed != 1:
            raise Refused(str(rules.Reason.SHIFT_CANCELLED), field="shiftId")
        live = await SignUp.filter(shift_id=shift.pk, active=True)
        for sign_up in live:
            await common.SIGN_UPS.move(
                sign_up,
                common.S.CANCELLED,
                by=actor,
                note="shift cancelled",
                changes={"active": False, "active_key": None, "updated_at": at},
                events=[common.sign_up_event(sign_up, "SHIFT_CANCELLED")],
            )
        await audit.record(
            actor,
            "volunteers.shift.cancel",
            community_id=shift.community_id,
            obj=shift,
            told=len(live),
        )
        shift.cancelled = True
        event, payload = common.fill_event(shift)
        await event.publish(**payload)
    await shift.refresh_from_db()
    return shift
