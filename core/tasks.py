"""Periodic tasks run inside the server (hold expiry, no-show marking...).

Each task must be idempotent and safe with several instances running it at once: the work
itself is guarded by the database (conditional updates), so no leader election is needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger("linli.tasks")


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    interval_seconds: float
    run: Callable[[], Awaitable[object]]


class TaskRunner:
    def __init__(self, tasks: list[PeriodicTask]) -> None:
        self.tasks = tasks
        self._running: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._running = [
            asyncio.create_task(self._loop(task), name=f"linli-task-{task.name}")
            for task in self.tasks
        ]

    async def _loop(self, task: PeriodicTask) -> None:
        while True:
            await asyncio.sleep(task.interval_seconds)
            try:
                await task.run()
            except Exception:
                log.exception("periodic task %s failed; it runs again next interval", task.name)

    async def stop(self) -> None:
        for running in self._running:
            running.cancel()
        for running in self._running:
            with contextlib.suppress(asyncio.CancelledError):
                await running
        self._running = []
