"""``linli.testing``: the pytest plugin for Linli and for authors of Linli plugins.

Installed with linli (entry point ``pytest11``), it gives every test:

- ``linli_app``: a started app with core, the installed plugins and ``linli_extra_plugins``,
  on a fresh, migrated database (SQLite by default; PostgreSQL when
  ``LINLI_TEST_DATABASE_URL`` is set, with Redis as the bus when ``LINLI_TEST_REDIS_URL`` is);
- ``gql``: a GraphQL client over ASGI, for HTTP and graphql-transport-ws websockets;
- ``clock``: the app's clock, frozen, movable with ``clock.advance(hours=1)``;
- ``live_server``: a real ``linli serve`` on a free loopback port, for end-to-end tests.

Override ``linli_extra_plugins`` (name -> module) to add a plugin that is not installed, and
``linli_settings_overrides`` to change settings.

This module holds the fixtures and hooks only; the helpers live one concern per module and are
re-exported here, so ``from linli.testing import make_account`` is the way to import them:

- ``environment``: ``postgres_url``, ``redis_url``, ``redis_prefix`` (this session's own
  Redis prefix, so runs sharing a Redis stay apart), ``requires_postgres_and_redis``,
  ``TEST_SECRET``, ``DEFAULT_NOW``;
- ``databases``: ``DatabaseFactory`` (migrated templates, a copy per test);
- ``client``: ``GraphQLClient``, ``WebSocketSession``, ``Result``;
- ``server``: ``LiveServer``, ``start_server``, ``stop_server``, ``free_port``;
- ``factories``: ``make_community``, ``make_person``, ``make_account``, ``make_proxy``,
  ``login_codes``, ``global_id``, ``next_phone``, ``TEST_PASSWORD``
  (``await made.fresh_token()`` after moving the clock past a token's lifetime);
- ``timed``: ``run_periodic_task(name)``, a plugin's periodic task run now, on the test clock;
- ``authors``: ``run_plugin_tests(folder)``, a plugin's tests run as its author runs them.

It configures pytest-asyncio itself (auto mode), so an author's tests need no conftest and
no ini settings; the websocket client's ``subscribe`` returns once the subscription is in
place (its resolver has subscribed to the bus), so subscription tests need no retry loop.
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from linli.testing.authors import code_lines, plugin_code_lines, run_plugin_tests
from linli.testing.client import GraphQLClient, Result, WebSocketSession, run
from linli.testing.databases import DatabaseFactory
from linli.testing.environment import (
    DEFAULT_NOW,
    TEST_DATABASE_ENV,
    TEST_REDIS_ENV,
    TEST_SECRET,
    postgres_url,
    redis_prefix,
    redis_url,
    requires_postgres_and_redis,
)
from linli.testing.factories import (
    TEST_PASSWORD,
    MadeAccount,
    global_id,
    login_codes,
    make_account,
    make_community,
    make_person,
    make_proxy,
    next_phone,
)
from linli.testing.server import LiveServer, free_port, start_server, stop_server
from linli.testing.timed import run_periodic_task

__all__ = [
    "DEFAULT_NOW",
    "TEST_DATABASE_ENV",
    "TEST_PASSWORD",
    "TEST_REDIS_ENV",
    "TEST_SECRET",
    "DatabaseFactory",
    "GraphQLClient",
    "LiveServer",
    "MadeAccount",
    "Result",
    "WebSocketSession",
    "code_lines",
    "free_port",
    "global_id",
    "login_codes",
    "make_account",
    "make_community",
    "make_person",
    "make_proxy",
    "next_phone",
    "plugin_code_lines",
    "postgres_url",
    "redis_prefix",
    "redis_url",
    "requires_postgres_and_redis",
    "run",
    "run_periodic_task",
    "run_plugin_tests",
    "start_server",
    "stop_server",
]


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Configure what the fixtures need, so a plugin author writes no conftest and no ini
    settings: pytest-asyncio in auto mode (``async def`` tests and fixtures just run), each
    test on its own event loop. ``--asyncio-mode`` on the command line still decides."""
    if not config.pluginmanager.hasplugin("asyncio"):
        raise pytest.UsageError("linli.testing needs pytest-asyncio: pip install 'linli[test]'")
    if config.getoption("asyncio_mode", None) is None:
        config.option.asyncio_mode = "auto"
    # Linli's fixtures are function-scoped: pytest-asyncio's warning about an unset default
    # loop scope (raised by its own pytest_configure, after this one) says nothing to an author.
    warnings.filterwarnings(
        "ignore", message='The configuration option "asyncio_default_fixture_loop_scope"'
    )


def pytest_report_header(config: pytest.Config) -> str:
    db = "PostgreSQL" if postgres_url() else "SQLite"
    bus = "Redis" if redis_url() else "in-process"
    return f"linli: database {db}, event bus {bus}"


# ---------------------------------------------------------------- database


@pytest.fixture(scope="session")
def linli_database_factory(tmp_path_factory: pytest.TempPathFactory) -> DatabaseFactory:
    return DatabaseFactory(tmp_path_factory.mktemp("linli-db"))


# ---------------------------------------------------------------- app, clock, client


@pytest.fixture
def linli_extra_plugins() -> dict[str, object]:
    """Plugins to add that are not installed by entry point (override in your conftest)."""
    return {}


@pytest.fixture
def clock() -> Any:
    from linli.core.clock import FrozenClock

    return FrozenClock(DEFAULT_NOW)


@pytest.fixture
def linli_settings_overrides() -> dict[str, Any]:
    """Settings to change for a test module (override in a conftest or module)."""
    return {}


@pytest_asyncio.fixture
async def linli_settings(
    linli_database_factory: DatabaseFactory,
    linli_extra_plugins: dict[str, object],
    linli_settings_overrides: dict[str, Any],
) -> AsyncIterator[Any]:
    from linli.core.plugins import load_plugins
    from linli.core.settings import Settings

    base = Settings(
        **{
            "secret_key": TEST_SECRET,
            "redis_url": redis_url(),
            "redis_prefix": redis_prefix(),
            "periodic_tasks": False,
            "freeze_startup_objects": False,
            "code_sender": "memory",  # codes land in login_codes(), never in a log
            **linli_settings_overrides,
        }
    )
    url = await linli_database_factory.fresh(load_plugins(base, linli_extra_plugins))
    yield base.model_copy(update={"database_url": url})
    await linli_database_factory.drop(url)


@pytest_asyncio.fixture
async def linli_app(
    linli_settings: Any, linli_extra_plugins: dict[str, object], clock: Any
) -> AsyncIterator[Any]:
    from linli.core.app import create_app

    app = create_app(linli_settings, extra_plugins=linli_extra_plugins, clock=clock)
    async with app.router.lifespan_context(app):
        yield app


@pytest_asyncio.fixture
async def gql(linli_app: Any) -> AsyncIterator[GraphQLClient]:
    client = GraphQLClient(linli_app)
    yield client
    await client.aclose()


# ---------------------------------------------------------------- live server


@pytest.fixture
def live_server(linli_settings: Any, tmp_path: Path) -> Iterator[LiveServer]:
    """A real server on its own fresh database."""
    server = start_server(linli_settings.database_url, tmp_path / "server.log")
    yield server
    stop_server(server)
