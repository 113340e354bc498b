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


class OutboxEvent(Model):
    """An event written in the transaction of the change it announces (the outbox).

    ``relayed`` is empty until the event has been sent on the bus and given to every plugin's
    ``on_event``. A relay takes a batch by moving ``lease_until`` forward, so relays in several
    instances never take the same rows at once; a row whose lease ran out (its instance
    crashed, or Redis was down) is taken again. Times are wall-clock epoch seconds: they are
    the machinery's, not the domain's (tests move the domain's clock, never these).
    """

    id = fields.BigIntField(primary_key=True)
    event_id = fields.CharField(max_length=64, unique=True)
    topic = fields.CharField(max_length=200)
    payload = fields.JSONField()
    at = fields.CharField(max_length=40)  # Event.at, exactly as subscribers get it
    created = fields.FloatField()
    lease_until = fields.FloatField()
    relayed = fields.FloatField(null=True, db_index=True)

    class Meta:
        table = "core_outbox_event"


class ProcessedEvent(Model):
    """Plugin ``plugin`` acted on event ``event_id`` (its ``on_event`` committed): a second
    delivery of that event to it is skipped."""

    id = fields.BigIntField(primary_key=True)
    plugin = fields.CharField(max_length=100)
    event_id = fields.CharField(max_length=64)
    processed = fields.FloatField(db_index=True)

    class Meta:
        table = "core_processed_event"
        unique_together = (("plugin", "event_id"),)
