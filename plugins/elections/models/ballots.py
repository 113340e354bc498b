"""The ballot box (E7, E8, E9, E11, E12, E17): rounds, who voted, what was chosen.

Secrecy is the shape of these tables (docs/plugins/elections-threat-model.md):

- ``Participation`` says who voted in a round and through which channel. One row per (round,
  person), a unique key: E7 is the database's, whatever races.
- ``Ballot`` says what was chosen. Its key is random (never a sequence), it has no person,
  no account, no timestamp, no channel and no order of its own: nothing in the row joins it
  to a participation written in the same transaction. On SQLite the table is WITHOUT ROWID
  keyed by that random id (migration 0002), so its B-tree order on disk is random too. On
  PostgreSQL the heap keeps insertion order and a row's xmin names its transaction, so the
  service reseals a round's ballots (moved in tracking-code order by one transaction) while
  it is open and at its close.
- ``PaperEntry`` is one teller's entry of one paper ballot taken out of the box at a polling
  station (two tellers, double entry). Sheets are numbered as they come out of the mixed box,
  so a sheet number says nothing of who put it in.

Never put a semicolon in a docstring here: Tortoise's migration writer breaks on it.
"""

from __future__ import annotations

import secrets

from tortoise import fields
from tortoise.models import Model


def random_key() -> str:
    """A ballot's key: 128 random bits, so the key's order says nothing of the cast order."""
    return secrets.token_hex(16)


class VotingRound(Model):
    """One round of the one ballot box: primary, main, tie vote, runoff or recall.

    ``number`` orders an election's rounds (the bundle's round id is ``R<number>``).
    ``posts`` and ``candidates`` are what the round's ballot lists, frozen when it opens
    (``rules.model.Seats`` and ``Candidate`` as JSON). ``status``: OPEN while voting, CLOSED
    once counted (TALLYING between: no more casts, the tellers enter the paper ballots).
    ``signatures``: a recall's proposal, with the member it is about.
    """

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name="rounds")
    number = fields.IntField()
    kind = fields.CharField(max_length=12)
    parent_number = fields.IntField(null=True)
    posts = fields.JSONField(default=list)
    candidates = fields.JSONField(default=list)
    signatures = fields.IntField(null=True)
    recall_person_id = fields.BigIntField(null=True)
    status = fields.CharField(max_length=8, default="OPEN")  # OPEN, TALLYING, CLOSED
    # "OPEN" until the round is counted, then NULL: one round at a time per election, held
    # by the unique key whatever races (NULLs never collide).
    open_key = fields.CharField(max_length=4, null=True)
    opened_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "elections_round"
        unique_together = (("election", "number"), ("election", "open_key"))

    @property
    def label(self) -> str:
        return f"R{self.number}"


class Participation(Model):
    """Who voted in a round, and how (E7): the only row that names a voter.

    ``cast_by_person_id``: the proxy holder who cast it (E10). ``recorded_by_account_id``:
    the staff member who recorded it (mobile box, polling station sign-in). ``scrutineers``:
    the mobile box's scrutineers' person ids (E11). No ballot key is stored here.
    """

    id = fields.BigIntField(primary_key=True)
    round = fields.ForeignKeyField("elections.VotingRound", related_name="participations")
    person_id = fields.BigIntField()
    channel = fields.CharField(max_length=16)
    cast_by_person_id = fields.BigIntField(null=True)
    recorded_by_account_id = fields.BigIntField(null=True)
    scrutineers = fields.JSONField(null=True)

    class Meta:
        table = "elections_participation"
        unique_together = (("round", "person_id"),)


class Ballot(Model):
    """What one ballot chose: marks (candidate id to FOR, AGAINST or ABSTAIN) and write-ins
    (post and person). Random key, no voter, no time, no channel (E8). ``code`` is the
    tracking code given to the voter once (E9), unique in the round."""

    id = fields.CharField(max_length=32, primary_key=True, default=random_key)
    round = fields.ForeignKeyField("elections.VotingRound", related_name="ballots",
                                   db_index=False)
    code = fields.CharField(max_length=16)
    marks = fields.JSONField(default=dict)
    write_ins = fields.JSONField(default=list)

    class Meta:
        table = "elections_ballot"
        unique_together = (("round", "code"),)


class PaperEntry(Model):
    """One teller's entry of one paper ballot (sheet) of a polling station. Two tellers enter
    each sheet (slot A and B): equal entries make the ballot, different ones stay MISMATCH
    until the tellers enter the sheet again, and a round with a sheet not MATCHED is not
    counted. ``status`` is the sheet's, kept on both entries."""

    id = fields.BigIntField(primary_key=True)
    round = fields.ForeignKeyField("elections.VotingRound", related_name="paper_entries")
    sheet = fields.IntField()
    slot = fields.CharField(max_length=1)
    teller_account_id = fields.BigIntField()
    marks = fields.JSONField(default=dict)
    write_ins = fields.JSONField(default=list)
    status = fields.CharField(max_length=10, default="SINGLE")

    class Meta:
        table = "elections_paper_entry"
        unique_together = (("round", "sheet", "slot"),)


class RecallProposal(Model):
    """E17: a proposal to recall a member, signed in the app by voters on the roll."""

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name="recalls")
    person_id = fields.BigIntField()
    reason = fields.CharField(max_length=500)
    proposed_by_person_id = fields.BigIntField()
    signatures = fields.IntField(default=0)
    status = fields.CharField(max_length=10, default="OPEN")  # OPEN, VOTING, DONE
    created_at = fields.DatetimeField()

    class Meta:
        table = "elections_recall_proposal"


class RecallSignature(Model):
    """One voter's signature under a recall proposal: one per voter and proposal."""

    id = fields.BigIntField(primary_key=True)
    proposal = fields.ForeignKeyField("elections.RecallProposal", related_name="signed")
    person_id = fields.BigIntField()

    class Meta:
        table = "elections_recall_signature"
        unique_together = (("proposal", "person_id"),)


class PublishedBundle(Model):
    """A published bundle (E9): its canonical bytes, sha256 and outcome. ``name`` is
    ``election`` for the election's rounds (rewritten at each count: a runoff adds its round)
    or ``recall-<proposal>`` for a recall vote."""

    id = fields.BigIntField(primary_key=True)
    election = fields.ForeignKeyField("elections.Election", related_name="bundles")
    name = fields.CharField(max_length=32)
    outcome = fields.JSONField(default=dict)
    body = fields.BinaryField()
    sha256 = fields.CharField(max_length=64)
    published_at = fields.DatetimeField()

    class Meta:
        table = "elections_bundle"
        unique_together = (("election", "name"),)

