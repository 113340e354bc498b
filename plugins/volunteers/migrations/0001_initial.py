from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index


# V4 in the database: a person's live sign-ups never overlap ([start, end) intervals, so one
# that starts exactly when another ends is allowed). PostgreSQL: an exclusion constraint over
# tstzrange (btree_gist for the person's equality). SQLite: triggers, whose check and insert
# run under SQLite's single writer, so two concurrent sign-ups cannot both pass.
PG_NO_OVERLAP = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE volunteers_sign_up ADD CONSTRAINT volunteers_sign_up_no_overlap
    EXCLUDE USING gist (person_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&)
    WHERE (active);
"""
SQLITE_NO_OVERLAP = """
CREATE TRIGGER volunteers_sign_up_no_overlap BEFORE INSERT ON volunteers_sign_up
WHEN NEW.active
BEGIN
    SELECT RAISE(ABORT, 'volunteers_sign_up_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM volunteers_sign_up
        WHERE person_id = NEW.person_id AND active
          AND start_at < NEW.end_at AND NEW.start_at < end_at
    );
END;
CREATE TRIGGER volunteers_sign_up_no_overlap_update BEFORE UPDATE OF active ON volunteers_sign_up
WHEN NEW.active AND NOT OLD.active
BEGIN
    SELECT RAISE(ABORT, 'volunteers_sign_up_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM volunteers_sign_up
        WHERE person_id = NEW.person_id AND active AND id != NEW.id
          AND start_at < NEW.end_at AND NEW.start_at < end_at
    );
