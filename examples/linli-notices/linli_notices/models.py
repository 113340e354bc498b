"""The tables (app label ``notices``); ``linli makemigrations notices`` writes migrations/."""

from tortoise import fields, models


class Notice(models.Model):
    community = fields.ForeignKeyField("core.Community", related_name=False, db_index=True)
    title = fields.TextField()  # at most rules.TITLE_MAX characters
    body = fields.TextField()
    posted_at = fields.DatetimeField()

    class Meta:
        table = "notices_notice"
