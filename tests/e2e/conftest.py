"""End-to-end fixtures: a community with real accounts in it, and live servers.

The accounts are written into the test database (``linli.testing.make_account``) before any
server starts; the live-server tests then log in over HTTP like any client
(``LinliClient.login``), and the in-process tests use the tokens the factory returns. The
notices plugin itself is installed (``pip install -e examples/linli-notices``) and found by
its entry point, in-process and in every ``linli serve`` subprocess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from linli.testing import (
    LiveServer,
    MadeAccount,
    global_id,
    make_account,
    make_community,
    start_server,
    stop_server,
)


@dataclass
class Neighbourhood:
    """A community (社区) with a staff member and a resident, and a resident of another."""

    community: Any
    staff: MadeAccount
    resident: MadeAccount
    outsider: MadeAccount

    @property
    def id(self) -> str:
        """The community's Relay global id, as the API takes it."""
        return global_id("Community", self.community.pk)


@pytest.fixture
async def hood(linli_app: Any) -> Neighbourhood:
    community = await make_community("幸福里社区")
    return Neighbourhood(
        community=community,
        staff=await make_account("staff", community),
        resident=await make_account("resident", community),
        outsider=await make_account("resident"),  # in a community of its own
    )


@pytest.fixture
def serve(linli_settings: Any, tmp_path: Path) -> Iterator[Callable[[], LiveServer]]:
    """``serve()`` starts one more ``linli serve`` on the test database (all stop at the end)."""
    servers: list[LiveServer] = []

    def start() -> LiveServer:
        log = tmp_path / f"server-{len(servers)}.log"
        servers.append(start_server(linli_settings.database_url, log))
        return servers[-1]

    yield start
    for server in servers:
        stop_server(server)
