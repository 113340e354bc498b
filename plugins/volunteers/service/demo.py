"""Demo data for ``linli seed-demo`` (filled in below)."""

from __future__ import annotations

from typing import Any


async def seed_volunteers(console: Any) -> None:
    """volunteer activities of 番禺路社区"""
    console.print("  volunteers: nothing yet")
