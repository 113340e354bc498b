from tortoise import migrations
from tortoise.migrations import operations as ops
from linli.plugins.groups.rules import Category, Decision, FilingKind, GroupKind, Level, Role, Status
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Group',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('street_office_id', fields.BigIntField(null=True, db_index=True)),
                ('review_community_id', fields.BigIntField(db_index=True)),
                ('kind', fields.CharEnumField(default=GroupKind.ACTIVITY_TEAM, description='ACTIVITY_TEAM: ACTIVITY_TEAM\nOWNERS_COMMITTEE: OWNERS_COMMITTEE\nPROFIT_MAKING: PROFIT_MAKING', enum_type=GroupKind, max_length=20)),
                ('name', fields.CharField(max_length=100)),
                ('category', fields.CharEnumField(description='CULTURE_SPORTS: CULTURE_SPORTS\nPUBLIC_WELFARE: PUBLIC_WELFARE\nLIFE_SERVICES: LIFE_SERVICES\nCOMMUNITY_AFFAIRS: COMMUNITY_AFFAIRS\nOTHER: OTHER', enum_type=Category, max_length=20)),
                ('level', fields.CharEnumField(description='COMMUNITY: COMMUNITY\nSTREET: STREET', enum_type=Level, max_length=12)),
                ('venue', fields.CharField(max_length=200)),
                ('schedule', fields.CharField(max_length=200)),
                ('charter', fields.TextField(unique=False)),
                ('other_community_ids', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('leader_person_id', fields.BigIntField(db_index=True)),
                ('status', fields.CharEnumField(default=Status.DRAFT, db_index=True, description='DRAFT: DRAFT\nSUBMITTED: SUBMITTED\nRETURNED: RETURNED\nAPPROVED: APPROVED\nREJECTED: REJECTED\nLAPSED: LAPSED\nDISSOLVED: DISSOLVED\nSUPERSEDED: SUPERSEDED', enum_type=Status, max_length=12)),
                ('approved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('approved_until', fields.DateField(null=True)),
                ('open_filing_id', fields.BigIntField(null=True)),
                ('renewal_announced_for', fields.DateField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'groups_group', 'app': 'groups', 'pk_attr': 'id', 'table_description': "A residents' activity group and its current state (the filings hold each version)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Filing',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('groups.Group', source_field='group_id', db_index=True, db_constraint=True, to_field='id', related_name='filings', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('kind', fields.CharEnumField(description='INITIAL: INITIAL\nCHANGE: CHANGE\nRENEWAL: RENEWAL', enum_type=FilingKind, max_length=12)),
                ('status', fields.CharEnumField(default=Status.DRAFT, db_index=True, description='DRAFT: DRAFT\nSUBMITTED: SUBMITTED\nRETURNED: RETURNED\nAPPROVED: APPROVED\nREJECTED: REJECTED\nLAPSED: LAPSED\nDISSOLVED: DISSOLVED\nSUPERSEDED: SUPERSEDED', enum_type=Status, max_length=12)),
                ('name', fields.CharField(max_length=100)),
                ('category', fields.CharEnumField(description='CULTURE_SPORTS: CULTURE_SPORTS\nPUBLIC_WELFARE: PUBLIC_WELFARE\nLIFE_SERVICES: LIFE_SERVICES\nCOMMUNITY_AFFAIRS: COMMUNITY_AFFAIRS\nOTHER: OTHER', enum_type=Category, max_length=20)),
                ('level', fields.CharEnumField(description='COMMUNITY: COMMUNITY\nSTREET: STREET', enum_type=Level, max_length=12)),
                ('venue', fields.CharField(max_length=200)),
                ('schedule', fields.CharField(max_length=200)),
                ('charter', fields.TextField(unique=False)),
                ('other_community_ids', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('leader_person_id', fields.BigIntField()),
                ('changed_fields', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('review_community_id', fields.BigIntField(db_index=True)),
                ('member_count', fields.IntField(default=0)),
                ('created_by_account_id', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('submitted_day', fields.DateField(null=True)),
                ('deadline', fields.DateField(null=True)),
                ('overdue_announced_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decision', fields.CharEnumField(null=True, description='APPROVE: APPROVE\nREJECT: REJECT\nRETURN: RETURN', enum_type=Decision, max_length=8)),
                ('decision_reason', fields.TextField(default='', unique=False)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decided_by_account_id', fields.BigIntField(null=True)),
                ('valid_until', fields.DateField(null=True)),
            ],
            options={'table': 'groups_filing', 'app': 'groups', 'unique_together': (('group', 'number'),), 'pk_attr': 'id', 'table_description': 'One version of the filing form (核准备案表), kept forever and readable once superseded.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GroupPlace',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('groups.Group', source_field='group_id', db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('community_id', fields.BigIntField(db_index=True)),
            ],
            options={'table': 'groups_group_place', 'app': 'groups', 'unique_together': (('group', 'community_id'),), 'pk_attr': 'id', 'table_description': 'The other communities a group is active in (Group.other_community_ids as rows, so the'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='JoinRequest',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('groups.Group', source_field='group_id', db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('status', fields.CharField(default='PENDING', max_length=10)),
                ('message', fields.CharField(default='', max_length=200)),
                ('requested_by_account_id', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decided_by_account_id', fields.BigIntField(null=True)),
            ],
            options={'table': 'groups_join_request', 'app': 'groups', 'pk_attr': 'id', 'table_description': 'G8: a resident asks to join, the leader accepts or declines (one pending per person).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RosterEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('groups.Group', source_field='group_id', db_index=True, db_constraint=True, to_field='id', related_name='roster', on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('role', fields.CharEnumField(description='LEADER: LEADER\nMEMBER: MEMBER', enum_type=Role, max_length=8)),
                ('since', fields.DateField()),
                ('until', fields.DateField(null=True)),
                ('ended_by', fields.CharField(default='', max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'groups_roster_entry', 'app': 'groups', 'pk_attr': 'id', 'table_description': "G4: a person's time in a group in one role, [since, until) in local days."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StatusChange',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('groups.Group', source_field='group_id', db_index=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('filing_id', fields.BigIntField(null=True)),
                ('subject', fields.CharField(max_length=8)),
                ('from_status', fields.CharField(null=True, max_length=12)),
                ('to_status', fields.CharField(max_length=12)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('by_account_id', fields.BigIntField(null=True)),
                ('note', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'groups_status_change', 'app': 'groups', 'pk_attr': 'id', 'table_description': 'Every status a group or filing took, with who and when (never updated).'},
            bases=['Model'],
        ),
        # G4, held by the database: one open entry per member, one open leader per group;
        # one pending join request per person and group. Partial indexes run on SQLite and
        # PostgreSQL alike (Tortoise's conditional UniqueConstraint is PostgreSQL-only).
        ops.RunSQL(
            [
                "CREATE UNIQUE INDEX groups_roster_one_open_entry ON groups_roster_entry "
                "(group_id, person_id) WHERE until IS NULL",
                "CREATE UNIQUE INDEX groups_roster_one_leader ON groups_roster_entry "
                "(group_id) WHERE until IS NULL AND role = 'LEADER'",
                "CREATE UNIQUE INDEX groups_join_one_pending ON groups_join_request "
                "(group_id, person_id) WHERE status = 'PENDING'",
            ],
            reverse_sql=[
                "DROP INDEX groups_roster_one_open_entry",
                "DROP INDEX groups_roster_one_leader",
                "DROP INDEX groups_join_one_pending",
            ],
        ),
    ]
