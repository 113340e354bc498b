from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0002_outbox'), ('groups', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='FilingStatusChange',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('from_status', fields.CharField(null=True, max_length=20)),
                ('to_status', fields.CharField(max_length=20)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('by_account_id', fields.BigIntField(null=True)),
                ('by_how', fields.CharField(default='system', max_length=10)),
                ('note', fields.CharField(default='', max_length=60)),
                ('filing', fields.ForeignKeyField('groups.Filing', source_field='filing_id', db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'groups_filing_status_change', 'app': 'groups', 'pk_attr': 'id', 'table_description': "Every status a filing took, with who and when (the kit's history row)."},
            bases=['StatusHistory'],
        ),
        ops.CreateModel(
            name='GroupStatusChange',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('from_status', fields.CharField(null=True, max_length=20)),
                ('to_status', fields.CharField(max_length=20)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('by_account_id', fields.BigIntField(null=True)),
                ('by_how', fields.CharField(default='system', max_length=10)),
                ('note', fields.CharField(default='', max_length=60)),
                ('group', fields.ForeignKeyField('groups.Group', source_field='group_id', db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'groups_group_status_change', 'app': 'groups', 'pk_attr': 'id', 'table_description': "Every status a group took, with who and when (the kit's history row, never updated)."},
            bases=['StatusHistory'],
        ),
        ops.DeleteModel(name='StatusChange'),
    ]
