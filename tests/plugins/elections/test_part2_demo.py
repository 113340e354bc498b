"""The demo's counted twin of the 番禺路社区 election: seeded through the ballot box, its
published bundle accepted by ``linli elections verify``; seeding again adds nothing."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys

from rich.console import Console

import linli.plugins.elections as elections_package

VERIFY = os.path.join(os.path.dirname(elections_package.__file__), "verify.py")


async def test_E9_demo_twin_is_counted_and_its_bundle_verifies(linli_app, tmp_path):
    from linli.core.identity.demo import seed_identity
    from linli.plugins.elections.demo.counted import TITLE, seed_counted_election
    from linli.plugins.elections.models import Election, PublishedBundle

    console = Console(file=io.StringIO())
    await seed_identity(console)
    await seed_counted_election(console)
    await seed_counted_election(console)  # again: nothing more
    assert await Election.filter(title=TITLE).count() == 1
    bundle = await PublishedBundle.get(election__title=TITLE)
    assert bundle.outcome["status"] == "COMPLETE"
    path = tmp_path / "demo.json"
    path.write_bytes(bytes(bundle.body))
    linli = os.path.join(os.path.dirname(sys.executable), "linli")
    done = await asyncio.to_thread(subprocess.run, [linli, "elections", "verify", str(path)],
                                   capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr + done.stdout


async def test_E5_demo_primary_is_cast_and_counted_through_the_ballot_box(linli_app, tmp_path):
    from linli.core.identity.demo import seed_identity
    from linli.plugins.elections.demo import TITLE, seed_elections
    from linli.plugins.elections.models import (
        Ballot,
        Candidate,
        Election,
        Participation,
        PublishedBundle,
    )
    from linli.plugins.elections.models.ballots import VotingRound

    console = Console(file=io.StringIO())
    await seed_identity(console)
    await seed_elections(console)
    election = await Election.get(title=TITLE, community__name="番禺路社区")
    assert election.phase == "SLATE_PUBLISHED"
    (primary,) = await VotingRound.filter(election_id=election.pk)
    assert (primary.kind, primary.status, primary.open_key) == ("PRIMARY", "CLOSED", None)
    assert await Ballot.filter(round_id=primary.pk).count() == 20
    assert await Participation.filter(round_id=primary.pk).count() == 20
    assert await Candidate.filter(election_id=election.pk, post="MEMBER").count() == 6
    bundle = await PublishedBundle.get(election_id=election.pk)
    assert bundle.outcome["status"] == "NEXT_ROUND"  # the main vote is due
    path = tmp_path / "primary.json"
    path.write_bytes(bytes(bundle.body))
    done = await asyncio.to_thread(subprocess.run, [sys.executable, "-I", "-S", VERIFY, str(path)],
                                   capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr + done.stdout
