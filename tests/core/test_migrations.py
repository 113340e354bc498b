"""core's migrations form one chain, and a database migrated before a migration was renamed
is not migrated again: Tortoise records an applied migration by (app, module name) only, so
``linli.core.db.migrate`` renames the record of each one in RENAMED_MIGRATIONS first."""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

from tortoise import Tortoise
from tortoise.migrations.recorder import MigrationRecorder

from linli.core import db
from linli.core.plugins import load_plugins
from linli.core.settings import Settings
from linli.testing.databases import DatabaseFactory
from linli.testing.environment import postgres_url

MIGRATIONS = Path(db.__file__).with_name("migrations")


def test_core_migrations_are_one_chain():
    names = sorted(p.stem for p in MIGRATIONS.glob("0*.py"))
    assert [name[:4] for name in names] == [f"{n:04d}" for n in range(1, len(names) + 1)]
    for before, after in itertools.pairwise(names):
        source = (MIGRATIONS / f"{after}.py").read_text(encoding="utf-8")
        assert f"('core', '{before}')" in source, f"{after} must depend on {before}"


async def applied(url: str, plugins) -> set[tuple[str, str]]:
    await Tortoise.init(config=db.tortoise_config(url, plugins))
    try:
        recorded = await MigrationRecorder(db.connection()).applied_migrations()
    finally:
        await Tortoise.close_connections()
    return {(key.app_label, key.name) for key in recorded}


async def as_before_the_rename(url: str, plugins) -> None:
    """The records of a database main migrated before the rename (the tables are the same)."""
    await Tortoise.init(config=db.tortoise_config(url, plugins))
    try:
        recorder = MigrationRecorder(db.connection())
        for (app, old), new in db.RENAMED_MIGRATIONS.items():
            await recorder.record_unapplied(app, new)
            await recorder.record_applied(app, old)
    finally:
        await Tortoise.close_connections()


async def test_a_renamed_migration_does_not_run_again_on_a_database_that_applied_it(tmp_path):
    plugins = load_plugins(Settings(secret_key="x" * 32))
    factory = DatabaseFactory(tmp_path)
    url = f"sqlite://{tmp_path / f'{uuid.uuid4().hex}.sqlite3'}"
    if postgres_url():
        url = await factory.fresh(plugins)
    try:
        await db.migrate(url, plugins)
        await as_before_the_rename(url, plugins)
        old = await applied(url, plugins)
        assert ("core", "0002_community_settings") in old
        await db.migrate(url, plugins)  # would fail (its table exists) if it ran again
        now = await applied(url, plugins)
        assert ("core", "0003_community_settings") in now
        assert ("core", "0002_community_settings") not in now
        assert len(now) == len(old)
    finally:
        if postgres_url():
            await factory.drop(url)
