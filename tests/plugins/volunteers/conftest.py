"""Volunteer fixtures: ``world`` is 番禺路社区 with staff, the clock linli.testing's
DEFAULT_NOW (Monday 2 March 2026, 09:00 in Shanghai)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from volunteer_helpers import World

from linli.testing import make_account, make_community


@pytest.fixture
def live_server(linli_settings: Any, tmp_path: Path) -> Iterator[Any]:
    """linli.testing's live server, given longer to start: these run on a shared machine
    where starting Python under load takes far longer than the harness's 30 s."""
    from linli.testing.server import start_server, stop_server

    server = start_server(linli_settings.database_url, tmp_path / "server.log", timeout=240)
    yield server
    stop_server(server)


@pytest.fixture
async def world(linli_app: Any) -> World:
    community = await make_community("番禺路社区")
    staff = await make_account("staff", community)
    return World(community, staff)
