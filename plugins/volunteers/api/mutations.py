"""Volunteer mutations, part one: profiles, activities and shifts, sign-ups (V1–V5).

Thin: decode ids (``pk``) inside the attempt, so a bad id is a payload error too; call the
service; turn a Refused into ``VolunteerError`` data.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from linli.core.graphql import pk

from .. import rules
from ..service import activities, profiles, signups
from . import inputs as i
from .types import (
    VolunteerActivity,
    VolunteerError,
    VolunteerProfile,
    VolunteerShift,
    VolunteerSignUp,
)

attempt = VolunteerError.attempt


def _actor(info: Info) -> Any:
    return info.context.actor


def _windows(items: list[i.AvailabilityInput] | None) -> list[rules.Availability] | None:
    if items is None:
        return None
    return [rules.Availability(w.weekday, w.start, w.end) for w in items]


def _person(gid: Any, field: str = "personId") -> int | None:
    return pk(gid, "Person", field=field)


@strawberry.type
class VolunteerMutation:
    @strawberry.mutation(
        description="V1: register as a volunteer (or a minor you are guardian for)."
    )
    async def register_volunteer(
        self, info: Info, input: i.RegisterVolunteerInput
    ) -> i.RegisterVolunteerPayload:
        row, errors = await attempt(
            info,
            lambda: profiles.register(
                _actor(info),
                _person(input.person_id),
                input.skills,
                input.service_areas,
                _windows(input.availability) or [],
            ),
        )
        return i.RegisterVolunteerPayload(
            profile=row and VolunteerProfile.from_model(row), errors=errors
        )

    @strawberry.mutation(description="V1: change skills, service areas or weekly availability.")
    async def update_volunteer_profile(
        self, info: Info, input: i.UpdateVolunteerProfileInput
    ) -> i.UpdateVolunteerProfilePayload:
        row, errors = await attempt(
            info,
            lambda: profiles.update(
                _actor(info),
                _person(input.person_id),
                input.skills,
                input.service_areas,
                _windows(input.availability),
            ),
        )
        return i.UpdateVolunteerProfilePayload(
            profile=row and VolunteerProfile.from_model(row), errors=errors
        )

    @strawberry.mutation(description="V2: staff post an activity (a draft), for a group too.")
    async def create_volunteer_activity(
        self, info: Info, input: i.CreateVolunteerActivityInput
    ) -> i.CreateVolunteerActivityPayload:
        row, errors = await attempt(
            info,
            lambda: activities.create_activity(
                _actor(info),
                pk(input.community_id, "Community", field="communityId"),
                input.title,
                input.description,
                pk(input.group_id, "Group", field="groupId"),
            ),
        )
        return i.CreateVolunteerActivityPayload(
            activity=row and VolunteerActivity.from_model(row), errors=errors
        )

    @strawberry.mutation(description="V2: add a shift to an activity.")
    async def add_volunteer_shift(
        self, info: Info, input: i.AddVolunteerShiftInput
    ) -> i.AddVolunteerShiftPayload:
        row, errors = await attempt(
            info,
            lambda: activities.add_shift(
                _actor(info),
                pk(input.activity_id, "VolunteerActivity", field="activityId"),
                input.title,
                input.start,
                input.end,
                input.place,
                input.capacity,
                input.required_skills,
                input.min_age,
                input.adults_only,
            ),
        )
        return i.AddVolunteerShiftPayload(
            shift=row and VolunteerShift.from_model(row), errors=errors
        )

    @strawberry.mutation(description="V2: publish an activity: its shifts open for sign-up.")
    async def publish_volunteer_activity(
        self, info: Info, input: i.PublishVolunteerActivityInput
    ) -> i.PublishVolunteerActivityPayload:
        row, errors = await attempt(
            info,
            lambda: activities.publish(
                _actor(info), pk(input.activity_id, "VolunteerActivity", field="activityId")
            ),
        )
        return i.PublishVolunteerActivityPayload(
            activity=row and VolunteerActivity.from_model(row), errors=errors
        )

    @strawberry.mutation(description="Cancel a shift: every signed-up volunteer is told live.")
    async def cancel_volunteer_shift(
        self, info: Info, input: i.CancelVolunteerShiftInput
    ) -> i.CancelVolunteerShiftPayload:
        row, errors = await attempt(
            info,
            lambda: activities.cancel_shift(
                _actor(info), pk(input.shift_id, "VolunteerShift", field="shiftId")
            ),
        )
        return i.CancelVolunteerShiftPayload(
            shift=row and VolunteerShift.from_model(row), errors=errors
        )

    @strawberry.mutation(
        description="V3–V5: sign up: CONFIRMED, WAITLISTED (first in, first out) or "
        "PENDING_CONSENT (a minor, until a guardian consents)."
    )
    async def sign_up_for_shift(
        self, info: Info, input: i.SignUpForShiftInput
    ) -> i.SignUpForShiftPayload:
        row, errors = await attempt(
            info,
            lambda: signups.sign_up(
                _actor(info),
                pk(input.shift_id, "VolunteerShift", field="shiftId"),
                _person(input.person_id),
            ),
        )
        return i.SignUpForShiftPayload(
            sign_up=row and VolunteerSignUp.from_model(row), errors=errors
        )

    @strawberry.mutation(description="V3: withdraw; the first volunteer waiting is promoted.")
    async def withdraw_from_shift(
        self, info: Info, input: i.WithdrawFromShiftInput
    ) -> i.WithdrawFromShiftPayload:
        row, errors = await attempt(
            info,
            lambda: signups.withdraw(
                _actor(info), pk(input.sign_up_id, "VolunteerSignUp", field="signUpId")
            ),
        )
        return i.WithdrawFromShiftPayload(
            sign_up=row and VolunteerSignUp.from_model(row), errors=errors
        )

    @strawberry.mutation(
        description="V5: a guardian (verified proxy) consents to a minor's sign-up."
    )
    async def give_guardian_consent(
        self, info: Info, input: i.GiveGuardianConsentInput
    ) -> i.GiveGuardianConsentPayload:
        row, errors = await attempt(
            info,
            lambda: signups.consent(
                _actor(info),
                pk(input.sign_up_id, "VolunteerSignUp", field="signUpId"),
                input.accompanied,
            ),
        )
        return i.GiveGuardianConsentPayload(
            sign_up=row and VolunteerSignUp.from_model(row), errors=errors
        )
