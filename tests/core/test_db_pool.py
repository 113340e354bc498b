"""The PostgreSQL pool without asyncpg's reset on release: nothing leaks between requests.

Pool of one connection, so the next acquirer gets the very connection the last one used.
"""

from __future__ import annotations

import pytest
from tortoise.exceptions import OperationalError

from linli.core import db
from linli.testing.environment import postgres_url

pytestmark = pytest.mark.skipif(not postgres_url(), reason="needs LINLI_TEST_DATABASE_URL")


def one_connection(settings, **changes):
    return settings.model_copy(update={"database_pool_size": 1, **changes})


async def backend_pid() -> int:
    rows = await db.connection().execute_query_dict("SELECT pg_backend_pid() AS pid")
    return rows[0]["pid"]


async def test_pool_reset_is_off_by_default_and_a_release_costs_no_round_trip(linli_settings):
    config = db.connection_config(linli_settings.database_url, one_connection(linli_settings))
    assert config["credentials"]["reset"] is db.keep_session
    assert config["credentials"]["maxsize"] == 1
    on = db.connection_config(
        linli_settings.database_url, one_connection(linli_settings, database_pool_reset=True)
    )
    assert "reset" not in on["credentials"]


async def test_url_pool_size_wins_over_the_setting(linli_settings):
    config = db.connection_config(linli_settings.database_url + "?maxsize=3", linli_settings)
    assert int(config["credentials"]["maxsize"]) == 3


async def test_a_rolled_back_transaction_leaves_nothing_for_the_next_acquirer(linli_settings):
    from linli.core.plugins import load_plugins

    settings = one_connection(linli_settings)
    await db.open_database(settings.database_url, load_plugins(settings), settings)
    try:
        first = await backend_pid()
        with pytest.raises(OperationalError):
            async with db.atomic() as conn:
                await conn.execute_query("SET LOCAL statement_timeout = 1234")
                await conn.execute_query("SELECT no_such_column FROM core_community")
        # Same connection (pool of one), no transaction left open, the local setting gone.
        assert await backend_pid() == first
        rows = await db.connection().execute_query_dict(
            "SELECT current_setting('statement_timeout') AS t, "
            "txid_current_if_assigned() IS NULL AS idle"
        )
        assert rows == [{"t": "0", "idle": True}]
        async with db.atomic() as conn:  # a committed SET LOCAL ends with its transaction
            await conn.execute_query("SET LOCAL statement_timeout = 4321")
        rows = await db.connection().execute_query_dict(
            "SELECT current_setting('statement_timeout') AS t"
        )
        assert rows == [{"t": "0"}]
    finally:
        await db.close_database()


async def test_without_the_reset_no_reset_query_runs_on_release(linli_settings):
    """Why session state is off limits on pooled connections: nothing undoes it (this is
    what saves the round trip). Undone here by hand."""
    from linli.core.plugins import load_plugins

    settings = one_connection(linli_settings)
    await db.open_database(settings.database_url, load_plugins(settings), settings)
    try:
        await db.connection().execute_query("SET statement_timeout = 5678")
        rows = await db.connection().execute_query_dict(
            "SELECT current_setting('statement_timeout') AS t"
        )
        assert rows == [{"t": "5678ms"}]
        await db.connection().execute_query("RESET statement_timeout")
    finally:
        await db.close_database()


async def test_with_the_reset_on_a_session_setting_does_not_survive_a_release(linli_settings):
    from linli.core.plugins import load_plugins

    settings = one_connection(linli_settings, database_pool_reset=True)
    await db.open_database(settings.database_url, load_plugins(settings), settings)
    try:
        first = await backend_pid()
        await db.connection().execute_query("SET statement_timeout = 5678")
        assert await backend_pid() == first
        rows = await db.connection().execute_query_dict(
            "SELECT current_setting('statement_timeout') AS t"
        )
        assert rows == [{"t": "0"}]
    finally:
        await db.close_database()
