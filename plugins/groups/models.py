"""The tables (app label ``groups``); ``linli makemigrations groups`` writes migrations/.

What the database holds so Python need not (G4): a roster entry is never updated except to
close it (set ``until``); "one open entry per member" and "one open leader per group" are
partial unique indexes on the open entries (``until IS NULL``), written as raw SQL in the
migration because Tortoise's partial UniqueConstraint does not run on SQLite. Status changes
are conditional UPDATEs on the current status (service.py), so concurrent decisions give
one winner.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, model_validator
from tortoise import fields
from tortoise.models import Model

from linli.core import kit
from linli.core.kit import StatusHistory

from . import rules
from .rules import Category, Decision, FilingKind, GroupKind, Level, Role, Status


def _minimum(category: str) -> int:
    return Field(
        rules.DEFAULT_MINIMUM,
        ge=1,
        le=1000,
        description=f"G7: the fewest members (leader included) of a {category} group.",
    )


class Settings(kit.CommunitySettings):
    """Per-community groups settings (DOMAIN.md G3, G6, G7 *settings*), with DOMAIN.md's
    defaults. A group follows the settings of its home community. Staff change them with
    updateGroupsSettings (groups.manage)."""

    plugin: ClassVar[str] = "groups"

    decision_days: int = Field(
        7, ge=1, le=90, description="G3: staff decide within this many days of submission."
    )
    term_days: int = Field(
        365, ge=30, le=1096, description="G6: how many days an approval is valid (annual)."
    )
    renewal_window_days: int = Field(
        30, ge=0, le=365, description="G6: renewal opens this many days before expiry."
    )
    min_members_culture_sports: int = _minimum("culture and sports")
    min_members_public_welfare: int = _minimum("public welfare")
    min_members_life_services: int = _minimum("life services")
    min_members_community_affairs: int = _minimum("community affairs")
    min_members_other: int = _minimum("other")

    @model_validator(mode="after")
    def _window_inside_term(self) -> Settings:
        if self.renewal_window_days >= self.term_days:
            raise ValueError("the renewal window must be shorter than the term")
        return self

    def for_rules(self, tz: str) -> rules.GroupSettings:
        """The rules' view of these settings in the community's zone ``tz``."""
        minimums = {c.value: getattr(self, f"min_members_{c.value.lower()}") for c in Category}
        return rules.GroupSettings(
            tz=tz,
            decision_days=self.decision_days,
            term_days=self.term_days,
            renewal_window_days=self.renewal_window_days,
            min_members=minimums,
        )


class Group(Model):
    """A residents' activity group and its current state (the filings hold each version)."""

    id = fields.BigIntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name=False, db_index=True)
    street_office_id = fields.BigIntField(null=True, db_index=True)
    # G2: whose staff review this group's filings (its community or its street office).
    review_community_id = fields.BigIntField(db_index=True)
    kind = fields.CharEnumField(GroupKind, max_length=20, default=GroupKind.ACTIVITY_TEAM)
    name = fields.CharField(max_length=100)
    category = fields.CharEnumField(Category, max_length=20)
    level = fields.CharEnumField(Level, max_length=12)
    venue = fields.CharField(max_length=200)
    schedule = fields.CharField(max_length=200)
    charter = fields.TextField()
    # Communities besides its own where the group is active (ids; G2 sends it to the street).
    other_community_ids = fields.JSONField(default=list)
    leader_person_id = fields.BigIntField(db_index=True)
    status = fields.CharEnumField(Status, max_length=12, default=Status.DRAFT, db_index=True)
    approved_at = fields.DatetimeField(null=True)
    approved_until = fields.DateField(null=True)  # G6: last valid local day
    # The filing under review or being edited (None when none is open).
    open_filing_id = fields.BigIntField(null=True)
    # G6: the term whose renewal window has been announced (the tick announces once).
    renewal_announced_for = fields.DateField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "groups_group"


