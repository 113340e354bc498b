"""The slate's 姓氏笔画 table (E5): every character's place in the stroke order, read once
from ``rules/stroke_order.txt`` (built by ``rules/stroke_order_build.py`` from Unihan's
kTotalStrokes and cn-sort's stroke-sequence ranks; that module says which and why).

The rules stay pure: ``rules.slate.slate_order`` takes the table as an argument; this is the
one place that reads the file.
"""

from __future__ import annotations

import functools
from importlib import resources


def _lines() -> list[tuple[int, str]]:
    text = (resources.files("linli.plugins.elections.rules") / "stroke_order.txt").read_text(
        encoding="utf-8")
    out = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            count, chars = line.split(":", 1)
            out.append((int(count), chars))
    return out


@functools.cache
def places() -> dict[str, int]:
    """Character → its place in the stroke order: fewer strokes first, then by the stroke
    sequence (横竖撇点折). Characters not in it sort after every one that is."""
    table: dict[str, int] = {}
    for _count, chars in _lines():
        for char in chars:
            table[char] = len(table)
    return table


@functools.cache
def counts() -> dict[str, int]:
    """Character → its total strokes (Unihan's kTotalStrokes, the simplified form's)."""
    return {char: count for count, chars in _lines() for char in chars}
