"""Primary keys as clients send them: ASCII digits naming a 64-bit signed integer, or nothing.

``int()`` reads far more than a key: ``"²"`` and other Unicode digits fail late, ``" 5"``,
``"+5"`` and ``"5_0"`` pass, and ``"9" * 30`` passes too, then overflows the database's
INTEGER ("Python int too large to convert to SQLite INTEGER"), an unexpected error in the
middle of a resolver. Every id a client sends (``pk()``, ``node(id:)``, a route's path) is
read here, so no query ever sees a key the database cannot hold.

Routes take ``{id:pk}`` in their path: one to eighteen ASCII digits (any larger number is
no key of ours), so anything else is the router's 404 and the handler gets an ``int``.
"""

from __future__ import annotations

from typing import Any

from starlette.convertors import Convertor, register_url_convertor

# Tortoise's IntField/BigIntField keys are signed 64-bit on every database Linli runs on.
MAX_PK = 2**63 - 1


def parse_pk(raw: Any) -> int | None:
    """The key ``raw`` (a str or an int) names, or None when it names no key we could hold."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 < raw <= MAX_PK else None
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    key = int(raw)
    return key if 0 < key <= MAX_PK else None


class PkConvertor(Convertor[int]):
    """``{id:pk}``: a primary key in a path (18 digits at most: every one fits in 63 bits)."""

    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


register_url_convertor("pk", PkConvertor())
