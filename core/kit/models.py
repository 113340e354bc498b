"""The kit's table: every plugin's per-community settings, one row per plugin and community."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class CommunitySetting(Model):
    """A community's values of one plugin's settings.

    Only the values staff changed are stored: a missing one is the declaration's default, so
    a setting added later starts at its default.
    """

    id = fields.BigIntField(primary_key=True)
    community = fields.ForeignKeyField(
        "core.Community", related_name="plugin_settings", on_delete=fields.CASCADE
    )
    plugin = fields.CharField(max_length=64)
    values = fields.JSONField(default=dict)
    updated_at = fields.DatetimeField()
    updated_by_account_id = fields.BigIntField(null=True)

    class Meta:
        table = "core_community_setting"
        unique_together = (("community", "plugin"),)
