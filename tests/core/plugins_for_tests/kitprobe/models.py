"""Tables of the kit's test plugin (app label ``kitprobe``)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from linli.core.kit import StatusHistory


class Place(Model):
    id = fields.BigIntField(primary_key=True)
    community_id = fields.BigIntField()
    limit = fields.IntField()
    reserved = fields.IntField(default=0)
    taken = fields.IntField(default=0)
    taken_priority = fields.IntField(default=0)

    class Meta:
        table = "kitprobe_place"


class Ticket(Model):
    id = fields.BigIntField(primary_key=True)
    community_id = fields.BigIntField()
    status = fields.CharField(max_length=20)
    code = fields.CharField(max_length=20, null=True, unique=True)

    class Meta:
        table = "kitprobe_ticket"


class TicketChange(StatusHistory):
    ticket = fields.ForeignKeyField("kitprobe.Ticket", related_name="changes")

    class Meta:
        table = "kitprobe_ticket_change"
