from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from linli.core.identity.models import CommunityKind, Gender, GrantStatus, Relation, Role
from tortoise.fields.base import OnDelete
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
        ops.CreateModel(
            name='Community',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharEnumField(description='STREET_OFFICE: street_office\nCOMMUNITY: community\nAREA: area', enum_type=CommunityKind, max_length=20)),
                ('name', fields.CharField(max_length=100)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('parent', fields.ForeignKeyField('core.Community', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.RESTRICT)),
                ('time_zone', fields.CharField(default='Asia/Shanghai', max_length=64)),
                ('locale', fields.CharField(default='zh-CN', max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'core_community', 'app': 'core', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LoginCode',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('phone', fields.CharField(db_index=True, max_length=20)),
                ('code_hash', fields.CharField(max_length=64)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'core_login_code', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A one-time login code (6 digits, 5 minutes, 5 tries), stored hashed.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Person',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('real_name', fields.CharField(max_length=64)),
                ('birth_date', fields.DateField(null=True)),
                ('gender', fields.CharEnumField(default=Gender.UNSPECIFIED, description='FEMALE: female\nMALE: male\nUNSPECIFIED: unspecified', enum_type=Gender, max_length=12)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='residents', on_delete=OnDelete.RESTRICT)),
                ('area', fields.ForeignKeyField('core.Community', source_field='area_id', null=True, db_constraint=True, to_field='id', related_name='area_residents', on_delete=OnDelete.SET_NULL)),
                ('household', fields.CharField(default='', max_length=64)),
                ('id_number_hash', fields.CharField(null=True, unique=True, max_length=64)),
                ('id_number_last4', fields.CharField(default='', max_length=4)),
                ('disabled', fields.BooleanField(default=False)),
                ('verified', fields.BooleanField(default=False)),
                ('verified_by_account_id', fields.BigIntField(null=True)),
                ('verified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'core_person', 'app': 'core', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Account',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('phone', fields.CharField(unique=True, max_length=20)),
                ('password_hash', fields.CharField(null=True, max_length=200)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', null=True, db_constraint=True, to_field='id', related_name='accounts', on_delete=OnDelete.SET_NULL)),
                ('is_admin', fields.BooleanField(default=False)),
                ('is_active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'core_account', 'app': 'core', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Membership',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('core.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('role', fields.CharEnumField(description='RESIDENT: resident\nVOLUNTEER: volunteer\nSTAFF: staff\nADMIN: admin', enum_type=Role, max_length=12)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'core_membership', 'app': 'core', 'unique_together': (('account', 'community', 'role'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProxyGrant',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('core.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='proxy_grants', on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='proxy_grants', on_delete=OnDelete.CASCADE)),
                ('relation', fields.CharEnumField(description='PARENT: parent\nCHILD: child\nSPOUSE: spouse\nCARER: carer\nOTHER_RELATIVE: other_relative', enum_type=Relation, max_length=20)),
                ('status', fields.CharEnumField(default=GrantStatus.PENDING, description='PENDING: pending\nVERIFIED: verified\nREVOKED: revoked', enum_type=GrantStatus, max_length=12)),
                ('verified_via', fields.CharField(default='', max_length=12)),
                ('verified_by_account_id', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('verified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'core_proxy_grant', 'app': 'core', 'unique_together': (('account', 'person'),), 'pk_attr': 'id', 'table_description': 'The grantee account may act for the person (a family member, someone they care for).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RefreshToken',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('core.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='refresh_tokens', on_delete=OnDelete.CASCADE)),
                ('family', fields.CharField(db_index=True, max_length=32)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('issued_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'core_refresh_token', 'app': 'core', 'pk_attr': 'id', 'table_description': 'An opaque refresh token, stored hashed. Each use rotates it within its family, and a'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ThrottleHit',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(max_length=120)),
                ('window_start', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('count', fields.IntField(default=0)),
            ],
            options={'table': 'core_throttle_hit', 'app': 'core', 'unique_together': (('key', 'window_start'),), 'pk_attr': 'id', 'table_description': 'Attempts counted per key and window when no Redis is configured (shared across'},
            bases=['Model'],
        ),
    ]
