"""Date and DateTime inputs within the years the API means, refused without quoting the value.

strawberry's Date and DateTime read any ISO date, so ``0001-01-01`` reached a resolver and
overflowed its date arithmetic (``generateSlots(first: "0001-01-01")``), and a malformed one
was quoted back in the error. Here both are checked where they are decoded, for every field
of every plugin: years ``MIN_YEAR`` to ``MAX_YEAR`` (birth dates to booking calendars), a
message naming the range, never the value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.schema.types.base_scalars import DateDefinition, DateTimeDefinition

MIN_YEAR, MAX_YEAR = 1900, 2199


def _within(kind: str, parse: Callable[[str], Any]) -> Callable[[object], Any]:
    expected = f"Value cannot represent a {kind}: expected ISO format, years {MIN_YEAR}-{MAX_YEAR}."

    def parse_value(value: object) -> Any:
        if not isinstance(value, str) or len(value) > 64:
            raise StrawberryInputCoercionError(expected)
        try:
            parsed = parse(value)
        except (ValueError, OverflowError, StrawberryInputCoercionError):
            raise StrawberryInputCoercionError(expected) from None
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            raise StrawberryInputCoercionError(expected)
        return parsed

    return parse_value


def _datetime(value: str) -> dt.datetime:
    return DateTimeDefinition.parse_value(value)  # type: ignore[misc,no-any-return]


SCALARS = {
    dt.date: dataclasses.replace(
        DateDefinition, parse_value=_within("Date", dt.date.fromisoformat)
    ),
    dt.datetime: dataclasses.replace(
        DateTimeDefinition, parse_value=_within("DateTime", _datetime)
    ),
}
