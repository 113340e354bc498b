"""Building rounds and ballots for the count's tests, and running both implementations.

``spread`` hands out FOR votes over ballots round-robin, so that a candidate's votes land on
distinct ballots and no ballot chooses more than ``ceil(sum / n)`` people per post.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from linli.plugins.elections import verify
from linli.plugins.elections.rules.bundle import write_bundle
from linli.plugins.elections.rules.model import (
    Ballot,
    Candidate,
    CountSettings,
    Kind,
    Post,
    Round,
    Seats,
)
from linli.plugins.elections.rules.rounds import (
    ElectionResult,
    Expected,
    RoundInput,
    count_election,
)

VERIFY_PY = Path(verify.__file__)
D, DD, M = Post.DIRECTOR, Post.DEPUTY_DIRECTOR, Post.MEMBER


def code(i: int, prefix: str = "") -> str:
    return f"{prefix}{i:08d}"


def spread(n: int, votes: Mapping[str, int], choice: str = "FOR") -> list[dict[str, str]]:
    """n ballots' marks giving each candidate id its number of FOR votes."""
    marks: list[dict[str, str]] = [{} for _ in range(n)]
    slot = 0
    for cid, v in votes.items():
        assert v <= n
        for _ in range(v):
            marks[slot % n][cid] = choice
            slot += 1
    return marks


def ballots(marks: Sequence[Mapping[str, str]], write_ins=None, prefix: str = "") -> list[Ballot]:
    write_ins = write_ins or {}
    return [Ballot(code(i, prefix), dict(m), tuple(write_ins.get(i, ()))) for i, m in
            enumerate(marks)]


def candidates(post: Post, *persons: str, prefix: str = "") -> tuple[Candidate, ...]:
    return tuple(Candidate(f"{prefix}{post}:{p}", p, post, name=p) for p in persons)


def cid(post: Post, person: str, prefix: str = "") -> str:
    return f"{prefix}{post}:{person}"


def main_round(posts: Sequence[Seats], cands: Sequence[Candidate], rid: str = "main") -> Round:
    return Round(rid, Kind.MAIN, tuple(posts), tuple(cands))


def round_for(e: Expected, rid: str) -> Round:
    """The round the state machine asks for, with candidate ids prefixed by the round id."""
    cands = []
    for s in e.posts:
        cands += candidates(s.post, *sorted(e.persons[s.post]), prefix=f"{rid}/")
    return Round(rid, e.kind, e.posts, tuple(cands), parent=e.parent)


def inp(round_: Round, bs: Sequence[Ballot], voters: int | None = None,
        eligible=frozenset()) -> RoundInput:
    voters = len(bs) if voters is None else voters
    return RoundInput(round_, {"ONLINE": voters}, list(bs), eligible)


def count(posts, rounds, roll, settings=None) -> ElectionResult:
    return count_election(tuple(posts), rounds, roll_size=roll,
                          settings=settings or CountSettings())


def bundle_bytes(posts, rounds, roll, settings=None, result=None) -> bytes:
    settings = settings or CountSettings()
    result = result or count(posts, rounds, roll, settings)
    out = io.BytesIO()
    write_bundle(out, election={"id": "E-test", "title": "测试选举"}, posts=tuple(posts),
                 settings=settings, roll_size=roll, rounds=rounds, result=result)
    return out.getvalue()


def verify_file(path: Path) -> list[str]:
    """The verifier as a module: the list of differences (empty: verified)."""
    return verify.verify(str(path))


def verify_cli(path: Path) -> subprocess.CompletedProcess:
    """The verifier as anyone runs it: isolated interpreter, no site-packages, no linli."""
    return subprocess.run([sys.executable, "-I", "-S", str(VERIFY_PY), str(path)],
                          capture_output=True, text=True, cwd=path.parent, timeout=60)


def load(path: Path) -> dict:
    return json.loads(path.read_bytes())
