"""``linli.testing``: the pytest plugin for Linli and for authors of Linli plugins.

Installed with linli (entry point ``pytest11``), it gives every test:

- ``linli_app``: a started app with core, the installed plugins and ``linli_extra_plugins``,
  on a fresh, migrated database (SQLite by default; PostgreSQL when
  ``LINLI_TEST_DATABASE_URL`` is set, with Redis as the bus when ``LINLI_TEST_REDIS_URL`` is);
- ``gql``: a GraphQL client over ASGI, for HTTP and graphql-transport-ws websockets;
- ``clock``: the app's clock, frozen, movable with ``clock.advance(hours=1)``;
- ``live_server``: a real ``linli serve`` on a free loopback port, for end-to-end tests.

Override ``linli_extra_plugins`` (name -> module) to add a plugin that is not installed, and
``linli_settings`` to change settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from httpx_ws import aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport

TEST_DATABASE_ENV = "LINLI_TEST_DATABASE_URL"
TEST_REDIS_ENV = "LINLI_TEST_REDIS_URL"
TEST_SECRET = "linli-test-secret-key-not-for-production-0123456789"
# 09:00 in Shanghai on Monday 2 March 2026: a working morning, far from any day boundary.
DEFAULT_NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def postgres_url() -> str | None:
    return os.environ.get(TEST_DATABASE_ENV) or None


def redis_url() -> str | None:
    return os.environ.get(TEST_REDIS_ENV) or None


requires_postgres_and_redis = pytest.mark.skipif(
    not (postgres_url() and redis_url()),
    reason=f"needs {TEST_DATABASE_ENV} and {TEST_REDIS_ENV}",
)


def pytest_report_header(config: pytest.Config) -> str:
    db = "PostgreSQL" if postgres_url() else "SQLite"
    bus = "Redis" if redis_url() else "in-process"
    return f"linli: database {db}, event bus {bus}"


# ---------------------------------------------------------------- databases


def _fingerprint(plugins: Any) -> str:
    """Changes when the set of apps or any migration file changes."""
    from linli.core.db import tortoise_config

    digest = hashlib.sha256()
    for label, app in sorted(tortoise_config("sqlite://:memory:", plugins)["apps"].items()):
        digest.update(label.encode())
        package = __import__(app["migrations"], fromlist=["_"])
        for path in sorted(Path(package.__file__).parent.glob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class DatabaseFactory:
    """Fresh migrated databases, fast: migrate a template once, then copy it for each test."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.templates: dict[str, str] = {}

    async def fresh(self, plugins: Any) -> str:
        key = _fingerprint(plugins)
        pg = postgres_url()
        if key not in self.templates:
            self.templates[key] = await (
                self._pg_template(pg, key, plugins) if pg else self._sqlite_template(key, plugins)
            )
        if pg:
            return await self._pg_copy(pg, self.templates[key])
        target = self.workdir / f"{uuid.uuid4().hex}.sqlite3"
        shutil.copyfile(self.templates[key], target)
        return f"sqlite://{target}"

    async def _sqlite_template(self, key: str, plugins: Any) -> str:
        from linli.core.db import migrate

        path = self.workdir / f"template-{key}.sqlite3"
        path.unlink(missing_ok=True)
        await migrate(f"sqlite://{path}", plugins)
        return str(path)

    async def _pg_template(self, url: str, key: str, plugins: Any) -> str:
        """The template for this set of migrations, shared by every test session on the server.

        Its name carries the migrations' fingerprint, so an existing one is current. A session
        that must build it migrates a private database and renames it into place: the rename
        is atomic, so concurrent sessions never see a half-built or vanishing template.
        """
        from linli.core.db import migrate

        name = f"linli_tpl_{key}"
        if await _pg_exists(url, name):
            return name
        building = f"linli_build_{key}_{uuid.uuid4().hex[:8]}"
        await _pg_admin(url, f'CREATE DATABASE "{building}"')
        await migrate(_with_database(url, building), plugins)
        try:
            await _pg_admin(url, f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        except Exception:
            if not await _pg_exists(url, name):
                raise
            # Another session finished first: use its template, drop ours.
            await _pg_admin(url, f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
        return name

    async def _pg_copy(self, url: str, template: str) -> str:
        name = f"linli_t_{uuid.uuid4().hex[:12]}"
        await _pg_admin(url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return _with_database(url, name)

    async def drop(self, url: str) -> None:
        if url.startswith("sqlite://"):
            path = Path(url.removeprefix("sqlite://"))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            name = urlsplit(url).path.lstrip("/")
            await _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin_url(url: str) -> str:
    return _with_database(url, "postgres").replace("postgres://", "postgresql://", 1)


async def _pg_exists(url: str, name: str) -> bool:
    import asyncpg

    conn = await asyncpg.connect(_admin_url(url))
    try:
        return bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name))
    finally:
        await conn.close()


async def _pg_admin(url: str, *statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_admin_url(url))
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


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


@pytest.fixture
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
            "periodic_tasks": False,
            "code_sender": "memory",  # codes land in login_codes(), never in a log
            **linli_settings_overrides,
        }
    )
    url = await linli_database_factory.fresh(load_plugins(base, linli_extra_plugins))
    yield base.model_copy(update={"database_url": url})
    await linli_database_factory.drop(url)


