"""End-to-end fixtures: a community to post notices in, bearer tokens, and live servers.

Who is calling comes, for now, from the test-only plugin in ``linli_test_actors.py``: it is
the one piece to swap for real logins (identity's ``login`` mutation) later. In-process apps
get it through ``linli_extra_plugins``; a ``linli serve`` subprocess only sees entry-point
plugins, so ``serve`` puts a throwaway ``.dist-info`` declaring its entry point on that
subprocess's PYTHONPATH (the path a plugin installed from PyPI takes). The notices plugin
itself is installed (``pip install -e examples/linli-notices``) and found by its entry point.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from linli.testing import LiveServer, start_server, stop_server

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import linli_test_actors as actors  # noqa: E402

token = actors.token


@pytest.fixture
def linli_extra_plugins() -> dict[str, object]:
    return {actors.NAME: actors}


@pytest.fixture(scope="session")
def actors_pythonpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A PYTHONPATH on which ``linli_test_actors`` is an installed ``linli.plugins`` entry point."""
    root = tmp_path_factory.mktemp("test-actors-dist")
    info = root / "linli_test_actors-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: linli-test-actors\nVersion: 0\n")
    (info / "entry_points.txt").write_text(f"[linli.plugins]\n{actors.NAME} = linli_test_actors\n")
    return os.pathsep.join(filter(None, [str(root), str(HERE), os.environ.get("PYTHONPATH")]))


@pytest.fixture
async def community(linli_app: Any, clock: Any) -> int:
    """A community (社区) in the test database, created before any live server starts."""
    from linli.core.identity.models import Community, CommunityKind

    row = await Community.create(
        kind=CommunityKind.COMMUNITY,
        name="幸福里社区",
        code=f"T{uuid.uuid4().hex[:8]}",
        created_at=clock.now(),
    )
    return row.id


@pytest.fixture
def serve(
    linli_settings: Any, tmp_path: Path, actors_pythonpath: str
) -> Iterator[Callable[[], LiveServer]]:
    """``serve()`` starts one more ``linli serve`` on the test database (all stop at the end)."""
    servers: list[LiveServer] = []

    def start() -> LiveServer:
        log = tmp_path / f"server-{len(servers)}.log"
        env = {"PYTHONPATH": actors_pythonpath}
        servers.append(start_server(linli_settings.database_url, log, env=env))
        return servers[-1]

    yield start
    for server in servers:
        stop_server(server)
