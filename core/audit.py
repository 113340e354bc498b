"""The one helper that writes the audit log."""

from __future__ import annotations

from typing import Any

from linli.core import clock
from linli.core.actor import Actor
from linli.core.models import AuditEntry


async def record(
    actor: Actor | None,
    action: str,
    *,
    community_id: int | None = None,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    on_behalf_of_person_id: int | None = None,
    **detail: Any,
) -> AuditEntry:
    """Append one entry; call it inside the service's transaction so it commits with the act.

    ``obj`` may be a model instance: its class name and primary key are recorded.
    """
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id or obj.pk
    return await AuditEntry.create(
        at=clock.now(),
        actor_account_id=actor.account_id if actor else None,
        on_behalf_of_person_id=on_behalf_of_person_id,
        community_id=community_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )
