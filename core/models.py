"""Core's own tables. Identity tables live in linli.core.identity.models."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class AuditEntry(Model):
    """One line of the append-only audit log: who did what, to what, when, for whom.

    Rows are only ever inserted: ``save`` on a stored row and ``delete`` refuse. ``detail``
    holds ids and codes, never secrets, ID numbers or ballot choices.
    """

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(db_index=True)
    actor_account_id = fields.BigIntField(null=True, db_index=True)
    on_behalf_of_person_id = fields.BigIntField(null=True)
    community_id = fields.BigIntField(null=True, db_index=True)
    action = fields.CharField(max_length=100)
    object_type = fields.CharField(max_length=100, default="")
    object_id = fields.CharField(max_length=64, default="")
    detail = fields.JSONField(default=dict)

    class Meta:
        table = "core_audit_entry"
        ordering = ["-id"]

    async def save(self, *args: Any, **kwargs: Any) -> None:
        if self._saved_in_db:
            raise PermissionError("audit entries are append-only")
        await super().save(*args, **kwargs)

    async def delete(self, *args: Any, **kwargs: Any) -> None:
        raise PermissionError("audit entries are append-only")
