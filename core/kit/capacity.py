"""A capacity counter that can never pass its limit, whatever the concurrency.

A seat, a shift place, a ballot box: a row with a count and a limit. ``take`` is one
conditional ``UPDATE … SET count = count + n WHERE pk = ? AND count + n <= limit`` built by
Tortoise (so the same code runs on SQLite and PostgreSQL) and sent with ``RETURNING``: one
statement, one round trip, and the row count is the answer. Two requests racing for the last
place both send it; the database applies them one after the other and the second matches no
row. No read-then-write, no ``select_for_update`` (which does nothing on SQLite).

Take the place *first* in a use case: a refused ``take`` has written nothing, so a full slot
is refused before any other row is touched, and a later refusal in the same transaction
rolls the place back with everything else::

    seats = Capacity(Slot, count="booked", limit="capacity")

    async with db.atomic():
        if await seats.take(slot.pk) is None:
            raise Refused("SLOT_FULL", field="slotId")
        appointment = await create_unless_exists(...)

``keep_free`` leaves places for someone else (seats reserved for priority people not yet
used): ``take`` then also needs ``count + n + keep_free <= limit`` (a ``keep_free`` below zero
counts as zero). ``also`` moves other counters of the row in the same statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tortoise.expressions import CombinedExpression, Connector, Expression, F, Q, Value


class Capacity:
    """The counter ``count`` of ``model`` rows, never above ``limit`` (a column name or an int)."""

    def __init__(self, model: Any, *, count: str, limit: str | int) -> None:
        self.model = model
        self.count = count
        self.limit = limit

    def _limit(self) -> Any:
        return F(self.limit) if isinstance(self.limit, str) else self.limit

    async def take(
        self,
        pk: Any,
        n: int = 1,
        *,
        keep_free: Expression | int | None = None,
        also: Mapping[str, int] | None = None,
        returning: Sequence[str] = (),
    ) -> dict[str, Any] | None:
        """Add ``n`` if the limit allows: the row's ``returning`` columns after the change
        (``{}`` when none are asked), or None when the limit (or the row) says no."""
        if n < 1:
            raise ValueError("take at least one place")
        guard = Q(**{f"{self.count}__lte": self._limit() - n})
        if keep_free is not None:
            # Tortoise's CombinedExpression has no operators of its own: combine explicitly.
            base = self._limit() - n
            base = base if isinstance(base, Expression) else Value(base)
            room = CombinedExpression(base, Connector.sub, keep_free)
            guard &= Q(**{f"{self.count}__lte": room})
        return await self._update(pk, n, guard, also, returning)

    async def give_back(
        self,
        pk: Any,
        n: int = 1,
        *,
        also: Mapping[str, int] | None = None,
        returning: Sequence[str] = (),
    ) -> dict[str, Any] | None:
        """Remove ``n`` (never below zero): the ``returning`` columns, or None when not held."""
        if n < 1:
            raise ValueError("give back at least one place")
        guard = Q(**{f"{self.count}__gte": n})
        fewer = {column: -step for column, step in (also or {}).items()}
        return await self._update(pk, -n, guard, fewer, returning)

    async def restore(
        self,
        pk: Any,
        n: int = 1,
        *,
        also: Mapping[str, int] | None = None,
        returning: Sequence[str] = (),
    ) -> dict[str, Any] | None:
        """Add ``n`` back without the limit test: a correction of a place that was already
        this person's (a no-show voided as arrived)."""
        return await self._update(pk, n, Q(), also, returning)

    async def _update(
        self,
        pk: Any,
        n: int,
        guard: Q,
        also: Mapping[str, int] | None,
        returning: Sequence[str],
    ) -> dict[str, Any] | None:
        changes: dict[str, Any] = {self.count: F(self.count) + n}
        for column, step in (also or {}).items():
            if step:
                changes[column] = F(column) + step
        query = self.model.filter(guard, pk=pk).update(**changes)
        # Tortoise builds the statement (quoting, placeholders per dialect); RETURNING, which
        # SQLite (3.35+) and PostgreSQL both know, makes the answer part of the same round trip.
        query._choose_db_if_not_chosen(True)
        query._make_query()
        sql, params = query.query.get_parameterized_sql()
        meta = self.model._meta
        columns = list(returning) or [meta.pk_attr]
        projection = ", ".join(f'"{meta.fields_db_projection[name]}"' for name in columns)
        rows = await query._db.execute_query_dict(f"{sql} RETURNING {projection}", params)
        if not rows:
            return None
        row = rows[0]
        if not returning:
            return {}
        return {name: row[meta.fields_db_projection[name]] for name in columns}
