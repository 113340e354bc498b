"""Settings from the environment, the development secret, production mode through the app,
and the serving basics: health checks, GET and POST /graphql, CORS."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from linli.core.app import create_app
from linli.core.settings import Settings
from linli.testing import TEST_SECRET, postgres_url

sys.path.insert(0, str(Path(__file__).parent))  # tests/core: the plugins_for_tests package
from plugins_for_tests import probe


@pytest.fixture
def linli_extra_plugins():
    probe.reset()
    return {"probe": probe}


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No LINLI_ variables and no .env: only what the test sets."""
    for key in list(os.environ):
        if key.startswith("LINLI_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


# ---------------------------------------------------------------- settings


def test_environment_with_the_linli_prefix(clean_env):
    clean_env.setenv("LINLI_TIME_ZONE", "Asia/Urumqi")
    clean_env.setenv("LINLI_PORT", "8123")
    clean_env.setenv("LINLI_LIMIT_MAX_DEPTH", "5")
    clean_env.setenv("TIME_ZONE", "Europe/Paris")  # no prefix: ignored
    settings = Settings()
    assert (settings.time_zone, settings.port) == ("Asia/Urumqi", 8123)
    assert settings.limits.max_depth == 5
    assert Settings().locale == "zh-CN"


def test_lists_are_comma_separated(clean_env):
    clean_env.setenv("LINLI_CORS_ORIGINS", "https://app.example, https://staff.example,")
    clean_env.setenv("LINLI_DISABLED_PLUGINS", "booking,elections")
    settings = Settings()
    assert settings.cors_origins == ["https://app.example", "https://staff.example"]
    assert settings.disabled_plugins == ["booking", "elections"]
    assert settings.enabled_plugins is None  # unset: every installed plugin


def test_a_dotenv_file_is_read(clean_env, tmp_path):
    (tmp_path / ".env").write_text("LINLI_LOCALE=en\n")
    assert Settings().locale == "en"


def test_production_requires_a_secret_key(clean_env):
    clean_env.setenv("LINLI_PRODUCTION", "1")
    with pytest.raises(ValidationError, match="LINLI_SECRET_KEY is required"):
        Settings()
    clean_env.setenv("LINLI_SECRET_KEY", "s" * 40)
    assert Settings().production is True


def test_development_secret_is_generated_into_var_once(clean_env, tmp_path):
    assert not (tmp_path / "var").exists()
    key = Settings().resolved_secret_key()
    stored = tmp_path / "var" / "secret_key"
    assert stored.read_text() == key and len(key) >= 32
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert Settings().resolved_secret_key() == key  # the next run reads the same one
    clean_env.setenv("LINLI_SECRET_KEY", "configured")
    assert Settings().resolved_secret_key() == "configured"


# ---------------------------------------------------------------- production mode, through the app

INTROSPECTION = "{ __schema { queryType { name } } }"
production = pytest.mark.parametrize("linli_settings_overrides", [{"production": True}])


async def test_development_has_graphiql_introspection_details_and_suggestions(gql):
    page = await gql.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert (await gql.query(INTROSPECTION))["__schema"]["queryType"]["name"] == "Query"
    boom = await gql.execute("{ probeBoom }", locale="en")
    assert "internal detail" in boom.errors[0]["message"]
    typo = await gql.execute("{ serverInf { version } }")
    assert "Did you mean 'serverInfo'?" in typo.errors[0]["message"]


@production
async def test_production_turns_off_graphiql_introspection_details_and_suggestions(gql, caplog):
    page = await gql.get("/graphql", headers={"accept": "text/html"})
    assert "graphiql" not in page.text.lower()
    introspection = await gql.execute(INTROSPECTION)
    assert introspection.data is None
    assert "introspection" in introspection.errors[0]["message"].lower()
    boom = await gql.execute("{ probeBoom }")
    assert boom.errors[0]["message"] == "Unexpected error."
    assert "internal detail" not in str(boom.body)
    assert "internal detail" in caplog.text  # logged for the operator, not shown
    typo = await gql.execute("{ serverInf { version } }")
    assert typo.errors[0]["message"] == "Cannot query field 'serverInf' on type 'Query'."
    assert typo.codes == ["GRAPHQL_VALIDATION_FAILED"]
    # An unknown fragment is a validation error here too (it was a KeyError in the depth rule).
    unknown = await gql.execute("query { ...Nope }")
    assert unknown.codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert unknown.errors[0]["message"] == "Unknown fragment 'Nope'."
    # Expected errors still carry their code and message.
    assert (await gql.query("{ serverInfo { version } }"))["serverInfo"]["version"]


# ---------------------------------------------------------------- serving


async def test_health_and_readiness(gql):
    assert (await gql.get("/healthz")).json() == {"status": "ok"}
    ready = await gql.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ok", "database": "ok"}


async def ready_status(app, before=None) -> httpx.Response:
    """/readyz of a started app, after ``before()`` (which breaks something) when given."""
    async with app.router.lifespan_context(app):
        if before is not None:
            before()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://linli.test") as client:
            assert (await client.get("/healthz")).status_code == 200  # alive, just not ready
            return await client.get("/readyz")


async def test_readyz_is_503_when_the_sqlite_folder_is_gone(tmp_path):
    folder = tmp_path / "gone"
    settings = Settings(
        secret_key=TEST_SECRET,
        periodic_tasks=False,
        database_url=f"sqlite://{folder / 'linli.sqlite3'}",
    )
    ready = await ready_status(create_app(settings), before=lambda: shutil.rmtree(folder))
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "unreachable"}


@pytest.mark.skipif(not postgres_url(), reason="needs LINLI_TEST_DATABASE_URL")
async def test_readyz_is_503_when_the_postgres_database_does_not_exist():
    url = postgres_url().rsplit("/", 1)[0] + "/linli_no_such_database"
    app = create_app(Settings(secret_key=TEST_SECRET, periodic_tasks=False, database_url=url))
    ready = await ready_status(app)
    assert ready.status_code == 503


async def test_get_graphql_runs_queries(gql):
    # (A mutation over GET is refused: tests/core/test_bad_input.py.)
    got = await gql.get("/graphql", params={"query": "{ serverInfo { version } }"})
    assert got.status_code == 200
    assert got.json()["data"]["serverInfo"]["version"]


async def test_post_graphql_answers_without_redirect(gql):
    response = await gql.post_raw('{"query": "{ serverInfo { version } }"}')
    assert response.status_code == 200
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("application/json")


cors = pytest.mark.parametrize(
    "linli_settings_overrides", [{"cors_origins": ["https://app.example"]}]
)


@cors
async def test_cors_headers_come_from_settings(gql):
    preflight = await gql._http.options(
        "/graphql",
        headers={
            "origin": "https://app.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://app.example"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    simple = await gql.post_raw(
        '{"query": "{ serverInfo { version } }"}', headers={"origin": "https://app.example"}
    )
    assert simple.headers["access-control-allow-origin"] == "https://app.example"
    other = await gql.post_raw(
        '{"query": "{ serverInfo { version } }"}', headers={"origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers


async def test_no_cors_headers_without_origins_in_settings(gql):
    response = await gql.post_raw(
        '{"query": "{ serverInfo { version } }"}', headers={"origin": "https://app.example"}
    )
    assert "access-control-allow-origin" not in response.headers
