from tortoise import fields
from tortoise.models import Model

from linli_notices.rules import TITLE_MAX


class Notice(Model):
    id = fields.BigIntField(primary_key=True)
    community = fields.ForeignKeyField(
        "core.Community", related_name=False, on_delete=fields.CASCADE
    )
    title = fields.CharField(max_length=TITLE_MAX)
    body = fields.TextField()
    author_account_id = fields.BigIntField()
    posted_at = fields.DatetimeField()

    class Meta:
        table = "notices_notice"
        indexes = (("community_id", "id"),)
