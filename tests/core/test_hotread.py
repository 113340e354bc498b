"""Hot reads answer exactly what the queryset they stand for answers, on SQLite and PostgreSQL,
inside a transaction too; what they cannot compile runs as the ordinary queryset."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core import db
from linli.core.hotread import hot_read
from linli.testing import make_community

UTC = dt.UTC


@pytest.fixture
async def day(linli_app):
    from linli.core import runtime
    from linli.plugins.booking.models import ServiceType, Site, Slot

    now = runtime.current().clock.now()
    community = await make_community("热读社区")
    site = await Site.create(community=community, name="中心", created_at=now)
    services = [
        await ServiceType.create(
            site=site, community_id=community.pk, name=name, category="public_health",
            created_at=now,
        )
        for name in ("接种", "体检")
    ]  # fmt: skip
    dates = [dt.date(2026, 3, 4), dt.date(2026, 3, 5)]
    for service in services:
        for date in dates:
            for hour in (11, 9, 10):  # inserted out of order: order_by must hold
                start = dt.datetime(date.year, date.month, date.day, hour, tzinfo=UTC)
                await Slot.create(
                    service_type_id=service.pk, community_id=community.pk, local_date=date,
                    start=start, end=start + dt.timedelta(minutes=30), capacity=hour,
                )  # fmt: skip
    return services, dates


def same(rows, expected) -> None:
    assert [r.pk for r in rows] == [e.pk for e in expected]
    for row, want in zip(rows, expected, strict=True):
        assert type(row) is type(want)
        columns = want._meta.fields_db_projection  # every stored field, by model name
        assert {k: getattr(row, k) for k in columns} == {k: getattr(want, k) for k in columns}


async def test_a_hot_read_answers_what_its_queryset_answers(day) -> None:
    from linli.plugins.booking.models import Slot

    services, dates = day
    read = hot_read(Slot, where=("service_type_id", "local_date"), order_by=("start",))
    for service in services:
        for date in dates:
            expected = await read.queryset(service_type_id=service.pk, local_date=date)
            rows = await read(service_type_id=service.pk, local_date=date)
            assert len(rows) == 3
            same(rows, expected)
            assert [r.start.hour for r in rows] == [9, 10, 11]
            assert rows[0].start.tzinfo is not None
    # It ran the compiled statement, not the fallback.
    assert read._plans[db.connection().capabilities.dialect] is not None
    assert await read(service_type_id=services[0].pk, local_date=dt.date(2030, 1, 1)) == []


async def test_a_hot_read_sees_its_transaction(day) -> None:
    from linli.plugins.booking.models import Slot

    services, dates = day
    read = hot_read(Slot, where=("service_type_id", "local_date"), order_by=("-start",), limit=2)
    new_date = dt.date(2026, 3, 9)
    async with db.atomic():
        start = dt.datetime(2026, 3, 9, 8, tzinfo=UTC)
        made = await Slot.create(
            service_type_id=services[1].pk, community_id=services[1].community_id,
            local_date=new_date, start=start, end=start, capacity=1,
        )  # fmt: skip
        rows = await read(service_type_id=services[1].pk, local_date=new_date)
        assert [r.pk for r in rows] == [made.pk]
    rows = await read(service_type_id=services[1].pk, local_date=dates[0])
    same(rows, await read.queryset(service_type_id=services[1].pk, local_date=dates[0]))
    assert len(rows) == 2 and rows[0].start > rows[1].start


async def test_what_cannot_be_compiled_runs_as_the_queryset(day) -> None:
    from linli.plugins.booking.models import ServiceType

    read = hot_read(ServiceType, where=("active",))  # a boolean: never placed unambiguously
    rows = await read(active=True)
    assert read._plans[db.connection().capabilities.dialect] is None
    same(rows, await read.queryset(active=True))
    with pytest.raises(TypeError):
        await read(active=True, name="x")


async def test_an_event_s_row_is_read_once_for_all_subscribers(day) -> None:
    import asyncio

    from linli.core.events import Event
    from linli.core.hotread import row_of_event
    from linli.plugins.booking.models import Slot

    slot = await Slot.first()
    event = Event(topic="booking.slots:1:2026-03-04", payload={"slot_id": slot.pk})
    rows = await asyncio.gather(*(row_of_event(event, Slot, slot.pk) for _ in range(50)))
    assert all(row is rows[0] for row in rows) and rows[0].capacity == slot.capacity
    # The next event reads again, and sees what changed since.
    await Slot.filter(pk=slot.pk).update(capacity=slot.capacity + 7)
    later = Event(topic=event.topic, payload=event.payload)
    again = await row_of_event(later, Slot, slot.pk)
    assert again is not rows[0] and again.capacity == slot.capacity + 7
    assert await row_of_event(later, Slot, 10**12) is None
