"""E1's representative electorates (户代表 one per household; 居民代表 2–3 per resident
group), end to end over HTTP against a real ``linli serve``: created in that mode, the
representatives named, the roll published and read, and who is on it; and the SQL statements
of the roll's build and of its first page do not grow with the number of households.

SQLite by default, PostgreSQL when LINLI_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
from typing import Any

import httpx
import pytest
from box_helpers import call
from part1_helpers import AM_I, CREATE, PUBLISH_ROLL, ROLL

from linli.core.clock import FrozenClock
from linli.testing import global_id, make_account, make_community

NAME = """mutation($input: NameRollRepresentativesInput!) {
  nameRollRepresentatives(input: $input) { named errors { code message } } }"""
ADULT, CHILD = dt.date(1975, 3, 1), dt.date(2015, 3, 1)


@pytest.fixture
def clock():
    # The server runs on the real clock: tokens and the election day must be valid by it.
    return FrozenClock(dt.datetime.now(dt.UTC))


@dataclasses.dataclass
class Town:
    community: Any
    staff: Any
    areas: list[Any]
    households: dict[str, list[Any]]  # household -> its people (two adults, then a child)

    def adults(self, household: str) -> list[Any]:
        return self.households[household][:2]


async def town(households: int) -> Town:
    """A community with two resident groups (areas); each household two adults and a child,
    the households spread over the groups."""
    from linli.core.identity.models import Person

    community = await make_community()
    areas = [await make_community(kind="area", parent=community) for _ in range(2)]
    staff = await make_account("staff", community)
    homes: dict[str, list[Any]] = {}
    for h in range(households):
        name = f"{h + 1}号楼{101 + h}室"
        homes[name] = []
        for born in (ADULT, ADULT, CHILD):
            made = await make_account("resident", community, birth_date=born)
            await Person.filter(pk=made.person.pk).update(household=name,
                                                         area_id=areas[h % 2].pk)
            homes[name].append(made)
    return Town(community, staff, areas, homes)


def pid(made: Any) -> str:
    return global_id("Person", made.person.pk)


def election_day() -> str:
    from linli.core import kit

    return (kit.today("Asia/Shanghai") + dt.timedelta(days=40)).isoformat()


async def create(client, t: Town, mode: str) -> str:
    made = await call(client, CREATE, {
        "communityId": global_id("Community", t.community.pk), "title": "第十二届居委会选举",
        "electionDay": election_day(), "electorateMode": mode,
        "seats": {"director": 1, "deputyDirector": 1, "member": 3}}, t.staff.token)
    assert made["errors"] == [], made
    return made["election"]["id"]


async def roll_of(client, election: str, token: str) -> list[str]:
    page = await call(client, ROLL, {"id": election, "first": 100}, token, inputs=False)
    return sorted(e["node"]["personId"] for e in page["edges"])


@pytest.mark.timeout(600)
async def test_E1_household_representatives_over_http(linli_app, live_server, clock):
    t = await town(4)
    homes = list(t.households)
    async with httpx.AsyncClient(base_url=live_server.url, timeout=120) as client:
        election = await create(client, t, "HOUSEHOLD_REPRESENTATIVES")
        chosen = {}
        for home in homes[:2]:  # one adult each: represented
            chosen[home] = t.adults(home)[1]
            named = await call(client, NAME, {"electionId": election, "unit": home,
                                              "personIds": [pid(chosen[home])]}, t.staff.token)
            assert named == {"named": 1, "errors": []}
        # The third names its child (not a voter), the fourth both adults: unrepresented.
        await call(client, NAME, {"electionId": election, "unit": homes[2],
                                  "personIds": [pid(t.households[homes[2]][2])]}, t.staff.token)
        await call(client, NAME, {"electionId": election, "unit": homes[3],
                                  "personIds": [pid(p) for p in t.adults(homes[3])]},
                   t.staff.token)
        by_resident = await call(client, NAME, {"electionId": election, "unit": homes[0],
                                                "personIds": [pid(t.adults(homes[0])[0])]},
                                 t.adults(homes[0])[0].token)
        assert [e["code"] for e in by_resident["errors"]] == ["FORBIDDEN"]
        published = await call(client, PUBLISH_ROLL, {"electionId": election}, t.staff.token)
        assert published["errors"] == [] and published["election"]["rollSize"] == 2
        voter = t.adults(homes[0])[1]
        assert await roll_of(client, election, voter.token) == sorted(
            pid(p) for p in chosen.values())
        me = await call(client, AM_I, {"id": election}, voter.token, inputs=False)
        assert me == {"onRoll": True, "reason": None}
        other = t.adults(homes[0])[0]  # an adult of a represented household, not named
        me = await call(client, AM_I, {"id": election}, other.token, inputs=False)
        assert me == {"onRoll": False, "reason": "NOT_ON_ROLL"}
        unrepresented = t.adults(homes[3])[0]
        me = await call(client, AM_I, {"id": election}, unrepresented.token, inputs=False)
        assert me == {"onRoll": False, "reason": "NOT_ON_ROLL"}


@pytest.mark.timeout(600)
async def test_E1_resident_group_representatives_over_http(linli_app, live_server, clock):
    t = await town(6)  # each group: three households, six adults
    async with httpx.AsyncClient(base_url=live_server.url, timeout=120) as client:
        election = await create(client, t, "GROUP_REPRESENTATIVES")
        members = {str(a.pk): [] for a in t.areas}
        for k, home in enumerate(t.households):
            members[str(t.areas[k % 2].pk)] += t.adults(home)
        first, second = (str(a.pk) for a in t.areas)
        # The first group names three (within 2–3), the second one only: unrepresented.
        named = await call(client, NAME, {"electionId": election, "unit": first, "personIds": [
            pid(p) for p in members[first][:3]]}, t.staff.token)
        assert named == {"named": 3, "errors": []}
        await call(client, NAME, {"electionId": election, "unit": second,
                                  "personIds": [pid(members[second][0])]}, t.staff.token)
        published = await call(client, PUBLISH_ROLL, {"electionId": election}, t.staff.token)
        assert published["errors"] == [] and published["election"]["rollSize"] == 3
        reader = members[first][0]
        assert await roll_of(client, election, reader.token) == sorted(
            pid(p) for p in members[first][:3])
        left_out = await call(client, AM_I, {"id": election}, members[second][0].token,
                              inputs=False)
        assert left_out == {"onRoll": False, "reason": "NOT_ON_ROLL"}


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.n = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.n += 1


@contextlib.contextmanager
def counting_statements():
    """Every SQL statement the database clients send (Tortoise logs each at DEBUG)."""
    logger = logging.getLogger("tortoise.db_client")
    counter, level = _Statements(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)


async def _statements(gql, households: int, mode: str) -> tuple[int, int, int]:
    """(statements to publish the roll, to read its first page, the roll's size) for a
    town of ``households`` households in ``mode``, every household or group represented."""
    from linli.core import kit

    t = await town(households)
    made = await gql.mutate(CREATE, {
        "communityId": global_id("Community", t.community.pk), "title": "选举",
        "electionDay": (kit.today("Asia/Shanghai") + dt.timedelta(days=40)).isoformat(),
        "electorateMode": mode, "seats": {"director": 1, "deputyDirector": 1, "member": 3}},
        token=t.staff.token)
    election = made["election"]["id"]
    if mode == "HOUSEHOLD_REPRESENTATIVES":
        units = {home: [t.adults(home)[0]] for home in t.households}
    else:
        units = {str(a.pk): [] for a in t.areas}
        for k, home in enumerate(t.households):
            units[str(t.areas[k % 2].pk)] += t.adults(home)
        units = {unit: people[:3] for unit, people in units.items()}
    for unit, people in units.items():
        done = await gql.mutate(NAME, {"electionId": election, "unit": unit,
                                       "personIds": [pid(p) for p in people]},
                                token=t.staff.token)
        assert done["errors"] == [], done
    with counting_statements() as build:
        published = await gql.mutate(PUBLISH_ROLL, {"electionId": election},
                                     token=t.staff.token)
    assert published["errors"] == []
    reader = next(iter(units.values()))[0]
    await gql.query(AM_I, {"id": election}, token=reader.token)  # the token's checks cached
    with counting_statements() as read:
        page = await gql.query(ROLL, {"id": election, "first": 20}, token=reader.token)
    assert page["voterRoll"]["edges"]
    return build.n, read.n, published["election"]["rollSize"]


@pytest.mark.parametrize("mode", ["HOUSEHOLD_REPRESENTATIVES", "GROUP_REPRESENTATIVES"])
async def test_E1_roll_statements_do_not_grow_with_the_households(gql, mode):
    small = await _statements(gql, 3, mode)
    large = await _statements(gql, 30, mode)
    assert small[0] > 0 and small[1] > 0  # the counter sees the statements at all
    if mode == "HOUSEHOLD_REPRESENTATIVES":
        assert (small[2], large[2]) == (3, 30)
    else:
        assert (small[2], large[2]) == (5, 6)  # 3 + 2 named of 4 + 2 adults; 3 + 3
    assert large[:2] == small[:2], (small, large)
