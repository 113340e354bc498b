from tortoise import migrations
from tortoise.migrations import operations as ops
from linli.plugins.elections.models.ballots import random_key
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields



async def ballots_without_rowid(apps, editor):
    """E8 on SQLite: the ballot table becomes a B-tree keyed by its random id (WITHOUT ROWID),
    so its order on disk is random, not the order ballots were cast in. The table is empty
    here: it is made again from its own CREATE statement, with the clause added."""
    client = editor.client
    if client.capabilities.dialect != "sqlite":
        return
    rows = await client.execute_query_dict(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'elections_ballot'")
    create = rows[0]["sql"].rstrip().rstrip(";")
    indexes = await client.execute_query_dict(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'elections_ballot' "
        "AND sql IS NOT NULL")
    script = ['DROP TABLE "elections_ballot"', create + " WITHOUT ROWID"]
    script += [row["sql"] for row in indexes]
    await client.execute_script(";\n".join(script) + ";")


class Migration(migrations.Migration):
    dependencies = [('elections', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PublishedBundle',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('election', fields.ForeignKeyField('elections.Election', source_field='election_id', db_constraint=True, to_field='id', related_name='bundles', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=32)),
                ('outcome', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('body', fields.BinaryField()),
                ('sha256', fields.CharField(max_length=64)),
                ('published_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'elections_bundle', 'app': 'elections', 'unique_together': (('election', 'name'),), 'pk_attr': 'id', 'table_description': 'A published bundle (E9): its canonical bytes, sha256 and outcome. ``name`` is'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RecallProposal',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('election', fields.ForeignKeyField('elections.Election', source_field='election_id', db_constraint=True, to_field='id', related_name='recalls', on_delete=OnDelete.CASCADE)),
                ('person_id', fields.BigIntField()),
                ('reason', fields.CharField(max_length=500)),
                ('proposed_by_person_id', fields.BigIntField()),
                ('signatures', fields.IntField(default=0)),
                ('status', fields.CharField(default='OPEN', max_length=10)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'elections_recall_proposal', 'app': 'elections', 'pk_attr': 'id', 'table_description': 'E17: a proposal to recall a member, signed in the app by voters on the roll.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RecallSignature',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('proposal', fields.ForeignKeyField('elections.RecallProposal', source_field='proposal_id', db_constraint=True, to_field='id', related_name='signed', on_delete=OnDelete.CASCADE)),
                ('person_id', fields.BigIntField()),
            ],
            options={'table': 'elections_recall_signature', 'app': 'elections', 'unique_together': (('proposal', 'person_id'),), 'pk_attr': 'id', 'table_description': "One voter's signature under a recall proposal: one per voter and proposal."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VotingRound',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('election', fields.ForeignKeyField('elections.Election', source_field='election_id', db_constraint=True, to_field='id', related_name='rounds', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('kind', fields.CharField(max_length=12)),
                ('parent_number', fields.IntField(null=True)),
                ('posts', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('candidates', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('signatures', fields.IntField(null=True)),
                ('recall_person_id', fields.BigIntField(null=True)),
                ('status', fields.CharField(default='OPEN', max_length=8)),
                ('open_key', fields.CharField(null=True, max_length=4)),
                ('opened_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'elections_round', 'app': 'elections', 'unique_together': (('election', 'number'), ('election', 'open_key')), 'pk_attr': 'id', 'table_description': 'One round of the one ballot box: primary, main, tie vote, runoff or recall.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Ballot',
            fields=[
                ('id', fields.CharField(primary_key=True, default=random_key, unique=True, db_index=True, max_length=32)),
                ('round', fields.ForeignKeyField('elections.VotingRound', source_field='round_id', db_constraint=True, to_field='id', related_name='ballots', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=16)),
                ('marks', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('write_ins', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'elections_ballot', 'app': 'elections', 'unique_together': (('round', 'code'),), 'pk_attr': 'id', 'table_description': 'What one ballot chose: marks (candidate id to FOR, AGAINST or ABSTAIN) and write-ins'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PaperEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('round', fields.ForeignKeyField('elections.VotingRound', source_field='round_id', db_constraint=True, to_field='id', related_name='paper_entries', on_delete=OnDelete.CASCADE)),
                ('sheet', fields.IntField()),
                ('slot', fields.CharField(max_length=1)),
                ('teller_account_id', fields.BigIntField()),
                ('marks', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('write_ins', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('status', fields.CharField(default='SINGLE', max_length=10)),
            ],
            options={'table': 'elections_paper_entry', 'app': 'elections', 'unique_together': (('round', 'sheet', 'slot'),), 'pk_attr': 'id', 'table_description': "One teller's entry of one paper ballot (sheet) of a polling station. Two tellers enter"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Participation',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('round', fields.ForeignKeyField('elections.VotingRound', source_field='round_id', db_constraint=True, to_field='id', related_name='participations', on_delete=OnDelete.CASCADE)),
                ('person_id', fields.BigIntField()),
                ('channel', fields.CharField(max_length=16)),
                ('cast_by_person_id', fields.BigIntField(null=True)),
                ('recorded_by_account_id', fields.BigIntField(null=True)),
                ('scrutineers', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'elections_participation', 'app': 'elections', 'unique_together': (('round', 'person_id'),), 'pk_attr': 'id', 'table_description': 'Who voted in a round, and how (E7): the only row that names a voter.'},
            bases=['Model'],
        ),
        ops.RunPython(ballots_without_rowid, ops.RunPython.noop),
    ]
