"""From the stored ballots to the published bundle (E9, E12–E15): the rounds' plain data,
the plugin's count rules, the canonical bundle with its chain by tracking code.

Ballots are streamed: each round's are read from the database page by page in tracking-code
order (keyset pagination, never an OFFSET) into a spool file of one ballot per line, which the
count and the bundle writer each read once. Memory stays flat in the number of ballots; the
count runs in a worker thread so the server goes on answering.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from typing import Any

from linli.core import kit

from ..models import Election, RollEntry
from ..models.ballots import Ballot, PublishedBundle, VotingRound
from ..rules.bundle import outcome_json, write_bundle
from ..rules.model import Ballot as PlainBallot
from ..rules.rounds import ElectionResult, RoundInput, count_election
from . import rounds as rounds_service
from .turnout import participation

PAGE = 2000
ELECTION = "election"


async def _spool(round_pk: int, folder: str) -> str:
    path = os.path.join(folder, f"{round_pk}.jsonl")
    last = ""
    out = await asyncio.to_thread(open, path, "w", encoding="utf-8")
    try:
        while True:
            rows = await (Ballot.filter(round_id=round_pk, code__gt=last).order_by("code")
                          .limit(PAGE).values_list("code", "marks", "write_ins"))
            page = "".join(json.dumps([code, marks, write_ins], ensure_ascii=False) + "\n"
                           for code, marks, write_ins in rows)
            await asyncio.to_thread(out.write, page)
            if len(rows) < PAGE:
                return path
            last = rows[-1][0]
    finally:
        await asyncio.to_thread(out.close)


def _read(path: str) -> Iterator[PlainBallot]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            code, marks, write_ins = json.loads(line)
            yield PlainBallot(code, marks, tuple((p, q) for p, q in write_ins))


def _ballots(path: str):
    return lambda: _read(path)


async def round_inputs(election: Election, rows: list[VotingRound], folder: str,
                       eligible: frozenset[str]) -> list[RoundInput]:
    inputs = []
    for row in rows:
        path = await _spool(row.pk, folder)
        inputs.append(RoundInput(rounds_service.plain_round(row), await participation(row.pk),
                                 _ballots(path), eligible))
    return inputs


def election_json(election: Election) -> dict[str, Any]:
    return {"id": str(election.pk), "title": election.title,
            "community": str(election.community_id),
            "election_day": election.election_day.isoformat()}


async def publish(election: Election, rows: list[VotingRound], name: str = ELECTION,
                  posts=None) -> PublishedBundle:
    """Count ``rows`` (closed rounds, in order) and store their bundle under ``name``."""
    return (await publish_counted(election, rows, name, posts))[0]


async def publish_counted(election: Election, rows: list[VotingRound], name: str = ELECTION,
                          posts=None) -> tuple[PublishedBundle, ElectionResult]:
    """``publish``, and the count's result (a primary's fixes the slate)."""
    roll = await RollEntry.filter(election_id=election.pk).values_list("person_id", flat=True)
    eligible = frozenset(str(p) for p in roll)
    posts = posts if posts is not None else await rounds_service.election_posts(election)
    settings = election.rules_settings().count()
    with tempfile.TemporaryDirectory(prefix="linli-count-") as folder:
        inputs = await round_inputs(election, rows, folder, eligible)

        def work() -> tuple[bytes, ElectionResult]:
            result = count_election(posts, inputs, roll_size=len(roll), settings=settings)
            out = io.BytesIO()
            write_bundle(out, election=election_json(election), posts=posts, settings=settings,
                         roll_size=len(roll), rounds=inputs, result=result)
            return out.getvalue(), result

        body, result = await asyncio.to_thread(work)
    values = {"body": body, "sha256": hashlib.sha256(body).hexdigest(),
              "outcome": outcome_json(result), "published_at": kit.now()}
    row = await PublishedBundle.get_or_none(election_id=election.pk, name=name)
    if row is None:
        return await PublishedBundle.create(election_id=election.pk, name=name, **values), result
    await PublishedBundle.filter(pk=row.pk).update(**values)
    await row.refresh_from_db()
    return row, result
