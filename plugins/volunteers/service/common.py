"""What every volunteer use case shares, all on the kit: settings, seats, the status
machines, who organises, the events.

Seats change only through the kit's capacity counter (V3): one conditional UPDATE whose
WHERE clause is the capacity rule. Statuses change only through the kit's status machines:
a guarded UPDATE, the history row, the audit line and the events in one call.
"""

from __future__ import annotations

import inspect
from typing import Any

from linli.core import kit, runtime
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity import access
from linli.core.identity.models import Community
from linli.core.topics import EventType

from .. import rules
from ..models import (
    Activity,
    HoursChange,
    HoursRecord,
    Profile,
    Settings,
    Shift,
    SignUp,
    SignUpChange,
)
from ..rules.hours import HOURS_EDGES

S = rules.SignUpStatus


async def settings_for(community_id: int) -> rules.VolunteerRules:
    """The community's volunteer settings (its own values, or DOMAIN.md's defaults) in its zone."""
    community = await Community.get_or_none(id=community_id)
    tz = community.time_zone if community else runtime.current().settings.time_zone
    return (await kit.settings_of(Settings, community_id)).for_rules(tz)


# ---------------------------------------------------------------- status machines

SIGN_UPS = kit.StatusMachine(
    SignUp, rules.SIGNUP_EDGES, history=SignUpChange, history_key="sign_up_id", field="signUpId"
)
HOURS = kit.StatusMachine(
    HoursRecord, HOURS_EDGES, history=HoursChange, history_key="record_id", field="recordId"
)
ACTIVITIES = kit.StatusMachine(Activity, rules.ACTIVITY_EDGES, field="activityId")

# ---------------------------------------------------------------- seats (V3)

# A shift's seats: ``confirmed`` never passes ``capacity``.
SEATS = kit.Capacity(Shift, count="confirmed", limit="capacity")
# The waitlist's length, kept beside it for the fill level (no limit worth testing).
WAITING = kit.Capacity(Shift, count="waitlisted", limit=10**9)


# ---------------------------------------------------------------- who


async def volunteer(actor: Actor, person_id: int | None) -> access.ActingFor:
    """The volunteer an act is for: oneself, or a person one holds a verified proxy grant
    for (a guardian). Staff do not act for volunteers: volunteering, and spending one's
    coins, are the person's own choice (条例 art. 7)."""
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    target = actor.person_id if person_id is None else person_id
    if target is None:
        raise Refused("FORBIDDEN", field="personId")
    who = await access.acting_for(actor, target)
    if who.how == "staff":
        raise Refused("FORBIDDEN", field="personId")
    return who


async def profile_of(person_id: int) -> Profile:
    profile = await Profile.get_or_none(person_id=person_id)
    if profile is None:
        raise Refused(str(rules.Reason.NOT_REGISTERED), field="personId")
    return profile


def may_organise(actor: Actor, activity: Activity) -> bool:
    """Staff of the activity's community, or whoever posted it."""
    return access.can(actor, "volunteers.organise", activity.community_id) or (
        actor.authenticated and activity.created_by_account_id == actor.account_id
    )


async def organised(actor: Actor, activity_id: int) -> Activity:
    """The activity, for its organisers; FORBIDDEN whether or not it exists otherwise
    (permission is decided before any state is shown)."""
    activity = await Activity.get_or_none(id=activity_id)
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    if activity is None or not may_organise(actor, activity):
        raise Refused("FORBIDDEN", field="activityId")
    return activity


async def organised_shift(actor: Actor, shift_id: int) -> tuple[Shift, Activity]:
    shift = await Shift.get_or_none(id=shift_id)
    if shift is None:
        if not actor.authenticated:
            raise Refused("UNAUTHENTICATED")
        raise Refused("FORBIDDEN", field="shiftId")
    return shift, await organised(actor, shift.activity_id)


async def group_may_organise(
    group_id: int, community_id: int, day: Any, person_id: int | None = None
) -> bool:
    """Ask the groups module (``may_organise_from_group``), never its tables: may the group
    organise there that day (and, with ``person_id``, does that person lead it)? No answer
    (the plugin is not enabled) means no."""
    hook = runtime.current().plugins.pm.hook.may_organise_from_group
    answer = hook(group_id=group_id, community_id=community_id, day=day, person_id=person_id)
    if inspect.isawaitable(answer):
        answer = await answer
    return bool(answer)


async def check_group_organiser(actor: Actor, group_id: int, community_id: int) -> None:
    """V2 for an activity of a group: staff of the community post for an active group; anyone
    else only as the leader of that active group (the groups module answers both). The
    group's own state is asked first for a non-leader only to tell FORBIDDEN (you do not
    lead it) from ORGANISER_NOT_ACTIVE (nobody may organise for it): whether a group is
    approved is public (its badge in the directory), so nothing private is shown."""
    community = await Community.get(id=community_id)
    today = kit.today(community.time_zone)
    is_staff = access.can(actor, "volunteers.organise", community_id)
    leads = False
    if not is_staff and actor.person_id is not None:
        leads = await group_may_organise(group_id, community_id, today, actor.person_id)
    active = leads or await group_may_organise(group_id, community_id, today)
    rules.check_organiser(
        is_staff=is_staff, group_id=group_id, group_may_organise=active, leads_group=leads
    )


async def may_view(actor: Actor, community_id: int) -> bool:
    """The community's activities: its members with volunteers.view, and whoever acts for
    one of its residents (a guardian)."""
    if access.can(actor, "volunteers.view", community_id):
        return True
    seen = await kit.reach(actor, "volunteers.view")
    return seen.sees(community_id)


# ---------------------------------------------------------------- events (V10)

SHIFT_FILL = EventType(
    "volunteers.shift_fill",
    keys=["activity_id"],
    description="A shift's confirmed seats or waitlist changed (after commit).",
    activity_id=int,
    shift_id=int,
    community_id=int,
)
PERSON_UPDATE = EventType(
    "volunteers.person",
    keys=["person_id"],
    description="Something happened to a volunteer's own sign-up or hours.",
    person_id=int,
    kind=str,
    sign_up_id=int,
    record_id=int,
    community_id=int,
)
EVENTS = [SHIFT_FILL, PERSON_UPDATE]


def fill_event(shift: Shift) -> tuple[EventType, dict[str, Any]]:
    return SHIFT_FILL, {
        "activity_id": shift.activity_id,
        "shift_id": shift.pk,
        "community_id": shift.community_id,
    }


def person_event(
    person_id: int, kind: str, community_id: int, *, sign_up_id: int = 0, record_id: int = 0
) -> tuple[EventType, dict[str, Any]]:
    return PERSON_UPDATE, {
        "person_id": person_id,
        "kind": kind,
        "sign_up_id": sign_up_id,
        "record_id": record_id,
        "community_id": community_id,
    }


def sign_up_event(sign_up: SignUp, kind: str) -> tuple[EventType, dict[str, Any]]:
    return person_event(sign_up.person_id, kind, sign_up.community_id, sign_up_id=sign_up.pk)
