from tortoise import migrations
from tortoise.migrations import operations as ops

class Migration(migrations.Migration):
    dependencies = [('booking', '0001_initial'), ('core', '0003_community_settings')]

    initial = False

    operations = [
        ops.DeleteModel(name='BookingSettings'),
    ]
