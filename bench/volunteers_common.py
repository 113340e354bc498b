"""What bench/volunteers_week.py and bench/volunteers_race.py share: a migrated runtime for
the set-up, global ids, prepared request bytes, a fresh PostgreSQL database, the section
they write in docs/performance.md and the line that says which machine ran them."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import platform
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).parent))

import loadgen

from linli.testing import TEST_SECRET


async def runtime(url: str):
    from linli.core import db
    from linli.core.app import start
    from linli.core.identity import access
    from linli.core.plugins import load_plugins
    from linli.core.settings import Settings

    settings = Settings(database_url=url, secret_key=TEST_SECRET, periodic_tasks=False)
    plugins = load_plugins(settings)
    await db.migrate(url, plugins)
    access.install(plugins.per_plugin("register_permissions"))  # the service checks them
    return await start(settings, plugins)


def gid(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def wire(port: int, body: dict, token: str | None = None) -> bytes:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return loadgen.request_bytes(
        "POST", "/graphql", f"127.0.0.1:{port}", json.dumps(body).encode(), headers
    )


async def _admin(url: str, statement: str) -> None:
    import asyncpg

    parts = urlsplit(url)
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def fresh_postgres(url: str):
    """A new database beside ``url``'s, its URL yielded, dropped afterwards."""
    import uuid

    name = f"linli_bench_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(url)
    await _admin(url, f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    finally:
        await _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.asynccontextmanager
async def http_client():
    import httpx

    async with httpx.AsyncClient(timeout=60) as client:
        yield client


def write_section(path: Path, key: str, lines: list[str]) -> None:
    """Replace this bench's section in docs/performance.md (its own markers only)."""
    marker = f"<!-- {key} -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    block = f"{marker}\n" + "\n".join(lines) + f"\n{marker}\n"
    if marker in text:
        before, _, rest = text.partition(marker)
        _, _, after = rest.partition(marker + "\n")
        text = before + block + after
    else:
        heading = "\n## Volunteers (bench/volunteers_week.py)\n\n"
        if heading not in text:
            text = text.rstrip("\n") + "\n" + heading
        text += block
    path.write_text(text, encoding="utf-8")


def machine() -> str:
    from importlib.metadata import version

    import asyncpg
    import starlette

    return (
        f"{platform.machine()}, {os.cpu_count()} cores (shared), Python "
        f"{platform.python_version()}, strawberry {version('strawberry-graphql')}, starlette "
        f"{starlette.__version__}, tortoise {version('tortoise-orm')}, asyncpg "
        f"{asyncpg.__version__}, load average {os.getloadavg()[0]:.1f} at the start"
    )
