from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OutboxEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event_id', fields.CharField(unique=True, max_length=64)),
                ('topic', fields.CharField(max_length=200)),
                ('payload', fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ('at', fields.CharField(max_length=40)),
                ('created', fields.FloatField()),
                ('lease_until', fields.FloatField()),
                ('relayed', fields.FloatField(null=True, db_index=True)),
            ],
            options={'table': 'core_outbox_event', 'app': 'core', 'pk_attr': 'id', 'table_description': 'An event written in the transaction of the change it announces (the outbox).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProcessedEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('plugin', fields.CharField(max_length=100)),
                ('event_id', fields.CharField(max_length=64)),
                ('processed', fields.FloatField(db_index=True)),
            ],
            options={'table': 'core_processed_event', 'app': 'core', 'unique_together': (('plugin', 'event_id'),), 'pk_attr': 'id', 'table_description': 'Plugin ``plugin`` acted on event ``event_id`` (its ``on_event`` committed): a second'},
            bases=['Model'],
        ),
    ]
