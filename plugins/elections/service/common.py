"""What every part-I use case shares: the rules' refusals as core's, who runs an election
(staff of its community, or its election committee), an election read for an act.

Permission before state: ``load_for`` checks that the caller may see the election's community
before it says anything about the election (NOT_FOUND for both "no such election" and "not
yours", so existence is not revealed).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator

from linli.core import kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.access import can
from linli.core.identity.models import Community

from ..models import CommitteeMember, Election
from ..rules import refusals
from ..rules.deadlines import Window


@contextlib.contextmanager
def ruled(field: str | None = None) -> Iterator[None]:
    """A rule's ``Refused(code, **details)`` as core's ``Refused`` (its details the message's
    parameters: dates, limits, posts, never the refused value)."""
    try:
        yield
    except refusals.Refused as refusal:
        raise Refused(str(refusal.code), field=field, **refusal.details) from None


async def load_for(actor: Actor, election_id: int, action: str = "elections.view") -> Election:
    """The election, if ``actor`` holds ``action`` in its community (or sits on its committee,
    for the management acts): else UNAUTHENTICATED / NOT_FOUND."""
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    election = await Election.get_or_none(pk=election_id)
    if election is None:
        raise Refused("NOT_FOUND", field="electionId")
    if can(actor, action, election.community_id):
        return election
    if action == "elections.manage" and await on_committee(actor, election):
        return election
    if action == "elections.manage" and can(actor, "elections.view", election.community_id):
        raise Refused("FORBIDDEN")
    raise Refused("NOT_FOUND", field="electionId")


async def on_committee(actor: Actor, election: Election) -> bool:
    """Does the actor's person sit on the election's committee (and has not left it)?"""
    if actor.person_id is None:
        return False
    return await CommitteeMember.filter(
        election_id=election.pk, person_id=actor.person_id, left_at__isnull=True
    ).exists()


async def since_creation(window: Window, election: Election) -> Window:
    """A window open "from the election's creation" (``opens`` None) with that local day, so
    an OUTSIDE_WINDOW message names both dates."""
    if window.opens is not None:
        return window
    day = kit.local_day(election.created_at, await time_zone_of(election.community_id))
    return dataclasses.replace(window, opens=day)


async def time_zone_of(community_id: int) -> str:
    zone = await Community.filter(pk=community_id).values_list("time_zone", flat=True)
    return zone[0] if zone else "Asia/Shanghai"


async def today_of(election: Election) -> object:
    """The election's community's local day now (E2: windows are local dates)."""
    return kit.today(await time_zone_of(election.community_id))


def person_of(actor: Actor) -> int:
    """The caller's person: acts reserved to voters need one (NOT_ON_ROLL otherwise)."""
    if actor.person_id is None:
        raise Refused("NOT_ON_ROLL")
    return actor.person_id
