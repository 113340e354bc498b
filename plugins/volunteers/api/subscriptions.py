"""V10 live: an activity's shift fill levels, and your own sign-ups and hours.

Permission is checked when the subscription starts and again for every event (a guardian's
grant may be revoked meanwhile). Events go out after the commit.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from linli.core import kit
from linli.core.errors import ApiError, Refused
from linli.core.events import subscribe
from linli.core.graphql import GlobalID, api_errors, pk, require_login
from linli.core.identity import access

from .. import models
from ..service import common
from .types import VolunteerShift


@strawberry.type(name="VolunteerUpdate", description="Something happened to your sign-up or hours.")
class VolunteerUpdate:
    kind: str = strawberry.field(
        description="CONFIRMED, WAITLISTED, PENDING_CONSENT, PROMOTED, WITHDRAWN, "
        "SHIFT_CANCELLED, EXPIRED, HOURS_APPROVED, HOURS_REJECTED, HOURS_CORRECTED"
    )
    person_id: GlobalID
    sign_up_id: GlobalID | None
    record_id: GlobalID | None


@strawberry.type
class VolunteerSubscription:
    @strawberry.subscription(description="An activity's shifts, each time one's seats change.")
    async def volunteer_shift_fill(
        self, info: Info, activity_id: GlobalID
    ) -> AsyncGenerator[VolunteerShift, None]:
        ctx = require_login(info)
        with api_errors(info):
            key = pk(activity_id, "VolunteerActivity", field="activityId")
        activity = await models.Activity.get_or_none(id=key)
        if activity is None or not (
            common.may_organise(ctx.actor, activity)
            or await common.may_view(ctx.actor, activity.community_id)
        ):
            raise ApiError("NOT_FOUND", ctx.locale)
        async with common.SHIFT_FILL.subscribe(activity_id=key) as events:
            async for event in events:
                if event.payload.get("activity_id") != key:
                    continue
                shift = await kit.row_of_event(event, models.Shift, event.payload["shift_id"])
                if shift is not None:
                    yield VolunteerShift.from_model(shift)

    @strawberry.subscription(
        description="Your sign-ups and hours (and those of minors you are guardian for): "
        "confirmed, promoted from the waitlist, shift cancelled, hours approved."
    )
    async def my_volunteer_updates(self, info: Info) -> AsyncGenerator[VolunteerUpdate, None]:
        ctx = require_login(info)
        seen = await kit.reach(ctx.actor, "volunteers.view")
        if not seen.persons:
            raise ApiError("FORBIDDEN", ctx.locale)
        topics = [common.PERSON_UPDATE.topic(person_id=p) for p in seen.persons]
        async with subscribe(*topics) as events:
            async for event in events:
                person = event.payload.get("person_id")
                if person not in seen.persons:
                    continue
                if person != ctx.actor.person_id:
                    try:  # the guardian's grant may have been revoked since
                        who = await access.acting_for(ctx.actor, person)
                    except Refused:
                        continue
                    if who.how == "staff":
                        continue
                sign_up, record = event.payload.get("sign_up_id"), event.payload.get("record_id")
                yield VolunteerUpdate(
                    kind=str(event.payload.get("kind")),
                    person_id=GlobalID("Person", str(person)),
                    sign_up_id=GlobalID("VolunteerSignUp", str(sign_up)) if sign_up else None,
                    record_id=GlobalID("VolunteerHoursRecord", str(record)) if record else None,
                )
