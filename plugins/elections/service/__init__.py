"""Elections use cases, one transaction each; the API, the demo data and the periodic task
call these.

Part I: ``elections`` (create, the phase machine and its clock), ``roll`` (compute, publish,
conflicts, objections), ``nominations``, ``slate`` (the primary's plan and the slate),
``proxies``; ``events`` the declared events. Part II adds the ballot box and the count.
"""

from __future__ import annotations


async def tick() -> int:
    """The clock's phase moves (E2): idempotent, safe on several instances at once."""
    from .elections import move_due_phases

    return await move_due_phases()
