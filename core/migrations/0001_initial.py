from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('actor_account_id', fields.BigIntField(null=True, db_index=True)),
                ('on_behalf_of_person_id', fields.BigIntField(null=True)),
                ('community_id', fields.BigIntField(null=True, db_index=True)),
                ('action', fields.CharField(max_length=100)),
                ('object_type', fields.CharField(default='', max_length=100)),
                ('object_id', fields.CharField(default='', max_length=64)),
                ('detail', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'core_audit_entry', 'app': 'core', 'pk_attr': 'id', 'table_description': 'One line of the append-only audit log: who did what, to what, when, for whom.'},
            bases=['Model'],
        ),
    ]
