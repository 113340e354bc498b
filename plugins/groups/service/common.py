"""What every groups use case shares: the clock and settings, who may do what to a group,
the guarded status change, and the event topics.

Status changes go through :func:`move`: a conditional UPDATE on the current status whose
affected-row count says who won, then the history row. Concurrent decisions on one filing
therefore give one winner on SQLite and PostgreSQL alike (no read-then-write).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from linli.core import clock, kit, runtime
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.access import can
from linli.core.identity.models import Community
from linli.core.topics import EventType

from .. import rules
from ..models import Filing, FilingStatusChange, Group, GroupStatusChange, Settings

Status = rules.Status


now = clock.now  # the kit's one clock (the tests' frozen clock in tests)


async def settings_for(community_id: int) -> rules.GroupSettings:
    """The community's groups settings (what its staff changed, DOMAIN.md's defaults for the
    rest: the kit's stored row) in its time zone: the one place the use cases read them."""
    community = await Community.get_or_none(id=community_id)
    tz = community.time_zone if community else runtime.current().settings.time_zone
    return (await kit.settings_of(Settings, community_id)).for_rules(tz)


async def settings_for_many(community_ids: list[int]) -> list[rules.GroupSettings]:
    """:func:`settings_for` of many communities in two queries (a page of groups, a summary)."""
    from linli.core.kit.models import CommunitySetting

    wanted = set(community_ids)
    zones = dict(await Community.filter(pk__in=wanted).values_list("id", "time_zone"))
    stored = dict(
        await CommunitySetting.filter(community_id__in=wanted, plugin=Settings.plugin).values_list(
            "community_id", "values"
        )
    )
    default_zone = runtime.current().settings.time_zone
    made: dict[int, rules.GroupSettings] = {}
    for cid in wanted:
        values = {k: v for k, v in (stored.get(cid) or {}).items() if k in Settings.model_fields}
        made[cid] = Settings(**values).for_rules(zones.get(cid, default_zone))
    return [made[cid] for cid in community_ids]


def today(s: rules.GroupSettings) -> dt.date:
    """The community's local day (its zone is in its settings)."""
    return clock.today(s.tz)


# ---------------------------------------------------------------- who may


def is_leader(actor: Actor, group: Group) -> bool:
    return actor.person_id is not None and actor.person_id == group.leader_person_id


def reviews(actor: Actor, group: Group | Filing) -> bool:
    """G2: the caller is staff of the group's reviewing community (or above it)."""
    return can(actor, "groups.review", group.review_community_id)


def manages(actor: Actor, group: Group) -> bool:
    """The leader, or the staff who review the group (who may act at the desk for it)."""
    return is_leader(actor, group) or reviews(actor, group)


def places(group: Group) -> list[int]:
    return [group.community_id, *group.other_community_ids]


def browses(actor: Actor, group: Group) -> bool:
    """Residents of a community where the group is active see its public face."""
    communities = [*places(group), group.street_office_id]
    return any(can(actor, "groups.browse", cid) for cid in communities if cid is not None)


def public(actor: Actor, group: Group) -> bool:
    """The public face: for residents of the places where the group is active, while it is
    not rejected or dissolved (the directory lists approved ones; a leader shares the link of
    a group still filing, so neighbours can ask to join before the roster is filed)."""
    return Status(group.status) not in rules.ENDED and browses(actor, group)


async def group_for(actor: Actor, group_id: int, *, manage: bool = True) -> Group:
    """The group, if the caller manages it (``manage``) or may see it at all; NOT_FOUND for
    one the caller may not see, so existence is not revealed; FORBIDDEN for a visible group
    the caller does not manage."""
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    group = await Group.get_or_none(pk=group_id)
    if group is None:
        raise Refused("NOT_FOUND", field="groupId")
    if manages(actor, group):
        return group
    if public(actor, group):
        if manage:
            raise Refused("FORBIDDEN", field="groupId")
        return group
    raise Refused("NOT_FOUND", field="groupId")


# ---------------------------------------------------------------- guarded status change


FILING_MACHINE = kit.StatusMachine(
    Filing,
    rules.FILING_TRANSITIONS,
    history=FilingStatusChange,
    history_key="filing_id",
    field="filingId",
)
GROUP_MACHINE = kit.StatusMachine(
    Group,
    rules.GROUP_TRANSITIONS,
    history=GroupStatusChange,
    history_key="group_id",
    field="groupId",
)


async def move(
    model: type[Group] | type[Filing],
    row: Group | Filing,
    allowed_from: set[Status] | frozenset[Status],
    to: Status,
    by: Actor | None,
    note: str = "",
    where: dict[str, Any] | None = None,
    **values: Any,
) -> Status:
    """Move ``row`` to ``to`` through the kit's status machine (a conditional UPDATE on its
    current status, then its history row): INVALID_TRANSITION when the use case does not
    start from its status (``allowed_from``), the edge does not exist, or another request
    moved it first. ``where`` adds conditions (the row still as it was read). Returns the
    status it moved from."""
    before = Status(row.status)
    if before not in allowed_from:
        raise Refused("INVALID_TRANSITION", current=str(before), target=str(to))
    machine = GROUP_MACHINE if model is Group else FILING_MACHINE
    await machine.move(row, to, by=by, note=note[:60], changes=values, guard=where)
    for name, value in values.items():
        setattr(row, name, value)
    return before


# ---------------------------------------------------------------- events

# Domain events other plugins may hear (ids only). Correctness never rests on them: ask
# ``may_organise_from_group`` instead of keeping a copy of group state built from events.
_ABOUT = {"group_id": int, "community_id": int}
APPROVED = EventType("groups.approved", description="A filing was approved.", **_ABOUT)
LAPSED = EventType("groups.lapsed", description="A group's approval lapsed (G5, G6).", **_ABOUT)
CHANGED = EventType("groups.changed", description="A group's details changed (G5).", **_ABOUT)
DISSOLVED = EventType("groups.dissolved", description="A group was dissolved.", **_ABOUT)
# The subscriptions' feeds: a reviewing community's filings, a person's groups.
REVIEW = EventType(
    "groups.review",
    keys=["community_id"],
    description="groupReviewUpdates: a filing FILED, DECIDED or OVERDUE.",
    community_id=int,
    filing_id=int,
    group_id=int,
    kind=str,
)
PERSON = EventType(
    "groups.person",
    keys=["person_id"],
    description="myGroupUpdates: something happened to a group the person is in.",
    person_id=int,
    kind=str,
    **_ABOUT,
)
EVENTS = (APPROVED, LAPSED, CHANGED, DISSOLVED, REVIEW, PERSON)


async def announce_review(filing: Filing, kind: str) -> None:
    await REVIEW.publish(
        community_id=filing.review_community_id,
        filing_id=filing.pk,
        group_id=filing.group_id,
        kind=kind,
    )


async def announce_group(group: Group, event: EventType | None, kind: str) -> None:
    """A domain event (if any) and the update every current member hears."""
    from ..models import RosterEntry

    about = {"group_id": group.pk, "community_id": group.community_id}
    if event is not None:
        await event.publish(**about)
    people = await RosterEntry.filter(group_id=group.pk, until=None).values_list(
        "person_id", flat=True
    )
    for person_id in sorted({*people, group.leader_person_id}):
        await PERSON.publish(person_id=person_id, kind=kind, **about)
