"""The roll and what stands on it: roll entries, conflicts, objections, representatives,
nominations, the slate's candidates and proxies (app label ``elections``).

Secrecy (E8) starts here: nothing in these tables names a ballot, and the ballot tables of
part II name none of these rows. The roll says who may vote, never what anyone chose.

One-per-person rules are unique keys, limits are counters taken with one conditional UPDATE
(``kit.Capacity``): ``live_*`` columns hold the key while a row counts and are NULL once it
does not (a declined nomination, a withdrawn proxy), so a unique key on them holds only the
live rows on SQLite and PostgreSQL alike (NULLs never collide). Never put a semicolon in a
docstring here: Tortoise's migration writer breaks on it.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class RollEntry(Model):
    """A voter on an election's roll (E1). The published roll is a document: the name, the
    household and the resident group are copied when the roll is computed, never an ID number
    or a phone."""

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name="roll", db_index=True)
    person_id = fields.BigIntField()
    name = fields.CharField(max_length=64)
    household = fields.CharField(max_length=64, default="")
    resident_group = fields.CharField(max_length=100, default="")  # the person's area (小区)
    added_by_objection_id = fields.BigIntField(null=True)  # E2: put on by an upheld objection

    class Meta:
        table = "elections_roll_entry"
        unique_together = (("election", "person_id"),)


class RollConflict(Model):
    """E1 a person registered in this community and another: staff decide which one counts,
    before the roll is published."""

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name="conflicts")
    person_id = fields.BigIntField()
    community_ids = fields.JSONField(default=list)  # every community the person is registered in
    resolved_community_id = fields.BigIntField(null=True)
    resolved_by_account_id = fields.BigIntField(null=True)
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        table = "elections_roll_conflict"
        unique_together = (("election", "person_id"),)


class Representative(Model):
    """E1 the representative modes: who a household (or a resident group) named to vote."""

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name="representatives")
    unit = fields.CharField(max_length=100)  # the household, or the resident group
    person_id = fields.BigIntField()

    class Meta:
        table = "elections_representative"
        unique_together = (("election", "person_id"),)


class RollObjection(Model):
    """E2 an objection to the roll (someone missing, someone who should not be there), filed
    within its window and decided within its own, the decision published."""

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name="objections")
    kind = fields.CharField(max_length=16)  # MISSING | NOT_ELIGIBLE
    subject_person_id = fields.BigIntField()
    filed_by_person_id = fields.BigIntField(null=True)
    filed_by_account_id = fields.BigIntField()
    reason = fields.CharField(max_length=500, default="")
    status = fields.CharField(max_length=12, default="FILED")  # FILED, UPHELD, REJECTED
    filed_on = fields.DateField()  # local day, opens the decision window
    filed_at = fields.DatetimeField()
    decided_on = fields.DateField(null=True)
    decided_at = fields.DatetimeField(null=True)
    decided_by_account_id = fields.BigIntField(null=True)
    decision_note = fields.CharField(max_length=500, default="")

    class Meta:
        table = "elections_roll_objection"


class Nomination(Model):
    """E4 a nomination for a post: the nominee, the proposer, co-nominators (``Nominator``),
    the nominee's answer. ``live_nominee_id`` is the nominee until it is declined: one live
    nomination per post and nominee."""

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name="nominations")
    post = fields.CharField(max_length=20)
    nominee_person_id = fields.BigIntField()
    live_nominee_id = fields.BigIntField(null=True)
    status = fields.CharField(max_length=24)  # rules.nominations.NominationStatus
    created_at = fields.DatetimeField()
    created_by_account_id = fields.BigIntField()
    answered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "elections_nomination"
        unique_together = (("election", "post", "live_nominee_id"),)


class Nominator(Model):
    """A voter named on a nomination: the proposer (confirmed by making it) or a
    co-nominator, who confirms."""

    id = fields.BigIntField(primary_key=True)
    nomination = fields.ForeignKeyField("elections.Nomination", related_name="nominators")
    person_id = fields.BigIntField(db_index=True)
    proposer = fields.BooleanField(default=False)
    confirmed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "elections_nominator"
        unique_together = (("nomination", "person_id"),)


class NominatorQuota(Model):
    """E4 how many live nominations a voter is named on for a post, never past its seats
    (``kit.Capacity``: one conditional UPDATE, whatever the concurrency)."""

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name=False)
    post = fields.CharField(max_length=20)
    person_id = fields.BigIntField()
    used = fields.IntField(default=0)
    seats = fields.IntField()

    class Meta:
        table = "elections_nominator_quota"
        unique_together = (("election", "post", "person_id"),)


class Candidate(Model):
    """E5 a line of the published slate, in its fixed order (``position``, from 1 per post).
    Part II's ballots mark candidates by this row's id."""

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name="candidates")
    post = fields.CharField(max_length=20)
    person_id = fields.BigIntField()
    name = fields.CharField(max_length=64)
    position = fields.IntField()
    nomination_id = fields.BigIntField(null=True)

    class Meta:
        table = "elections_candidate"
        unique_together = (("election", "post", "person_id"), ("election", "post", "position"))


class Proxy(Model):
    """E10 a written proxy (委托投票) from a voter to a close relative on the roll.

    Recorded by staff from the written form (GRANTED at once) or asked in the app by the
    grantor and accepted by the holder (PENDING, then GRANTED). ``live_grantor_id``: one live
    proxy per grantor."""

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name="proxies")
    grantor_person_id = fields.BigIntField()
    holder_person_id = fields.BigIntField(db_index=True)
    live_grantor_id = fields.BigIntField(null=True)
    relation = fields.CharField(max_length=16)  # rules.proxies.Relation
    via = fields.CharField(max_length=8)  # FORM (staff) | APP (both sides)
    status = fields.CharField(max_length=12)  # PENDING, GRANTED, WITHDRAWN, DECLINED, VOID
    created_at = fields.DatetimeField()
    recorded_by_account_id = fields.BigIntField()
    granted_at = fields.DatetimeField(null=True)
    ended_at = fields.DatetimeField(null=True)

    class Meta:
        table = "elections_proxy"
        unique_together = (("election", "live_grantor_id"),)


class ProxyQuota(Model):
    """E10 how many live proxies a holder holds, never past the limit (``kit.Capacity``)."""

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name=False)
    holder_person_id = fields.BigIntField()
    held = fields.IntField(default=0)
    limit = fields.IntField()

    class Meta:
        table = "elections_proxy_quota"
        unique_together = (("election", "holder_person_id"),)
