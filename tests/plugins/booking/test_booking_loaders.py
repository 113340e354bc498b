"""Nested fields are batched (api/types.py ``Loaders``): a list of N appointments with their
slot, service type, site, person, history and cancellation cutoff costs the same number of
queries for any N."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging

from booking_helpers import book, gid, sh

DAY = """
query($site: ID!, $date: Date!) { appointmentsForDay(siteId: $site, date: $date, first: 50) {
  edges { node {
    id status personName person { realName } cancelFreeUntil
    slot { start held remaining serviceType { name site { name } } }
    history { fromStatus toStatus by at }
  } } } }"""

MINE = """{ myAppointments(first: 50) { edges { node {
  id personName cancelFreeUntil slot { start serviceType { name } } history { toStatus } } } } }"""


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.selects = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.args and str(record.args[0]).lstrip().upper().startswith("SELECT"):
            self.selects += 1


@contextlib.contextmanager
def counting_selects():
    """SELECTs the database clients run (Tortoise logs each at DEBUG on tortoise.db_client)."""
    logger = logging.getLogger("tortoise.db_client")
    counter, level = _Count(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)


async def _day_of(gql, world, day: int, n: int) -> int:
    """Book n people on one local day (two slots), then count the staff list's SELECTs."""
    slots = [await world.slot(sh(2026, 3, day, hour), capacity=n) for hour in (9, 14)]
    for i in range(n):
        resident = await world.resident()
        assert (await book(gql, resident.token, slots[i % 2]))["errors"] == []
    variables = {"site": gid("BookingSite", world.site.pk), "date": f"2026-03-{day:02d}"}
    await gql.query(DAY, variables, token=world.staff.token)  # the token's checks get cached
    with counting_selects() as counter:
        data = await gql.query(DAY, variables, token=world.staff.token)
    nodes = [edge["node"] for edge in data["appointmentsForDay"]["edges"]]
    assert len(nodes) == n
    assert all(node["person"]["realName"] == node["personName"] for node in nodes)
    assert all(node["slot"]["serviceType"]["site"]["name"] for node in nodes)
    assert all(node["history"][0]["toStatus"] == "BOOKED" for node in nodes)
    return counter.selects


async def test_nested_appointment_fields_do_not_query_per_row(gql, world):
    few = await _day_of(gql, world, 4, 2)
    many = await _day_of(gql, world, 5, 12)
    assert few > 0  # the counter sees the queries at all
    assert many == few


async def test_my_appointments_do_not_query_per_row(gql, world):
    from booking_helpers import make_person, make_proxy

    child = await world.resident()
    counts, total = [], 0
    for n in (1, 6):
        total += n
        for i in range(n):
            parent = await make_person(world.community, birth_date=dt.date(1950, 1, 1))
            await make_proxy(child, parent, relation="parent")
            slot = await world.slot(sh(2026, 3, 4 + n, 9 + i), capacity=1)
            assert (await book(gql, child.token, slot, parent))["errors"] == []
        await gql.query(MINE, token=child.token)
        with counting_selects() as counter:
            data = await gql.query(MINE, token=child.token)
        assert len(data["myAppointments"]["edges"]) == total
        counts.append(counter.selects)
    assert counts[0] == counts[1]
