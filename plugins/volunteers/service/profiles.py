"""V1: registering as a volunteer (for oneself, or a guardian for a minor) and the profile."""

from __future__ import annotations

from collections.abc import Sequence

from linli.core import db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused

from .. import rules
from ..models import Profile
from . import common


async def register(
    actor: Actor,
    person_id: int | None,
    skills: Sequence[str],
    service_areas: Sequence[str],
    availability: Sequence[rules.Availability],
) -> Profile:
    """V1: a profile whose identity is the Person; ALREADY_REGISTERED the second time."""
    who = await common.volunteer(actor, person_id)
    values = {
        "skills": rules.clean_tags(skills, field="skills"),
        "service_areas": rules.clean_tags(service_areas, field="serviceAreas"),
        "availability": rules.check_availability(availability),
    }
    at = kit.now()
    async with db.atomic():
        profile = await kit.create_unless_exists(
            Profile,
            refuse=Refused(str(rules.Reason.ALREADY_REGISTERED), field="personId"),
            person_id=who.person.pk,
            community_id=who.person.community_id,
            registered_by_account_id=actor.account_id,
            created_at=at,
            updated_at=at,
            **values,
        )
        await who.record("volunteers.register", obj=profile, force=True)
    return profile


async def update(
    actor: Actor,
    person_id: int | None,
    skills: Sequence[str] | None,
    service_areas: Sequence[str] | None,
    availability: Sequence[rules.Availability] | None,
) -> Profile:
    who = await common.volunteer(actor, person_id)
    profile = await Profile.get_or_none(person_id=who.person.pk)
    if profile is None:
        raise Refused(str(rules.Reason.NOT_REGISTERED), field="personId")
    changes: dict[str, object] = {"updated_at": kit.now()}
    if skills is not None:
        changes["skills"] = rules.clean_tags(skills, field="skills")
    if service_areas is not None:
        changes["service_areas"] = rules.clean_tags(service_areas, field="serviceAreas")
    if availability is not None:
        changes["availability"] = rules.check_availability(availability)
    async with db.atomic():
        await Profile.filter(id=profile.pk).update(**changes)
        await who.record("volunteers.profile.update", obj=profile, changed=sorted(changes))
    await profile.refresh_from_db()
    return profile


async def visible_profile(actor: Actor, person_id: int | None) -> Profile | None:
    """The profile of oneself or of a person one is guardian for (None when not registered)."""
    who = await common.volunteer(actor, person_id)
    return await Profile.get_or_none(person_id=who.person.pk)
