"""Identity tables: communities, accounts, persons, proxy grants, memberships, tokens.

A Person is who a service is for; an Account is who acts. Limits and penalties in modules
attach to the person. ID numbers are never stored: only a keyed hash and the last 4 characters.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class CommunityKind(StrEnum):
    STREET_OFFICE = "street_office"  # 街道办事处
    COMMUNITY = "community"  # 社区 (residents' committee)
    AREA = "area"  # 小区, a residential area


class Role(StrEnum):
    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    STAFF = "staff"
    ADMIN = "admin"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNSPECIFIED = "unspecified"


class Relation(StrEnum):
    PARENT = "parent"  # the grantee acts for their parent
    CHILD = "child"
    SPOUSE = "spouse"
    CARER = "carer"
    OTHER_RELATIVE = "other_relative"


class GrantStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REVOKED = "revoked"


class Community(Model):
    id = fields.BigIntField(primary_key=True)
    kind = fields.CharEnumField(CommunityKind, max_length=20)
    name = fields.CharField(max_length=100)
    code = fields.CharField(max_length=32, unique=True)
    parent: fields.ForeignKeyNullableRelation[Community] = fields.ForeignKeyField(
        "core.Community", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    time_zone = fields.CharField(max_length=64, default="Asia/Shanghai")
    locale = fields.CharField(max_length=16, default="zh-CN")
    created_at = fields.DatetimeField()

    class Meta:
        table = "core_community"


class Person(Model):
    id = fields.BigIntField(primary_key=True)
    real_name = fields.CharField(max_length=64)
    birth_date = fields.DateField(null=True)
    gender = fields.CharEnumField(Gender, max_length=12, default=Gender.UNSPECIFIED)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "core.Community", related_name="residents", on_delete=fields.RESTRICT
    )
    area: fields.ForeignKeyNullableRelation[Community] = fields.ForeignKeyField(
        "core.Community", related_name="area_residents", null=True, on_delete=fields.SET_NULL
    )
    household = fields.CharField(max_length=64, default="")
    # HMAC-SHA256 of the normalized ID number with the server's key; unique, never reversible.
    id_number_hash = fields.CharField(max_length=64, null=True, unique=True)
    id_number_last4 = fields.CharField(max_length=4, default="")
    disabled = fields.BooleanField(default=False)  # 残疾: a priority group in several modules
    verified = fields.BooleanField(default=False)
    verified_by_account_id = fields.BigIntField(null=True)
    verified_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "core_person"


class Account(Model):
    id = fields.BigIntField(primary_key=True)
    phone = fields.CharField(max_length=20, unique=True)  # E.164, e.g. +8613800138000
    password_hash = fields.CharField(max_length=200, null=True)
    person: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name="accounts", null=True, on_delete=fields.SET_NULL
    )
    is_admin = fields.BooleanField(default=False)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "core_account"


class Membership(Model):
    id = fields.BigIntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "core.Account", related_name="memberships", on_delete=fields.CASCADE
    )
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "core.Community", related_name="memberships", on_delete=fields.CASCADE
    )
    role = fields.CharEnumField(Role, max_length=12)
    created_at = fields.DatetimeField()

    class Meta:
        table = "core_membership"
        unique_together = (("account", "community", "role"),)


class ProxyGrant(Model):
    """The grantee account may act for the person (a family member, someone they care for)."""

    id = fields.BigIntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "core.Account", related_name="proxy_grants", on_delete=fields.CASCADE
    )
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name="proxy_grants", on_delete=fields.CASCADE
    )
    relation = fields.CharEnumField(Relation, max_length=20)
    status = fields.CharEnumField(GrantStatus, max_length=12, default=GrantStatus.PENDING)
    # "staff" (verified by an account of the person's community) or "person" (accepted by
    # the person's own account).
    verified_via = fields.CharField(max_length=12, default="")
    verified_by_account_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField()
    verified_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "core_proxy_grant"
        unique_together = (("account", "person"),)


class RefreshToken(Model):
    """An opaque refresh token, stored hashed. Each use rotates it within its family, and a
    rotated token presented again revokes the whole family (it was stolen or replayed)."""

    id = fields.BigIntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "core.Account", related_name="refresh_tokens", on_delete=fields.CASCADE
    )
    family = fields.CharField(max_length=32, db_index=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    issued_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "core_refresh_token"


class LoginCode(Model):
    """A one-time login code (6 digits, 5 minutes, 5 tries), stored hashed."""

    id = fields.BigIntField(primary_key=True)
    phone = fields.CharField(max_length=20, db_index=True)
    code_hash = fields.CharField(max_length=64)
    expires_at = fields.DatetimeField()
    attempts = fields.IntField(default=0)
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "core_login_code"


class ThrottleHit(Model):
    """Attempts counted per key and window when no Redis is configured (shared across
    instances through the database)."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=120)
    window_start = fields.DatetimeField()
    count = fields.IntField(default=0)

    class Meta:
        table = "core_throttle_hit"
        unique_together = (("key", "window_start"),)