class Filing(Model):
    """One version of the filing form (核准备案表), kept forever and readable once superseded."""

    id = fields.BigIntField(primary_key=True)
    group = fields.ForeignKeyField("groups.Group", related_name="filings", db_index=True)
    number = fields.IntField()  # 1, 2, 3… per group
    kind = fields.CharEnumField(FilingKind, max_length=12)
    status = fields.CharEnumField(Status, max_length=12, default=Status.DRAFT, db_index=True)
    name = fields.CharField(max_length=100)
    category = fields.CharEnumField(Category, max_length=20)
    level = fields.CharEnumField(Level, max_length=12)
    venue = fields.CharField(max_length=200)
    schedule = fields.CharField(max_length=200)
    charter = fields.TextField()
    other_community_ids = fields.JSONField(default=list)
    leader_person_id = fields.BigIntField()
    changed_fields = fields.JSONField(default=list)  # G5: what a CHANGE filing changed
    review_community_id = fields.BigIntField(db_index=True)
    member_count = fields.IntField(default=0)  # the roster's size when submitted
    created_by_account_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField()
    submitted_at = fields.DatetimeField(null=True)
    submitted_day = fields.DateField(null=True)  # the community's local day
    deadline = fields.DateField(null=True)  # G3: last on-time local day
    overdue_announced_at = fields.DatetimeField(null=True)
    decision = fields.CharEnumField(Decision, max_length=8, null=True)
    decision_reason = fields.TextField(default="")
    decided_at = fields.DatetimeField(null=True)
    decided_by_account_id = fields.BigIntField(null=True)
    valid_until = fields.DateField(null=True)  # set when approved

    class Meta:
        table = "groups_filing"
        unique_together = (("group", "number"),)


class GroupStatusChange(StatusHistory):
    """Every status a group took, with who and when (the kit's history row, never updated)."""

    group = fields.ForeignKeyField("groups.Group", related_name=False, db_index=True)

    class Meta:
        table = "groups_group_status_change"


class FilingStatusChange(StatusHistory):
    """Every status a filing took, with who and when (the kit's history row)."""

    filing = fields.ForeignKeyField("groups.Filing", related_name=False, db_index=True)

    class Meta:
        table = "groups_filing_status_change"


class RosterEntry(Model):
    """G4: a person's time in a group in one role, [since, until) in local days."""

    id = fields.BigIntField(primary_key=True)
    group = fields.ForeignKeyField("groups.Group", related_name="roster", db_index=True)
    person = fields.ForeignKeyField("core.Person", related_name=False, db_index=True)
    role = fields.CharEnumField(Role, max_length=8)
    since = fields.DateField()
    until = fields.DateField(null=True)
    ended_by = fields.CharField(max_length=16, default="")  # left, removed, leader, dissolved
    created_at = fields.DatetimeField()

    class Meta:
        table = "groups_roster_entry"


class JoinRequest(Model):
    """G8: a resident asks to join, the leader accepts or declines (one pending per person)."""

    id = fields.BigIntField(primary_key=True)
    group = fields.ForeignKeyField("groups.Group", related_name=False, db_index=True)
    person = fields.ForeignKeyField("core.Person", related_name=False, db_index=True)
    status = fields.CharField(max_length=10, default="PENDING")  # ACCEPTED, DECLINED
    message = fields.CharField(max_length=200, default="")
    requested_by_account_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField()
    decided_at = fields.DatetimeField(null=True)
    decided_by_account_id = fields.BigIntField(null=True)

    class Meta:
        table = "groups_join_request"


class GroupPlace(Model):
    """The other communities a group is active in (Group.other_community_ids as rows, so the
    directory of a community finds them with an index on every database)."""

    id = fields.BigIntField(primary_key=True)
    group = fields.ForeignKeyField("groups.Group", related_name=False, db_index=True)
    community_id = fields.BigIntField(db_index=True)

    class Meta:
        table = "groups_group_place"
        unique_together = (("group", "community_id"),)
