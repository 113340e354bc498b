"""The demo's counted twin of the 番禺路社区 election: seeded through the ballot box, its
published bundle accepted by ``linli elections verify``; seeding again adds nothing."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys

from rich.console import Console


async def test_E9_demo_twin_is_counted_and_its_bundle_verifies(linli_app, tmp_path):
    from linli.core.identity.demo import seed_identity
    from linli.plugins.elections.models import Election, PublishedBundle
    from linli.plugins.elections.service.demo_count import TITLE, seed_counted_election

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
