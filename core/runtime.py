"""The running instance: settings, plugins, bus and clock, set once at start-up.

Services reach the bus and clock through here because they run below the GraphQL layer (a CLI
command or a periodic task has no request context).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linli.core.clock import Clock
    from linli.core.events import LocalBus
    from linli.core.plugins import Plugins
    from linli.core.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    plugins: Plugins
    bus: LocalBus
    clock: Clock


_current: Runtime | None = None


def current() -> Runtime:
    if _current is None:
        raise RuntimeError("Linli is not started: no runtime (use linli.core.app.start())")
    return _current


def install(rt: Runtime | None) -> None:
    global _current
    _current = rt


@contextlib.contextmanager
def clock_at(when: datetime) -> Iterator[None]:
    """Run a block with the instance's clock frozen at ``when`` (demo data that must look
    as if it happened weeks ago: a filing, a nomination), then put the real clock back."""
    from linli.core.clock import FrozenClock

    rt = current()
    real = rt.clock
    rt.clock = FrozenClock(when)
    try:
        yield
    finally:
        rt.clock = real
