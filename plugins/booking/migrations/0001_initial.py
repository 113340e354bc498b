from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from linli.plugins.booking.rules import ServiceCategory, Status
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index



def default_ladder():
    """B9's default no-show ladder, as it was when this table was made (0002 drops it)."""
    return [30, 60, 90]


class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='BookingSettings',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', unique=True, db_constraint=True, to_field='id', related_name='booking_settings', on_delete=OnDelete.CASCADE)),
                ('min_days_ahead', fields.IntField(default=1)),
                ('max_days_ahead', fields.IntField(default=14)),
                ('one_per_day', fields.BooleanField(default=True)),
                ('cancel_cutoff_days_before', fields.IntField(default=1)),
                ('cancel_cutoff_minute', fields.IntField(default=960)),
                ('noshow_ladder', fields.JSONField(default=default_ladder, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('noshow_grace_minutes', fields.IntField(default=1440)),
                ('elderly_age', fields.IntField(default=65)),
                ('reserved_priority_seats', fields.IntField(default=0)),
                ('offer_hold_minutes', fields.IntField(default=30)),
                ('staff_bypass_window', fields.BooleanField(default=True)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'booking_settings', 'app': 'booking', 'pk_attr': 'id', 'table_description': 'Per-community booking settings (DOMAIN.md *settings*), defaults as rules.BookingSettings.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PersonStanding',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', unique=True, db_constraint=True, to_field='id', related_name='booking_standing', on_delete=OnDelete.CASCADE)),
                ('banned_until', fields.DateField(null=True)),
                ('family_doctor_contract', fields.BooleanField(default=False)),
                ('version', fields.IntField(default=0)),
            ],
            options={'table': 'booking_person_standing', 'app': 'booking', 'pk_attr': 'id', 'table_description': 'What booking knows about a person across appointments: ban (B9) and contract (B10).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Site',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='booking_sites', on_delete=OnDelete.RESTRICT)),
                ('name', fields.CharField(max_length=100)),
                ('kind', fields.CharField(default='centre', max_length=20)),
                ('address', fields.CharField(default='', max_length=200)),
                ('code', fields.CharField(null=True, unique=True, max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'booking_site', 'app': 'booking', 'pk_attr': 'id', 'table_description': 'The community health service centre or one of its stations.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ServiceType',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('site', fields.ForeignKeyField('booking.Site', source_field='site_id', db_constraint=True, to_field='id', related_name='service_types', on_delete=OnDelete.RESTRICT)),
                ('community_id', fields.BigIntField(db_index=True)),
                ('name', fields.CharField(max_length=100)),
                ('category', fields.CharEnumField(description='PUBLIC_HEALTH: public_health\nMEDICAL: medical\nREHABILITATION: rehabilitation\nHEALTH_EDUCATION: health_education\nFAMILY_PLANNING: family_planning\nHOME_VISIT: home_visit', enum_type=ServiceCategory, max_length=20)),
                ('duration_minutes', fields.IntField(default=15)),
                ('min_age', fields.IntField(null=True)),
                ('max_age', fields.IntField(null=True)),
                ('requires_family_doctor_contract', fields.BooleanField(default=False)),
                ('description', fields.TextField(default='', unique=False)),
                ('active', fields.BooleanField(default=True)),
                ('code', fields.CharField(null=True, unique=True, max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'booking_service_type', 'app': 'booking', 'pk_attr': 'id', 'table_description': 'A service a site offers (B1), with its category, duration and eligibility.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Schedule',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('service_type', fields.ForeignKeyField('booking.ServiceType', source_field='service_type_id', db_constraint=True, to_field='id', related_name='schedules', on_delete=OnDelete.RESTRICT)),
                ('community_id', fields.BigIntField(db_index=True)),
                ('resource', fields.CharField(max_length=100)),
                ('weekly', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('overrides', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_by_account_id', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'booking_schedule', 'app': 'booking', 'pk_attr': 'id', 'table_description': 'A practitioner, team or room publishing a weekly pattern with exceptions (B2).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Slot',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('service_type', fields.ForeignKeyField('booking.ServiceType', source_field='service_type_id', db_constraint=True, to_field='id', related_name='slots', on_delete=OnDelete.RESTRICT)),
                ('schedule', fields.ForeignKeyField('booking.Schedule', source_field='schedule_id', null=True, db_constraint=True, to_field='id', related_name='slots', on_delete=OnDelete.SET_NULL)),
                ('community_id', fields.BigIntField()),
                ('local_date', fields.DateField()),
                ('start', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('end', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('capacity', fields.IntField()),
                ('reserved', fields.IntField(default=0)),
                ('booked', fields.IntField(default=0)),
                ('booked_priority', fields.IntField(default=0)),
                ('generation_key', fields.CharField(null=True, unique=True, max_length=64)),
            ],
            options={'table': 'booking_slot', 'app': 'booking', 'indexes': [Index(fields=['service_type_id', 'local_date'])], 'pk_attr': 'id', 'table_description': 'A bookable time with its capacity and the counters the database guards (B3, B8, B10).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Appointment',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slot', fields.ForeignKeyField('booking.Slot', source_field='slot_id', db_constraint=True, to_field='id', related_name='appointments', on_delete=OnDelete.RESTRICT)),
                ('service_type_id', fields.BigIntField()),
                ('community_id', fields.BigIntField(db_index=True)),
                ('local_date', fields.DateField()),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='booking_appointments', on_delete=OnDelete.RESTRICT)),
                ('booked_by_account_id', fields.BigIntField(null=True)),
                ('status', fields.CharEnumField(description='PROPOSED: proposed\nPENDING: pending\nBOOKED: booked\nARRIVED: arrived\nFULFILLED: fulfilled\nCANCELLED: cancelled\nNOSHOW: noshow\nENTERED_IN_ERROR: entered-in-error\nCHECKED_IN: checked-in\nWAITLIST: waitlist', enum_type=Status, max_length=20)),
                ('priority', fields.BooleanField(default=False)),
                ('daily_key', fields.CharField(null=True, unique=True, max_length=80)),
                ('waitlist_key', fields.CharField(null=True, unique=True, max_length=40)),
                ('joined_waitlist_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('hold_expires_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('offer_expired', fields.BooleanField(default=False)),
                ('late_cancellation', fields.BooleanField(default=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('noshow_marked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('sequence', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'booking_appointment', 'app': 'booking', 'indexes': [Index(fields=['person_id', 'status']), Index(fields=['slot_id', 'status'])], 'pk_attr': 'id', 'table_description': 'One appointment (FHIR Appointment) for a Person, made by an Account (B4, B5).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StatusChange',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('appointment', fields.ForeignKeyField('booking.Appointment', source_field='appointment_id', db_constraint=True, to_field='id', related_name='changes', on_delete=OnDelete.CASCADE)),
                ('from_status', fields.CharField(null=True, max_length=20)),
                ('to_status', fields.CharField(max_length=20)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('by_account_id', fields.BigIntField(null=True)),
                ('by_how', fields.CharField(default='system', max_length=10)),
                ('note', fields.CharField(default='', max_length=60)),
            ],
            options={'table': 'booking_status_change', 'app': 'booking', 'pk_attr': 'id', 'table_description': 'Every status change of an appointment: from, to, who and when (B4).'},
            bases=['Model'],
        ),
    ]
