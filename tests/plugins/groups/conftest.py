"""Groups fixtures: ``world`` is a street office with two sibling communities, their staff,
the street office's staff and residents of 番禺路社区.

The clock is linli.testing's DEFAULT_NOW: Monday 2 March 2026, 09:00 in Shanghai.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from groups_helpers import World

from linli.testing import make_account, make_community


@pytest.fixture
async def world(linli_app: Any) -> World:
    street = await make_community("华阳路街道", kind="street_office")
    home = await make_community("番禺路社区", parent=street)
    sibling = await make_community("新华路社区", parent=street)
    return World(
        street=street,
        home=home,
        sibling=sibling,
        staff=await make_account("staff", home),
        street_staff=await make_account("staff", street),
        sibling_staff=await make_account("staff", sibling),
        leader=await make_account("resident", home),
    )
