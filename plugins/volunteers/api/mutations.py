"""Volunteer mutations, part one: profiles, activities and shifts, sign-ups (V1–V5).

Each is the kit's ``@g.mutation``: the function decodes its ids (``g.pk``, so a bad id is a
payload error too) and calls the service; the kit makes ``<VerbNoun>Payload { <result>,
errors }``, turns a Refused into ``VolunteerError`` data and the row into its type.
"""

from __future__ import annotations

from typing import Any

from linli.core import graphql as g

from .. import rules
from ..models import Activity, Profile, Shift, SignUp
from ..service import activities, profiles, signups
from . import inputs as i
from .types import (
    VolunteerActivity,
    VolunteerError,
    VolunteerProfile,
    VolunteerShift,
    VolunteerSignUp,
)


def _windows(items: list[i.AvailabilityInput] | None) -> list[rules.Availability] | None:
    if items is None:
        return None
    return [rules.Availability(w.weekday, w.start, w.end) for w in items]


def _person(gid: Any, field: str = "personId") -> int | None:
    return g.pk(gid, "Person", field=field)


def _activity(gid: Any) -> int:
    return g.pk(gid, "VolunteerActivity", field="activityId")


def _shift(gid: Any) -> int:
    return g.pk(gid, "VolunteerShift", field="shiftId")


def _sign_up(gid: Any) -> int:
    return g.pk(gid, "VolunteerSignUp", field="signUpId")


@g.mutation(
    profile=VolunteerProfile,
    error=VolunteerError,
    description="V1: register as a volunteer (or a minor you are guardian for).",
)
async def register_volunteer(info: g.Info, input: i.RegisterVolunteerInput) -> Profile:
    return await profiles.register(
        info.context.actor,
        _person(input.person_id),
        input.skills,
        input.service_areas,
        _windows(input.availability) or [],
    )


@g.mutation(
    profile=VolunteerProfile,
    error=VolunteerError,
    description="V1: change skills, service areas or weekly availability.",
)
async def update_volunteer_profile(info: g.Info, input: i.UpdateVolunteerProfileInput) -> Profile:
    return await profiles.update(
        info.context.actor,
        _person(input.person_id),
        input.skills,
        input.service_areas,
        _windows(input.availability),
    )


@g.mutation(
    activity=VolunteerActivity,
    error=VolunteerError,
    description="V2: staff post an activity (a draft), for a group too.",
)
async def create_volunteer_activity(
    info: g.Info, input: i.CreateVolunteerActivityInput
) -> Activity:
    return await activities.create_activity(
        info.context.actor,
        g.pk(input.community_id, "Community", field="communityId"),
        input.title,
        input.description,
        g.pk(input.group_id, "Group", field="groupId"),
    )


@g.mutation(
    shift=VolunteerShift, error=VolunteerError, description="V2: add a shift to an activity."
)
async def add_volunteer_shift(info: g.Info, input: i.AddVolunteerShiftInput) -> Shift:
    return await activities.add_shift(
        info.context.actor,
        _activity(input.activity_id),
        input.title,
        input.start,
        input.end,
        input.place,
        input.capacity,
        input.required_skills,
        input.min_age,
        input.adults_only,
    )


@g.mutation(
    activity=VolunteerActivity,
    error=VolunteerError,
    description="V2: publish an activity: its shifts open for sign-up.",
)
async def publish_volunteer_activity(
    info: g.Info, input: i.PublishVolunteerActivityInput
) -> Activity:
    return await activities.publish(info.context.actor, _activity(input.activity_id))


@g.mutation(
    shift=VolunteerShift,
    error=VolunteerError,
    description="Cancel a shift: every signed-up volunteer is told live.",
)
async def cancel_volunteer_shift(info: g.Info, input: i.CancelVolunteerShiftInput) -> Shift:
    return await activities.cancel_shift(info.context.actor, _shift(input.shift_id))


@g.mutation(
    sign_up=VolunteerSignUp,
    error=VolunteerError,
    description="V3–V5: sign up: CONFIRMED, WAITLISTED (first in, first out) or "
    "PENDING_CONSENT (a minor, until a guardian consents).",
)
async def sign_up_for_shift(info: g.Info, input: i.SignUpForShiftInput) -> SignUp:
    return await signups.sign_up(
        info.context.actor, _shift(input.shift_id), _person(input.person_id)
    )


@g.mutation(
    sign_up=VolunteerSignUp,
    error=VolunteerError,
    description="V3: withdraw; the first volunteer waiting is promoted.",
)
async def withdraw_from_shift(info: g.Info, input: i.WithdrawFromShiftInput) -> SignUp:
    return await signups.withdraw(info.context.actor, _sign_up(input.sign_up_id))


@g.mutation(
    sign_up=VolunteerSignUp,
    error=VolunteerError,
    description="V5: a guardian (verified proxy) consents to a minor's sign-up.",
)
async def give_guardian_consent(info: g.Info, input: i.GiveGuardianConsentInput) -> SignUp:
    return await signups.consent(info.context.actor, _sign_up(input.sign_up_id), input.accompanied)


# In the schema's order (register_mutations answers them with the hours mutations).
MUTATIONS = [
    register_volunteer,
    update_volunteer_profile,
    create_volunteer_activity,
    add_volunteer_shift,
    publish_volunteer_activity,
    cancel_volunteer_shift,
    sign_up_for_shift,
    withdraw_from_shift,
    give_guardian_consent,
]
