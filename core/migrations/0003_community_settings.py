from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0002_outbox')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CommunitySetting',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='plugin_settings', on_delete=OnDelete.CASCADE)),
                ('plugin', fields.CharField(max_length=64)),
                ('values', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_by_account_id', fields.BigIntField(null=True)),
            ],
            options={'table': 'core_community_setting', 'app': 'core', 'unique_together': (('community', 'plugin'),), 'pk_attr': 'id', 'table_description': "A community's values of one plugin's settings."},
            bases=['Model'],
        ),
    ]
