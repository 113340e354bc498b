"""Volunteer fixtures: ``world`` is 番禺路社区 with staff, the clock linli.testing's
DEFAULT_NOW (Monday 2 March 2026, 09:00 in Shanghai)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from volunteer_helpers import World

from linli.testing import make_account, make_community


@pytest.fixture
async def world(linli_app: Any) -> World:
    community = await make_community("番禺路社区")
    staff = await make_account("staff", community)
    return World(community, staff)
