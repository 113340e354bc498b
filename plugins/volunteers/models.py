"""Volunteer tables (app label ``volunteers``) and the settings declaration.

What must hold under concurrency is held by the database: a shift's ``confirmed`` counter
changes only by the kit's conditional UPDATE (V3), a live sign-up's ``active_key`` is unique
per shift and person, overlapping live sign-ups of one person are refused by an exclusion
constraint on PostgreSQL and a trigger on SQLite (V4, migration 0001), and an account's
``version`` is bumped first to serialize its postings (V9). No field holds money (V1).
Never put a semicolon in a docstring here: Tortoise's migration writer breaks on it.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, model_validator
from tortoise import fields
from tortoise.models import Model

from linli.core import kit

from . import rules


class Settings(kit.CommunitySettings):
    """Per-community volunteer settings (DOMAIN.md *settings*), with DOMAIN.md's defaults."""

    plugin: ClassVar[str] = "volunteers"

    consent_below_age: int = Field(
        18, ge=0, le=30, description="V5: below this age a guardian's consent is needed."
    )
    accompanied_below_age: int = Field(
        14, ge=0, le=30, description="V5: below this age the guardian also comes along."
    )
    star_hours: list[int] = Field(
        [100, 300, 600, 1000, 1500],
        min_length=1,
        max_length=10,
        description="V7: approved hours for one, two, … stars.",
    )
    time_bank: bool = Field(False, description="V9: approved hours deposited as time coins.")
    redeem_min_age: int = Field(60, ge=0, le=150, description="V9: the age to redeem coins.")
    time_bank_cap_hours: int = Field(
        1500, ge=1, le=100_000, description="V9: coins above this balance go to donation."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.star_hours != sorted(set(self.star_hours)) or self.star_hours[0] < 1:
            raise ValueError("star_hours must rise strictly from at least 1")
        if self.accompanied_below_age > self.consent_below_age:
            raise ValueError("accompanied_below_age must not pass consent_below_age")
        return self

    def for_rules(self, tz: str) -> rules.VolunteerRules:
        return rules.VolunteerRules(
            tz=tz,
            consent_below_age=self.consent_below_age,
            accompanied_below_age=self.accompanied_below_age,
            star_hours=tuple(self.star_hours),
            time_bank=self.time_bank,
            redeem_min_age=self.redeem_min_age,
            time_bank_cap_hours=self.time_bank_cap_hours,
        )


class Profile(Model):
    """V1: a volunteer, whose true identity is the Person, with skills, areas, availability."""

    id = fields.BigIntField(primary_key=True)
    person = fields.ForeignKeyField(
        "core.Person", related_name="volunteer_profile", on_delete=fields.RESTRICT
    )
    community_id = fields.BigIntField(db_index=True)
    skills = fields.JSONField(default=list)
    service_areas = fields.JSONField(default=list)
    availability = fields.JSONField(default=list)  # [{weekday, start, end}]
    registered_by_account_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "volunteers_profile"
        # One profile per person (a unique foreign key is not written by the migrations).
        unique_together = (("person",),)


class Activity(Model):
    """V2: an activity a community's staff or an active group organises."""

    id = fields.BigIntField(primary_key=True)
    community = fields.ForeignKeyField(
        "core.Community", related_name="volunteer_activities", on_delete=fields.RESTRICT
    )
    group_id = fields.BigIntField(null=True)  # the organising group, asked through the hook
    title = fields.CharField(max_length=100)
    description = fields.TextField(default="")
    status = fields.CharField(max_length=20, default="DRAFT")
    created_by_account_id = fields.BigIntField(null=True)
    code = fields.CharField(max_length=40, null=True, unique=True)  # demo data's key
    created_at = fields.DatetimeField()
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "volunteers_activity"


class Shift(Model):
    """V2/V3: a shift of an activity, with the counter the database guards."""

    id = fields.BigIntField(primary_key=True)
    activity = fields.ForeignKeyField(
        "volunteers.Activity", related_name="shifts", on_delete=fields.RESTRICT
    )
    community_id = fields.BigIntField()
    title = fields.CharField(max_length=100)
    place = fields.CharField(max_length=200, default="")
    start = fields.DatetimeField()
    end = fields.DatetimeField()
    local_date = fields.DateField()
    local_week = fields.DateField()  # the Monday of local_date: the coming-week read's key
    capacity = fields.IntField()
    confirmed = fields.IntField(default=0)
    waitlisted = fields.IntField(default=0)
    required_skills = fields.JSONField(default=list)
    min_age = fields.IntField(null=True)
    adults_only = fields.BooleanField(default=False)
    cancelled = fields.BooleanField(default=False)
    published = fields.BooleanField(default=False)
    attendance_code = fields.CharField(max_length=12)
    reminded = fields.BooleanField(default=False)
    sequence = fields.IntField(default=0)  # iCalendar SEQUENCE
    created_at = fields.DatetimeField()

    class Meta:
        table = "volunteers_shift"
        indexes = (("community_id", "local_week"),)


class SignUp(Model):
    """V3–V5: one person on one shift. ``active`` is true while it holds or waits for a seat
    (the V4 constraint looks only at those), ``active_key`` is unique while active."""

    id = fields.BigIntField(primary_key=True)
    shift = fields.ForeignKeyField(
        "volunteers.Shift", related_name="sign_ups", on_delete=fields.RESTRICT
    )
    community_id = fields.BigIntField(db_index=True)
    person = fields.ForeignKeyField(
        "core.Person", related_name="volunteer_sign_ups", on_delete=fields.RESTRICT
    )
    status = fields.CharField(max_length=20)
    active = fields.BooleanField(default=True)
    active_key = fields.CharField(max_length=40, null=True, unique=True)
    start_at = fields.DatetimeField()  # the shift's, copied for the V4 constraint
    end_at = fields.DatetimeField()
    signed_up_by_account_id = fields.BigIntField(null=True)
    consent_by_account_id = fields.BigIntField(null=True)
    accompanied = fields.BooleanField(default=False)
    waitlisted_at = fields.DatetimeField(null=True)
    reminded = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "volunteers_sign_up"
        indexes = (("shift_id", "status"), ("person_id", "active"))


class SignUpChange(kit.StatusHistory):
    """Every status a sign-up took, with who and when (the kit's history row)."""

    sign_up = fields.ForeignKeyField(
        "volunteers.SignUp", related_name="changes", on_delete=fields.CASCADE
    )

    class Meta:
        table = "volunteers_sign_up_change"


class HoursRecord(Model):
    """V6: served minutes, PENDING until the organiser decides. An APPROVED record is never
    updated: ``corrects`` points a REVERSAL or AMENDMENT at the record it corrects."""

    id = fields.BigIntField(primary_key=True)
    shift = fields.ForeignKeyField(
        "volunteers.Shift", related_name="hours", on_delete=fields.RESTRICT
    )
    activity_id = fields.BigIntField()
    community_id = fields.BigIntField(db_index=True)
    person = fields.ForeignKeyField(
        "core.Person", related_name="volunteer_hours", on_delete=fields.RESTRICT
    )
    kind = fields.CharField(max_length=12, default="ATTENDANCE")
    status = fields.CharField(max_length=12)
    minutes = fields.IntField(default=0)
    started_at = fields.DatetimeField(null=True)
    ended_at = fields.DatetimeField(null=True)
    corrects = fields.ForeignKeyField(
        "volunteers.HoursRecord", related_name="corrections", null=True, on_delete=fields.RESTRICT
    )
    # A correction's place among the corrections of its record, 1, 2, 3: unique with
    # ``corrects``, so two corrections computed from the same state cannot both be written
    correction_number = fields.IntField(null=True)
    # one attendance per shift and person
    attendance_key = fields.CharField(max_length=40, null=True, unique=True)
    reason = fields.CharField(max_length=200, default="")
    recorded_by_account_id = fields.BigIntField(null=True)
    decided_by_account_id = fields.BigIntField(null=True)
    decided_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "volunteers_hours_record"
        indexes = (("person_id", "status"),)
        unique_together = (("corrects", "correction_number"),)


class HoursChange(kit.StatusHistory):
    """Every status an hours record took (the kit's history row)."""

    record = fields.ForeignKeyField(
        "volunteers.HoursRecord", related_name="changes", on_delete=fields.CASCADE
    )

    class Meta:
        table = "volunteers_hours_change"


class Certificate(Model):
    """V8: a numbered certificate of approved hours over a period, issued by the community."""

    id = fields.BigIntField(primary_key=True)
    number = fields.CharField(max_length=20, unique=True)
    person = fields.ForeignKeyField(
        "core.Person", related_name="volunteer_certificates", on_delete=fields.RESTRICT
    )
    community = fields.ForeignKeyField(
        "core.Community", related_name="volunteer_certificates", on_delete=fields.RESTRICT
    )
    period_from = fields.DateField()
    period_to = fields.DateField()
    total_minutes = fields.IntField()
    lines = fields.JSONField(default=list)  # [{activity_id, title, minutes}]
    masked_name = fields.CharField(max_length=40)
    issued_by_account_id = fields.BigIntField(null=True)
    issued_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "volunteers_certificate"


class Account(Model):
    """V9: a time-bank account: a person's, or a community's ISSUE, DONATION or SERVICE
    account. It stores no balance: that is the sum of its entries."""

    id = fields.BigIntField(primary_key=True)
    community_id = fields.BigIntField()
    kind = fields.CharField(max_length=10)
    person_id = fields.BigIntField(null=True)
    key = fields.CharField(max_length=60, unique=True)  # kind:community[:person]
    version = fields.BigIntField(default=0)  # bumped first: postings serialize per account

    class Meta:
        table = "volunteers_account"


class Transfer(Model):
    """V9: one movement of coins, its entries summing to zero."""

    id = fields.BigIntField(primary_key=True)
    community_id = fields.BigIntField(db_index=True)
    kind = fields.CharField(max_length=10)
    memo = fields.CharField(max_length=200, default="")
    # a deposit or withdrawal of an hours record happens once
    source_key = fields.CharField(max_length=40, null=True, unique=True)
    by_account_id = fields.BigIntField(null=True)
    at = fields.DatetimeField()

    class Meta:
        table = "volunteers_transfer"


class Entry(Model):
    """V9: one line of a transfer: minutes into (+) or out of (-) an account."""

    id = fields.BigIntField(primary_key=True)
    transfer = fields.ForeignKeyField(
        "volunteers.Transfer", related_name="entries", on_delete=fields.RESTRICT
    )
    account = fields.ForeignKeyField(
        "volunteers.Account", related_name="entries", on_delete=fields.RESTRICT
    )
    minutes = fields.IntField()

    class Meta:
        table = "volunteers_entry"
