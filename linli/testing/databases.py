"""Fresh, migrated databases for each test, fast.

Migrations run once per session into a template (per set of apps and migration files); each
test gets a copy: a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from linli.testing.environment import postgres_url


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
