"""Core's own tables. Identity tables live in linli.core.identity.models."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.manager import Manager
from tortoise.models import Model
from tortoise.queryset import QuerySet


class AppendOnlyQuerySet(QuerySet):
    """A queryset that reads and inserts but refuses to change or delete stored rows."""

    def update(self, **kwargs: Any) -> Any:
        raise PermissionError(f"{self.model.__name__} rows are append-only")

    def delete(self) -> Any:
        raise PermissionError(f"{self.model.__name__} rows are append-only")

    def bulk_update(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(f"{self.model.__name__} rows are append-only")


class AppendOnlyManager(Manager):
    def get_queryset(self) -> QuerySet:
        return AppendOnlyQuerySet(self._model)


class AuditEntry(Model):
    """One line of the append-only audit log: who did what, to what, when, for whom.

    Rows are only ever inserted: ``save`` on a stored row, ``delete``, and a queryset's
    ``update``/``delete``/``bulk_update`` raise PermissionError. ``detail``
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
        ordering = ("-id",)
        manager = AppendOnlyManager()

    async def save(self, *args: Any, **kwargs: Any) -> None:
        if self._saved_in_db:
            raise PermissionError("audit entries are append-only")
        await super().save(*args, **kwargs)

    async def delete(self, *args: Any, **kwargs: Any) -> None:
        raise PermissionError("audit entries are append-only")