END;
"""


async def no_overlap(apps, schema_editor):
    client = schema_editor.client
    script = PG_NO_OVERLAP if client.capabilities.dialect == "postgres" else SQLITE_NO_OVERLAP
    await client.execute_script(script)


class Migration(migrations.Migration):
    dependencies = [('core', '0003_community_settings')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Account',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community_id', fields.BigIntField()),
                ('kind', fields.CharField(max_length=10)),
                ('person_id', fields.BigIntField(null=True)),
                ('key', fields.CharField(unique=True, max_length=60)),
                ('version', fields.BigIntField(default=0)),
            ],
            options={'table': 'volunteers_account', 'app': 'volunteers', 'pk_attr': 'id', 'table_description': "V9: a time-bank account: a person's, or a community's ISSUE, DONATION or SERVICE"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Activity',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='volunteer_activities', on_delete=OnDelete.RESTRICT)),
                ('group_id', fields.BigIntField(null=True)),
                ('title', fields.CharField(max_length=100)),
                ('description', fields.TextField(default='', unique=False)),
                ('status', fields.CharField(default='DRAFT', max_length=20)),
                ('created_by_account_id', fields.BigIntField(null=True)),
                ('code', fields.CharField(null=True, unique=True, max_length=40)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'volunteers_activity', 'app': 'volunteers', 'pk_attr': 'id', 'table_description': "V2: an activity a community's staff or an active group organises."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Certificate',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(unique=True, max_length=20)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='volunteer_certificates', on_delete=OnDelete.RESTRICT)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='volunteer_certificates', on_delete=OnDelete.RESTRICT)),
                ('period_from', fields.DateField()),
                ('period_to', fields.DateField()),
                ('total_minutes', fields.IntField()),
                ('lines', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('masked_name', fields.CharField(max_length=40)),
                ('issued_by_account_id', fields.BigIntField(null=True)),
                ('issued_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'volunteers_certificate', 'app': 'volunteers', 'pk_attr': 'id', 'table_description': 'V8: a numbered certificate of approved hours over a period, issued by the community.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Profile',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='volunteer_profile', on_delete=OnDelete.RESTRICT)),
                ('community_id', fields.BigIntField(db_index=True)),
                ('skills', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('service_areas', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('availability', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('registered_by_account_id', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'volunteers_profile', 'app': 'volunteers', 'unique_together': (('person',),), 'pk_attr': 'id', 'table_description': 'V1: a volunteer, whose true identity is the Person, with skills, areas, availability.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Shift',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('activity', fields.ForeignKeyField('volunteers.Activity', source_field='activity_id', db_constraint=True, to_field='id', related_name='shifts', on_delete=OnDelete.RESTRICT)),
                ('community_id', fields.BigIntField()),
                ('title', fields.CharField(max_length=100)),
                ('place', fields.CharField(default='', max_length=200)),
                ('start', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('end', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('local_date', fields.DateField()),
                ('local_week', fields.DateField()),
                ('capacity', fields.IntField()),
                ('confirmed', fields.IntField(default=0)),
                ('waitlisted', fields.IntField(default=0)),
                ('required_skills', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('min_age', fields.IntField(null=True)),
                ('adults_only', fields.BooleanField(default=False)),
                ('cancelled', fields.BooleanField(default=False)),
                ('published', fields.BooleanField(default=False)),
                ('attendance_code', fields.CharField(max_length=12)),
                ('reminded', fields.BooleanField(default=False)),
                ('sequence', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'volunteers_shift', 'app': 'volunteers', 'indexes': [Index(fields=['community_id', 'local_week'])], 'pk_attr': 'id', 'table_description': 'V2/V3: a shift of an activity, with the counter the database guards.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HoursRecord',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('shift', fields.ForeignKeyField('volunteers.Shift', source_field='shift_id', db_constraint=True, to_field='id', related_name='hours', on_delete=OnDelete.RESTRICT)),
                ('activity_id', fields.BigIntField()),
                ('community_id', fields.BigIntField(db_index=True)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='volunteer_hours', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharField(default='ATTENDANCE', max_length=12)),
                ('status', fields.CharField(max_length=12)),
                ('minutes', fields.IntField(default=0)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('corrects', fields.ForeignKeyField('volunteers.HoursRecord', source_field='corrects_id', null=True, db_constraint=True, to_field='id', related_name='corrections', on_delete=OnDelete.RESTRICT)),
                ('attendance_key', fields.CharField(null=True, unique=True, max_length=40)),
                ('reason', fields.CharField(default='', max_length=200)),
                ('recorded_by_account_id', fields.BigIntField(null=True)),
                ('decided_by_account_id', fields.BigIntField(null=True)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'volunteers_hours_record', 'app': 'volunteers', 'indexes': [Index(fields=['person_id', 'status'])], 'pk_attr': 'id', 'table_description': 'V6: served minutes, PENDING until the organiser decides. An APPROVED record is never'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HoursChange',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('from_status', fields.CharField(null=True, max_length=20)),
                ('to_status', fields.CharField(max_length=20)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('by_account_id', fields.BigIntField(null=True)),
                ('by_how', fields.CharField(default='system', max_length=10)),
                ('note', fields.CharField(default='', max_length=60)),
                ('record', fields.ForeignKeyField('volunteers.HoursRecord', source_field='record_id', db_constraint=True, to_field='id', related_name='changes', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'volunteers_hours_change', 'app': 'volunteers', 'pk_attr': 'id', 'table_description': "Every status an hours record took (the kit's history row)."},
            bases=['StatusHistory'],
        ),
        ops.CreateModel(
            name='SignUp',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('shift', fields.ForeignKeyField('volunteers.Shift', source_field='shift_id', db_constraint=True, to_field='id', related_name='sign_ups', on_delete=OnDelete.RESTRICT)),
                ('community_id', fields.BigIntField(db_index=True)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='volunteer_sign_ups', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharField(max_length=20)),
                ('active', fields.BooleanField(default=True)),
                ('active_key', fields.CharField(null=True, unique=True, max_length=40)),
                ('start_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('end_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('signed_up_by_account_id', fields.BigIntField(null=True)),
                ('consent_by_account_id', fields.BigIntField(null=True)),
                ('accompanied', fields.BooleanField(default=False)),
                ('waitlisted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reminded', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'volunteers_sign_up', 'app': 'volunteers', 'indexes': [Index(fields=['shift_id', 'status']), Index(fields=['person_id', 'active'])], 'pk_attr': 'id', 'table_description': 'V3–V5: one person on one shift. ``active`` is true while it holds or waits for a seat'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SignUpChange',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('from_status', fields.CharField(null=True, max_length=20)),
                ('to_status', fields.CharField(max_length=20)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('by_account_id', fields.BigIntField(null=True)),
                ('by_how', fields.CharField(default='system', max_length=10)),
                ('note', fields.CharField(default='', max_length=60)),
                ('sign_up', fields.ForeignKeyField('volunteers.SignUp', source_field='sign_up_id', db_constraint=True, to_field='id', related_name='changes', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'volunteers_sign_up_change', 'app': 'volunteers', 'pk_attr': 'id', 'table_description': "Every status a sign-up took, with who and when (the kit's history row)."},
            bases=['StatusHistory'],
        ),
        ops.CreateModel(
            name='Transfer',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community_id', fields.BigIntField(db_index=True)),
                ('kind', fields.CharField(max_length=10)),
                ('memo', fields.CharField(default='', max_length=200)),
                ('source_key', fields.CharField(null=True, unique=True, max_length=40)),
                ('by_account_id', fields.BigIntField(null=True)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'volunteers_transfer', 'app': 'volunteers', 'pk_attr': 'id', 'table_description': 'V9: one movement of coins, its entries summing to zero.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Entry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('transfer', fields.ForeignKeyField('volunteers.Transfer', source_field='transfer_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.RESTRICT)),
                ('account', fields.ForeignKeyField('volunteers.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.RESTRICT)),
                ('minutes', fields.IntField()),
            ],
            options={'table': 'volunteers_entry', 'app': 'volunteers', 'pk_attr': 'id', 'table_description': 'V9: one line of a transfer: minutes into (+) or out of (-) an account.'},
            bases=['Model'],
        ),
        ops.RunPython(no_overlap),
    ]