@pytest.fixture
async def linli_app(
    linli_settings: Any, linli_extra_plugins: dict[str, object], clock: Any
) -> AsyncIterator[Any]:
    from linli.core.app import create_app

    app = create_app(linli_settings, extra_plugins=linli_extra_plugins, clock=clock)
    async with app.router.lifespan_context(app):
        yield app


@dataclass
class Result:
    status: int
    data: dict[str, Any] | None
    errors: list[dict[str, Any]] | None
    body: Any

    @property
    def codes(self) -> list[str | None]:
        return [(e.get("extensions") or {}).get("code") for e in self.errors or []]


class GraphQLClient:
    """Speaks to a Linli app in-process: HTTP through httpx's ASGI transport, websockets
    through httpx-ws. ``token`` and ``locale`` are defaults every call may override."""

    def __init__(self, app: Any, token: str | None = None, locale: str | None = None) -> None:
        self.app = app
        self.token = token
        self.locale = locale
        self._http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://linli.test"
        )

    def headers(self, token: str | None, locale: str | None) -> dict[str, str]:
        headers = {}
        token = token if token is not None else self.token
        if token:
            headers["authorization"] = f"Bearer {token}"
        if locale or self.locale:
            headers["accept-language"] = locale or self.locale or ""
        return headers

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        locale: str | None = None,
        operation_name: str | None = None,
    ) -> Result:
        body = {"query": query, "variables": variables or {}}
        if operation_name:
            body["operationName"] = operation_name
        response = await self._http.post("/graphql", json=body, headers=self.headers(token, locale))
        return self._result(response)

    async def post_raw(
        self, content: bytes | str, content_type: str = "application/json", **kwargs: Any
    ) -> httpx.Response:
        headers = {"content-type": content_type, **kwargs.pop("headers", {})}
        return await self._http.post("/graphql", content=content, headers=headers, **kwargs)

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self._http.get(path, **kwargs)

    @staticmethod
    def _result(response: httpx.Response) -> Result:
        try:
            body = response.json()
        except json.JSONDecodeError:
            return Result(response.status_code, None, None, response.text)
        if isinstance(body, list):
            return Result(response.status_code, None, None, body)
        return Result(response.status_code, body.get("data"), body.get("errors"), body)

    async def query(
        self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Data of a query that must succeed (fails the test with the errors otherwise)."""
        result = await self.execute(query, variables, **kwargs)
        assert not result.errors, result.errors
        assert result.data is not None, result.body
        return result.data

    async def mutate(
        self, query: str, input: dict[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """The payload of a one-field mutation taking ``$input``: errors stay in the payload."""
        data = await self.query(query, {"input": input or {}}, **kwargs)
        (payload,) = data.values()
        return payload

    @contextlib.asynccontextmanager
    async def websocket(
        self, token: str | None = None, *, init: bool = True, payload: dict[str, Any] | None = None
    ) -> AsyncIterator[WebSocketSession]:
        transport = ASGIWebSocketTransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://linli.test") as client:
            async with aconnect_ws("/graphql", client, subprotocols=["graphql-transport-ws"]) as ws:
                session = WebSocketSession(ws)
                if init:
                    token = token if token is not None else self.token
                    await session.init({**({"token": token} if token else {}), **(payload or {})})
                yield session

    async def aclose(self) -> None:
        await self._http.aclose()


class WebSocketSession:
    """One graphql-transport-ws connection: ``subscribe`` returns an id, ``next`` its events."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self._ids = 0
        self._pending: dict[str, list[dict[str, Any]]] = {}

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send_json(message)

    async def receive(self, timeout: float = 5.0) -> dict[str, Any]:
        return await self.ws.receive_json(timeout=timeout)

    async def init(self, payload: dict[str, Any]) -> dict[str, Any]:
        await self.send({"type": "connection_init", "payload": payload})
        ack = await self.receive()
        assert ack["type"] == "connection_ack", ack
        return ack

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        self._ids += 1
        op_id = str(self._ids)
        await self.send(
            {
                "id": op_id,
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )
        return op_id

    async def next(self, op_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The next message for one operation (next, error or complete); pings are answered."""
        deadline = time.monotonic() + timeout
        while not self._pending.get(op_id):
            message = await self.receive(timeout=max(deadline - time.monotonic(), 0.01))
            if message["type"] == "ping":
                await self.send({"type": "pong"})
                continue
            self._pending.setdefault(message.get("id", ""), []).append(message)
        return self._pending[op_id].pop(0)

    async def complete(self, op_id: str) -> None:
        await self.send({"id": op_id, "type": "complete"})


@pytest.fixture
async def gql(linli_app: Any) -> AsyncIterator[GraphQLClient]:
    client = GraphQLClient(linli_app)
    yield client
    await client.aclose()


# ---------------------------------------------------------------- live server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://", 1) + "/graphql"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_server(
    database_url: str, log_path: Path, env: dict[str, str] | None = None, timeout: float = 30.0
) -> LiveServer:
    """``linli serve`` in a subprocess on a free loopback port, ready when /readyz says so."""
    port = free_port()
    environment = {
        **os.environ,
        "LINLI_DATABASE_URL": database_url,
        "LINLI_SECRET_KEY": TEST_SECRET,
        **({"LINLI_REDIS_URL": redis_url()} if redis_url() else {}),
        **(env or {}),
    }
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "linli.core.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=environment,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{server.log()}")
        try:
            if httpx.get(f"{server.url}/readyz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    stop_server(server)
    raise RuntimeError(f"server did not become ready:\n{server.log()}")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture
def live_server(linli_settings: Any, tmp_path: Path) -> Iterator[LiveServer]:
    """A real server on its own fresh database."""
    server = start_server(linli_settings.database_url, tmp_path / "server.log")
    yield server
    stop_server(server)


def run(coro: Any) -> Any:
    """Run a coroutine from synchronous test code."""
    return asyncio.run(coro)


# ---------------------------------------------------------------- identity factories
#
# Small, generic builders for tests of core and of plugins. They write through the models
# directly (fast: one shared password hash) and return real tokens the app accepts.

TEST_PASSWORD = "linli-test-password"
_password_hash: str | None = None
_phones = iter(range(10_000_000))


def next_phone() -> str:
    """A fresh valid mainland mobile number in E.164 form."""
    return f"+86139{next(_phones):08d}"


async def make_community(
    name: str | None = None,
    *,
    kind: str = "community",
    parent: Any = None,
    code: str | None = None,
    time_zone: str = "Asia/Shanghai",
    with_parent: bool = True,
) -> Any:
    """A community (by default under a fresh street office); ``kind="area"`` needs ``parent``."""
    from linli.core import runtime
    from linli.core.identity.models import Community, CommunityKind

    now = runtime.current().clock.now()
    kind_ = CommunityKind(kind)
    if parent is None and with_parent and kind_ == CommunityKind.COMMUNITY:
        parent = await make_community(kind="street_office")
    code = code or f"T{uuid.uuid4().hex[:10].upper()}"
    return await Community.create(
        kind=kind_,
        name=name or f"测试{kind_.value} {code}",
        code=code,
        parent=parent,
        time_zone=time_zone,
        created_at=now,
    )


async def make_person(
    community: Any,
    *,
    birth_date: Any = None,
    real_name: str = "测试居民",
    verified: bool = True,
    disabled: bool = False,
    area: Any = None,
) -> Any:
    from linli.core import runtime
    from linli.core.identity.models import Person

    now = runtime.current().clock.now()
    return await Person.create(
        real_name=real_name,
        birth_date=birth_date,
        community=community,
        area=area,
        verified=verified,
        verified_at=now if verified else None,
        disabled=disabled,
        created_at=now,
    )


@dataclass
class MadeAccount:
    account: Any
    person: Any
    token: str
    refresh_token: str
    phone: str
    password: str = TEST_PASSWORD

    @property
    def id(self) -> int:
        return self.account.pk


async def make_account(
    role: str | None = "resident",
    community: Any = None,
    *,
    admin: bool = False,
    phone: str | None = None,
    birth_date: Any = None,
    person: Any = None,
    with_person: bool = True,
    roles: tuple[str, ...] = (),
) -> MadeAccount:
    """An account with ``role`` (and ``roles``) in ``community``, its own verified person
    living there (unless ``person`` or ``with_person=False``), and a live session's tokens.

    ``admin=True`` makes a global admin. The password is ``TEST_PASSWORD``.
    """
    global _password_hash
    from linli.core import runtime
    from linli.core.identity import tokens
    from linli.core.identity.models import Account, Membership
    from linli.core.identity.sessions import start_session

    now = runtime.current().clock.now()
    if _password_hash is None:
        _password_hash = await tokens.hash_password(TEST_PASSWORD)
    wanted = [r for r in ((role,) if role else ()) + tuple(roles)]
    if wanted and community is None:
        community = await make_community()
    if person is None and with_person and community is not None:
        person = await make_person(community, birth_date=birth_date)
    phone = phone or next_phone()
    account = await Account.create(
        phone=phone, password_hash=_password_hash, person=person, is_admin=admin, created_at=now
    )
    for r in wanted:
        await Membership.create(account=account, community=community, role=r, created_at=now)
    session = await start_session(account)
    return MadeAccount(account, person, session.access_token, session.refresh_token, phone)


async def make_proxy(
    grantee: Any, person: Any, *, relation: str = "child", status: str = "verified"
) -> Any:
    """A proxy grant: ``grantee`` (an account or MadeAccount) may act for ``person``."""
    from linli.core import runtime
    from linli.core.identity.models import ProxyGrant

    account = getattr(grantee, "account", grantee)
    now = runtime.current().clock.now()
    return await ProxyGrant.create(
        account=account,
        person=person,
        relation=relation,
        status=status,
        verified_via="staff" if status == "verified" else "",
        created_at=now,
        verified_at=now if status == "verified" else None,
    )


def login_codes(phone: str) -> list[str]:
    """The one-time codes sent to ``phone`` (tests use the ``memory`` code sender)."""
    from linli.core.identity.codes import MemorySender

    return list(MemorySender.outbox.get(phone, []))


def global_id(type_name: str, pk: Any) -> str:
    """The Relay global id of an object: ``global_id("Person", person.pk)``."""
    from strawberry.relay import to_base64

    return to_base64(type_name, getattr(pk, "pk", pk))
