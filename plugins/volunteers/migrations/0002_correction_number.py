from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.migrations.constraints import UniqueConstraint

class Migration(migrations.Migration):
    dependencies = [('volunteers', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='HoursRecord',
            name='correction_number',
            field=fields.IntField(null=True),
        ),
        ops.AddConstraint(
            model_name='HoursRecord',
            constraint=UniqueConstraint(fields=('corrects', 'correction_number'), name=None),
        ),
    ]
