"""A plugin with demo data, installed by entry point in the CLI tests: ``seed-demo`` runs it.

Its step adds what is missing and nothing else, as every demo-data step must.
"""

from __future__ import annotations

from typing import Any

from linli import hookimpl
from linli.core import audit
from linli.core.models import AuditEntry
from linli.core.plugins import Manifest

DEMO_ACTIONS = ("demo.street_office_opened", "demo.community_opened")


async def open_offices(console: Any) -> None:
    """the demo street office and community"""
    for action in DEMO_ACTIONS:
        if not await AuditEntry.filter(action=action).exists():
            await audit.record(None, action, object_type="Demo", object_id=action)


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(name="demo", version="0.9.1", description="demo data (tests only)")


@hookimpl
def register_demo_data() -> list[Any]:
    return [open_offices]


def demo_hello() -> None:
    """Say hello (a command a plugin adds to the ``linli`` command line)."""
    print("hello from the demo plugin")


@hookimpl
def register_commands() -> list[Any]:
    return [demo_hello]
