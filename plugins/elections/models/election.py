"""An election and what it is made of before the roll: posts, the election committee, the
phase history, and the settings every E rule reads (app label ``elections``).

The election keeps a snapshot of its community's settings, taken when it is created
(``Election.settings``): an election runs to its end by the rules it started with, whatever
staff change later for the next one. Never put a semicolon in a docstring here: Tortoise's
migration writer breaks on it.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, model_validator
from tortoise import fields
from tortoise.models import Model

from linli.core import kit

from ..rules.deadlines import DeadlineSettings
from ..rules.model import CountSettings, Denominator
from ..rules.posts import PostSettings
from ..rules.proxies import ProxySettings
from ..rules.roll import ElectorateMode, RollSettings


class Settings(kit.CommunitySettings):
    """Every *setting* of DOMAIN.md's E rules, with its default (readable by everyone)."""

    plugin: ClassVar[str] = "elections"

    electorate_mode: str = Field(
        "ALL_VOTERS", pattern="^(ALL_VOTERS|HOUSEHOLD_REPRESENTATIVES|GROUP_REPRESENTATIVES)$",
        description="E1: a new election's electorate mode: ALL_VOTERS, "
        "HOUSEHOLD_REPRESENTATIVES or GROUP_REPRESENTATIVES.",
    )
    group_representatives_min: int = Field(2, ge=1, le=10, description="E1: per resident group.")
    group_representatives_max: int = Field(3, ge=1, le=10, description="E1: per resident group.")
    roll_days_before: int = Field(20, ge=1, le=365, description="E2: roll published before.")
    objection_days: int = Field(5, ge=1, le=60, description="E2: objections after publication.")
    decision_days: int = Field(3, ge=1, le=60, description="E2: decision after an objection.")
    min_seats: int = Field(5, ge=1, le=50, description="E3: committee seats, at least.")
    max_seats: int = Field(9, ge=1, le=50, description="E3: committee seats, at most.")
    slate_extra_director: int = Field(1, ge=1, le=5, description="E5: director slate = seats+.")
    slate_extra_deputy: int = Field(1, ge=1, le=5, description="E5: deputy slate = seats+.")
    slate_extra_member: int = Field(1, ge=1, le=2, description="E5: member slate = seats+1 or 2.")
    slate_days_before: int = Field(5, ge=1, le=60, description="E5: slate published before.")
    proxy_limit: int = Field(3, ge=1, le=10, description="E10: proxies one voter holds.")
    denominator: str = Field(
        "BALLOTS", pattern="^(BALLOTS|ROLL)$",
        description="E13: a winner's majority of the ballots cast (BALLOTS) or of the roll (ROLL).",
    )
    runoff_candidates_per_seat: int = Field(2, ge=1, le=5, description="E14: runoff per seat.")
    new_election_within_months: int = Field(3, ge=1, le=24, description="E14: new election.")
    carry_down: bool = Field(True, description="E15: votes carry down to lower posts.")

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        # The rules' own checks (one place for each): they raise ValueError with the reason.
        self.deadlines(), self.posts(), self.roll(), self.count()
        return self

    def deadlines(self) -> DeadlineSettings:
        return DeadlineSettings(self.roll_days_before, self.objection_days,
                                self.decision_days, self.slate_days_before)

    def posts(self) -> PostSettings:
        return PostSettings(self.min_seats, self.max_seats)

    def roll(self, mode: str | None = None) -> RollSettings:
        return RollSettings(ElectorateMode(mode or self.electorate_mode),
                            self.group_representatives_min, self.group_representatives_max)

    def proxies(self) -> ProxySettings:
        return ProxySettings(self.proxy_limit)

    def count(self) -> CountSettings:
        return CountSettings(
            denominator=Denominator(self.denominator),
            runoff_candidates_per_seat=self.runoff_candidates_per_seat,
            new_election_within_months=self.new_election_within_months,
            carry_down=self.carry_down, slate_extra_director=self.slate_extra_director,
            slate_extra_deputy=self.slate_extra_deputy, slate_extra_member=self.slate_extra_member,
        )


class Election(Model):
    """One committee election of one community: its day, mode, phase and settings snapshot.

    ``phase`` is a plain string (the rules' Phase, extended by part II) moved only by the
    status machine, so of two concurrent acts on one phase one wins.
    """

    id = fields.BigIntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name=False, db_index=True)
    title = fields.CharField(max_length=100)
    election_day = fields.DateField()  # the community's local date of the vote
    electorate_mode = fields.CharField(max_length=32, default="ALL_VOTERS")
    phase = fields.CharField(max_length=24, default="SETUP", db_index=True)
    settings = fields.JSONField(default=dict)  # Settings as they were at creation
    roll_published_on = fields.DateField(null=True)  # local day, opens the objection window
    roll_size = fields.IntField(default=0)  # voters on the roll (kept with every roll change)
    slate_published_on = fields.DateField(null=True)
    created_at = fields.DatetimeField()
    created_by_account_id = fields.BigIntField(null=True)

    class Meta:
        table = "elections_election"

    def rules_settings(self) -> Settings:
        return Settings(**self.settings)


class PhaseChange(kit.StatusHistory):
    """Each phase an election passed, with who moved it (the system for the clock's moves)."""

    election = fields.ForeignKeyField("elections.Election", related_name="phase_changes")

    class Meta:
        table = "elections_phase_change"


class ElectionPost(Model):
    """E3 a post and its seats, and E5 what the primary decided for it and why."""

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name="posts")
    post = fields.CharField(max_length=20)  # DIRECTOR, DEPUTY_DIRECTOR, MEMBER
    seats = fields.IntField()
    slate_size = fields.IntField()
    # E5 NEEDED | NOT_NEEDED | NOT_COMPETITIVE, set when the primary is planned, with the
    # number of accepted nominees it was decided on (the record of a skipped primary).
    primary_decision = fields.CharField(max_length=20, null=True)
    primary_nominees = fields.IntField(null=True)
    primary_round = fields.CharField(max_length=64, null=True)  # the ballot box's round id
    # The primary's result for this post (status, elected in order, totals), once counted.
    primary_result = fields.JSONField(null=True)

    class Meta:
        table = "elections_post"
        unique_together = (("election", "post"),)


class CommitteeMember(Model):
    """A member of the election committee (选举委员会). One who accepts a nomination leaves
    (E4): ``left_at`` and ``left_reason`` say when and why, and the row stays visible."""

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name="committee")
    person_id = fields.BigIntField(db_index=True)
    name = fields.CharField(max_length=64)
    chair = fields.BooleanField(default=False)
    joined_at = fields.DatetimeField()
    left_at = fields.DatetimeField(null=True)
    left_reason = fields.CharField(max_length=32, default="")  # NOMINATED, ...

    class Meta:
        table = "elections_committee_member"
        unique_together = (("election", "person_id"),)
