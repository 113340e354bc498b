"""Timed work on the test clock: a plugin's periodic task, run now.

Inside the server a task runs every interval on the wall clock's schedule; a test wants it
to run at a moment it chose, on the app's frozen clock (``clock.advance(minutes=30)``, then
``await run_periodic_task("booking-tick")``). The task is the one the plugin registers, run
exactly as the server runs it (``await task.run()``), so it reads the same clock.
"""

from __future__ import annotations


async def run_periodic_task(name: str) -> object:
    """Run the periodic task ``name`` of an enabled plugin once, now (in a test that uses
    ``linli_app`` or ``gql``); LookupError naming the tasks there are for an unknown name."""
    from linli.core import runtime

    tasks = {
        task.name: task for task in runtime.current().plugins.gather("register_periodic_tasks")
    }
    if name not in tasks:
        raise LookupError(f"no periodic task {name!r}; the enabled plugins have {sorted(tasks)}")
    return await tasks[name].run()
