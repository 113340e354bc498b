"""Create unless it exists: the insert in a savepoint, the unique violation a coded refusal.

One-per-person rules (one active appointment per person and day, one ballot per voter, one
member once in a roster) are unique constraints, not reads before writes: two concurrent
inserts meet in the index and one fails. The insert runs in a savepoint so the failure
spoils nothing else in the caller's transaction::

    appointment = await create_unless_exists(
        Appointment, refuse=Refused("ALREADY_BOOKED_TODAY", field="slotId"), **values
    )

``get_or_create_row`` is the other answer to the same race: the row someone else created
first is returned instead of a refusal (a per-person standing row made on first need).
"""

from __future__ import annotations

from typing import Any, TypeVar

from tortoise.exceptions import IntegrityError

from linli.core import db
from linli.core.errors import Refused

M = TypeVar("M")


async def create_unless_exists(model: type[M], *, refuse: Refused, **values: Any) -> M:
    """``model.create(**values)``, or raise ``refuse`` when a unique key is already taken."""
    try:
        async with db.atomic():
            return await model.create(**values)  # type: ignore[attr-defined,no-any-return]
    except IntegrityError as exc:
        raise refuse from exc


async def update_unless_taken(query: Any, *, refuse: Refused, **changes: Any) -> int:
    """``query.update(**changes)`` in a savepoint (rows updated), or raise ``refuse`` when the
    new values collide with a unique key another row holds."""
    try:
        async with db.atomic():
            return int(await query.update(**changes))
    except IntegrityError as exc:
        raise refuse from exc


async def get_or_create_row(
    model: type[M], *, defaults: dict[str, Any] | None = None, **keys: Any
) -> M:
    """The row with unique ``keys``, created (with ``defaults``) when missing; safe against a
    concurrent creation, which wins and is returned."""
    row = await model.get_or_none(**keys)  # type: ignore[attr-defined]
    if row is not None:
        return row  # type: ignore[no-any-return]
    try:
        async with db.atomic():
            return await model.create(**keys, **(defaults or {}))  # type: ignore[attr-defined,no-any-return]
    except IntegrityError:
        return await model.get(**keys)  # type: ignore[attr-defined,no-any-return]
