from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Place',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community_id', fields.BigIntField()),
                ('limit', fields.IntField()),
                ('reserved', fields.IntField(default=0)),
                ('taken', fields.IntField(default=0)),
                ('taken_priority', fields.IntField(default=0)),
            ],
            options={'table': 'kitprobe_place', 'app': 'kitprobe', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Ticket',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community_id', fields.BigIntField()),
                ('status', fields.CharField(max_length=20)),
                ('code', fields.CharField(null=True, unique=True, max_length=20)),
            ],
            options={'table': 'kitprobe_ticket', 'app': 'kitprobe', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketChange',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('from_status', fields.CharField(null=True, max_length=20)),
                ('to_status', fields.CharField(max_length=20)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('by_account_id', fields.BigIntField(null=True)),
                ('by_how', fields.CharField(default='system', max_length=10)),
                ('note', fields.CharField(default='', max_length=60)),
                ('ticket', fields.ForeignKeyField('kitprobe.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='changes', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'kitprobe_ticket_change', 'app': 'kitprobe', 'pk_attr': 'id'},
            bases=['StatusHistory'],
        ),
    ]
