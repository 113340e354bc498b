"""Hot reads: a SELECT whose SQL is built once, then run with new values as one statement.

Tortoise builds a query's SQL anew on every call (the queryset, pypika's tree, its
parameters): on a 16-row read that is a large share of the request's CPU, and it is the same
string each time. ``hot_read`` builds it once per database dialect, from a queryset of the
same shape whose filter values are sentinels, records where each value sits among the
parameters, and from then on sends the stored SQL with the new values (encoded as Tortoise
encodes them) and builds the rows as Tortoise does (``_init_from_db``): the same models, the
same SQL, none of the rebuilding. Declare it at import, call it in the resolver::

    day_of_slots = hot_read(models.Slot, where=("service_type_id", "local_date"),
                            order_by=("start",))
    rows = await day_of_slots(service_type_id=key, local_date=date)   # list[models.Slot]

Filters are equality on plain fields (ints, foreign-key ids, text, dates, datetimes,
decimals); anything the compiler cannot place exactly (another field type, a value Tortoise
encodes ambiguously) runs through the ordinary queryset instead, so a hot read is never
wrong, at worst ordinary. Inside ``atomic()`` it runs on the transaction's connection, as
any query does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import decimal
import os
from collections import OrderedDict
from typing import Any, Generic, TypeVar

from tortoise import fields

M = TypeVar("M")

# LINLI_HOT_READS=0 runs every hot read as its queryset: the bench's before/after, same run.
ENABLED = os.environ.get("LINLI_HOT_READS", "1") != "0"

# One sentinel per filter position, of the field's type, that no real row holds.
_SENTINELS: tuple[tuple[type, Any], ...] = (
    (fields.DatetimeField, lambda i: dt.datetime(1001 + i, 2, 3, 4, 5, 6, tzinfo=dt.UTC)),
    (fields.DateField, lambda i: dt.date(1001 + i, 2, 3)),
    (fields.DecimalField, lambda i: decimal.Decimal(f"-987654321.{i + 1}")),
    (fields.CharField, lambda i: f"\x00hot-read-{i}"),
    (fields.TextField, lambda i: f"\x00hot-read-{i}"),
    (fields.BigIntField, lambda i: -987_654_321_000 - i),
    (fields.IntField, lambda i: -987_654_321 - i),
    (fields.SmallIntField, lambda i: -32_000 - i),
)


def _sentinel(field: Any, index: int) -> Any:
    if isinstance(field, fields.BooleanField):
        return None  # two values only: never unambiguous
    for kind, make in _SENTINELS:
        if isinstance(field, kind):
            return make(index)
    return None


class _Plan:
    __slots__ = ("params", "positions", "sql")

    def __init__(self, sql: str, params: list[Any], positions: list[tuple[int, str, Any]]):
        self.sql, self.params, self.positions = sql, params, positions


class HotRead(Generic[M]):
    def __init__(
        self,
        model: type[M],
        *,
        where: tuple[str, ...],
        order_by: tuple[str, ...] = (),
        limit: int | None = None,
    ) -> None:
        self.model, self.where, self.order_by, self.limit = model, where, order_by, limit
        self._plans: dict[str, _Plan | None] = {}

    def queryset(self, **values: Any) -> Any:
        """The ordinary queryset this read stands for (the compiler's model, and the fallback)."""
        query = self.model.filter(**values)  # type: ignore[attr-defined]
        if self.order_by:
            query = query.order_by(*self.order_by)
        if self.limit is not None:
            query = query.limit(self.limit)
        return query

    def _compile(self, db: Any) -> _Plan | None:
        meta = self.model._meta  # type: ignore[attr-defined]
        sentinels = {}
        for index, name in enumerate(self.where):
            field = meta.fields_map.get(name)
            value = None if field is None else _sentinel(field, index)
            if value is None:
                return None
            sentinels[name] = (field, value)
        query = self.queryset(**{name: value for name, (_, value) in sentinels.items()})
        query._db = db
        query._make_query()
        sql, params = query.query.get_parameterized_sql()
        params = list(params)
        positions = []
        for name, (field, value) in sentinels.items():
            encoded = field.to_db_value(value, self.model)
            found = [i for i, p in enumerate(params) if type(p) is type(encoded) and p == encoded]
            if len(found) != 1:
                return None
            positions.append((found[0], name, field))
        return _Plan(sql, params, positions)

    async def __call__(self, **values: Any) -> list[M]:
        if set(values) != set(self.where):
            raise TypeError(f"hot read of {self.model.__name__} takes {self.where}")
        db = self.model._meta.db  # type: ignore[attr-defined]  # the transaction's, if any
        dialect = db.capabilities.dialect
        if dialect not in self._plans:
            self._plans[dialect] = self._compile(db)
        plan = self._plans[dialect]
        if not ENABLED or plan is None or any(value is None for value in values.values()):
            return await self.queryset(**values)
        params = list(plan.params)
        for position, name, field in plan.positions:
            params[position] = field.to_db_value(values[name], self.model)
        _, rows = await db.execute_query(plan.sql, params)
        build = self.model._init_from_db  # type: ignore[attr-defined]
        return [build(**row) for row in rows]


def hot_read(
    model: type[M],
    *,
    where: tuple[str, ...],
    order_by: tuple[str, ...] = (),
    limit: int | None = None,
) -> HotRead[M]:
    """A read of ``model`` by equality on ``where``, compiled once per dialect (see module)."""
    return HotRead(model, where=where, order_by=order_by, limit=limit)


# ---------------------------------------------------------------- one read per event

_EVENT_ROWS: OrderedDict[tuple[str, type, Any], asyncio.Future[Any]] = OrderedDict()
EVENT_ROWS_KEPT = 256


async def row_of_event(event: Any, model: Any, pk: Any) -> Any:
    """The row an event names, read once on this instance for all its subscribers.

    Ten thousand subscribers of one topic each re-read the row an event names: ten thousand
    identical SELECTs, after the same commit. Keyed by the event's id (every event has its
    own), the first subscriber's read is shared by the others, which await the same result
    (a read already under way included); the row is the same for all of them, so treat it as
    read-only. A later event reads again. The last ``EVENT_ROWS_KEPT`` reads are kept.
    """
    key = (event.id, model, pk)
    future = _EVENT_ROWS.get(key)
    if future is None or future.cancelled() or (future.done() and future.exception()):
        future = asyncio.ensure_future(model.get_or_none(pk=pk))
        _EVENT_ROWS[key] = future
        while len(_EVENT_ROWS) > EVENT_ROWS_KEPT:
            _EVENT_ROWS.popitem(last=False)
    return await asyncio.shield(future)  # a subscriber that leaves does not cancel the read
