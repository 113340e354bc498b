"""E1 The electorate: who is on an election's roll, computed from plain person data.

A voter is 18 or more on election day and registered in this community only. Election day
is a local date (the community's time zone): ``local_day`` turns an instant into it, so a
person whose 18th birthday is election day in Asia/Shanghai is on the roll even while UTC
still says the day before. A person registered in several communities is not refused but
listed as a conflict, which staff resolve (``resolved``) before the roll is published.

Modes (*setting*): every voter; one representative per household; 2–3 per resident group.
In the representative modes the households and groups name their representatives
(``representatives``); a representative must be a voter of that household or group.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Container, Iterable, Mapping, Sequence
from enum import StrEnum
from zoneinfo import ZoneInfo

from .refusals import Code, Refused

VOTING_AGE = 18  # 年满十八周岁 (城市居民委员会组织法 art. 8): fixed by law, not a setting


class ElectorateMode(StrEnum):
    ALL_VOTERS = "ALL_VOTERS"
    HOUSEHOLD_REPRESENTATIVES = "HOUSEHOLD_REPRESENTATIVES"  # one per household
    GROUP_REPRESENTATIVES = "GROUP_REPRESENTATIVES"  # 2–3 per resident group (居民小组)


@dataclasses.dataclass(frozen=True, slots=True)
class RollSettings:
    """E1's *settings*, with DOMAIN.md's defaults."""

    mode: ElectorateMode = ElectorateMode.ALL_VOTERS
    group_representatives_min: int = 2
    group_representatives_max: int = 3

    def __post_init__(self) -> None:
        if not 1 <= self.group_representatives_min <= self.group_representatives_max:
            raise ValueError("E1: 1 <= group_representatives_min <= group_representatives_max")


@dataclasses.dataclass(frozen=True, slots=True)
class Person:
    """What the roll needs of a person: no name, no ID number, no phone."""

    id: str
    birth_date: dt.date
    communities: frozenset[str]  # where the person is registered
    household: str | None = None
    group: str | None = None  # the resident group (居民小组)


@dataclasses.dataclass(frozen=True, slots=True)
class Conflict:
    """A person registered in this community and others: staff decide which one counts."""

    person: str
    communities: tuple[str, ...]  # sorted


@dataclasses.dataclass(frozen=True, slots=True)
class Roll:
    """The computed roll: ``voters`` (sorted ids), the unresolved ``conflicts``, every
    ``refused`` person of the input with its code, and, in the representative modes, the
    households or groups whose representatives are missing or not valid (``unrepresented``,
    sorted). A roll with conflicts is not ready for publication (``publishable``)."""

    voters: tuple[str, ...]
    conflicts: tuple[Conflict, ...]
    refused: Mapping[str, Code]
    unrepresented: tuple[str, ...] = ()
    _index: frozenset[str] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", frozenset(self.voters))

    @property
    def publishable(self) -> bool:
        return not self.conflicts

    def __contains__(self, person: object) -> bool:
        return person in self._index


def local_day(instant: dt.datetime, time_zone: str) -> dt.date:
    """The community's local date at an aware instant (E1, E2: days count locally)."""
    if instant.tzinfo is None:
        raise ValueError("an instant must be timezone-aware")
    return instant.astimezone(ZoneInfo(time_zone)).date()


def birthday_in(year: int, birth_date: dt.date) -> dt.date:
    """The birthday in ``year``; someone born on 29 February has it on 1 March in other years
    (they have not completed the year before the day after 28 February)."""
    try:
        return birth_date.replace(year=year)
    except ValueError:
        return dt.date(year, 3, 1)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years (周岁) on ``day``: the birthday itself completes the year."""
    years = day.year - birth_date.year
    return years if day >= birthday_in(day.year, birth_date) else years - 1


def eligibility(person: Person, community: str, election_day: dt.date,
                resolved: Mapping[str, str] | None = None) -> Code | Conflict | None:
    """None if the person is a voter of ``community``; else the refusal, or the conflict."""
    if community not in person.communities:
        return Code.OTHER_COMMUNITY
    if age_on(person.birth_date, election_day) < VOTING_AGE:
        return Code.UNDER_18
    if len(person.communities) > 1:
        chosen = (resolved or {}).get(person.id)
        if chosen is None or chosen not in person.communities:
            return Conflict(person.id, tuple(sorted(person.communities)))
        if chosen != community:
            return Code.OTHER_COMMUNITY
    return None


def compute_roll(persons: Iterable[Person], community: str, election_day: dt.date,
                 settings: RollSettings = RollSettings(),
                 resolved: Mapping[str, str] | None = None,
                 representatives: Mapping[str, Sequence[str]] | None = None) -> Roll:
    """E1: the roll of ``community`` for ``election_day``.

    ``resolved``: person -> the one community staff decided for a registration conflict.
    ``representatives``: household (or group) id -> the person ids it named; read only in
    the representative modes. A household must name exactly one voter of its own, a group
    between the settings' bounds; otherwise none of them is on the roll and the household
    or group is listed in ``unrepresented`` (every adult of it is refused NOT_ON_ROLL).
    """
    adults: dict[str, Person] = {}
    conflicts: list[Conflict] = []
    refused: dict[str, Code] = {}
    for person in persons:
        verdict = eligibility(person, community, election_day, resolved)
        if verdict is None:
            adults[person.id] = person
        elif isinstance(verdict, Conflict):
            conflicts.append(verdict)
        else:
            refused[person.id] = verdict
    unrepresented: list[str] = []
    if settings.mode is ElectorateMode.ALL_VOTERS:
        voters = set(adults)
    else:
        voters, unrepresented = _representatives(adults, settings, representatives or {})
        refused.update({p: Code.NOT_ON_ROLL for p in adults if p not in voters})
    return Roll(tuple(sorted(voters)), tuple(sorted(conflicts, key=lambda c: c.person)),
                refused, tuple(sorted(unrepresented)))


def _representatives(adults: Mapping[str, Person], settings: RollSettings,
                     named: Mapping[str, Sequence[str]]) -> tuple[set[str], list[str]]:
    by_household = settings.mode is ElectorateMode.HOUSEHOLD_REPRESENTATIVES
    low, high = ((1, 1) if by_household else
                 (settings.group_representatives_min, settings.group_representatives_max))
    units: dict[str, list[str]] = {}
    for person in adults.values():
        unit = person.household if by_household else person.group
        if unit is not None:
            units.setdefault(unit, []).append(person.id)
    voters: set[str] = set()
    unrepresented: list[str] = []
    for unit, members in units.items():
        chosen = set(named.get(unit, ()))
        if low <= len(chosen) <= high and chosen <= set(members):
            voters |= chosen
        else:
            unrepresented.append(unit)
    return voters, unrepresented


def check_on_roll(roll: Container[str], person: str) -> None:
    """An act reserved to voters (nominating, granting or holding a proxy): NOT_ON_ROLL."""
    if person not in roll:
        raise Refused(Code.NOT_ON_ROLL)
