"""The elections count on generated ballots: the plugin's count and the standalone verifier.

    python bench/elections_count.py --ballots 1000000        # and a 10x smaller run
    python bench/elections_count.py --ballots 200000 --keep /tmp/bundle.json

An election of 7 seats on 3 posts (1 director, 1 deputy, 5 members; slate 2 + 2 + 7, the
director and deputy candidates also stand as members), carry-down on, ~4 % of ballots with a
write-in (a quarter of them ineligible), ~2 % overvoting the members. Ballots come from a
generator (memory flat) that picks among 4,096 pre-built ballot contents; tracking codes are
the ballot's number in hex, already in code order.

Each step runs in its own process so that its peak RSS (``ru_maxrss`` from ``wait4``) is its
own: the count (and, as a baseline, the generator alone), the count plus writing the bundle,
and the verifier (``python -I -S verify.py``: no site-packages). Flat memory shows as the
same peak at both sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERIFY = ROOT / "plugins" / "elections" / "verify.py"
TEMPLATES = 4096


def election():
    from linli.plugins.elections.rules.model import Candidate, Kind, Post, Round, Seats

    posts = (Seats(Post.DIRECTOR, 1), Seats(Post.DEPUTY_DIRECTOR, 1), Seats(Post.MEMBER, 5))
    people = {Post.DIRECTOR: ["d1", "d2"], Post.DEPUTY_DIRECTOR: ["v1", "v2"],
              Post.MEMBER: ["d1", "d2", "v1", "v2", "m1", "m2", "m3"]}
    cands = tuple(Candidate(f"{post}:{p}", p, post, name=p)
                  for post, ps in people.items() for p in ps)
    return posts, Round("main", Kind.MAIN, posts, cands)


def templates(round_):
    """4,096 ballot contents: marks and write-ins, drawn once with a fixed seed."""
    rnd = random.Random(13)
    by_post = {}
    for c in round_.candidates:
        by_post.setdefault(c.post, []).append(c.id)
    weights = {cid: w for cid, w in zip([c.id for c in round_.candidates],
                                        [5, 3, 4, 3, 2, 2, 2, 2, 6, 5, 1], strict=True)}
    out = []
    for _ in range(TEMPLATES):
        marks = {}
        for s in round_.posts:
            ids = by_post[s.post]
            k = s.seats + (1 if rnd.random() < 0.02 and s.seats > 1 else 0)
            k = min(k, len(ids)) if rnd.random() < 0.8 else rnd.randint(0, min(k, len(ids)))
            chosen = set()
            while len(chosen) < k:
                chosen.add(rnd.choices(ids, [weights[i] for i in ids])[0])
            for cid in ids:
                if cid in chosen:
                    marks[cid] = "FOR"
                elif rnd.random() < 0.3:
                    marks[cid] = rnd.choice(["AGAINST", "ABSTAIN"])
        write_ins = ()
        if rnd.random() < 0.04:
            person = rnd.choice(["w1", "w2", "w3", "x-ineligible"])
            write_ins = (("MEMBER", person),)
            # keep the member section within its seats most of the time
            fors = [c for c in by_post[round_.posts[2].post] if marks.get(c) == "FOR"]
            if fors and rnd.random() < 0.9:
                del marks[fors[0]]
        out.append((marks, write_ins))
    return out


def ballots(n, round_):
    from linli.plugins.elections.rules.model import Ballot

    pool = templates(round_)
    mask = TEMPLATES - 1
    for i in range(n):
        marks, write_ins = pool[(i * 2654435761 >> 7) & mask]
        yield Ballot(f"{i:016X}", marks, write_ins)


ELIGIBLE = frozenset({"w1", "w2", "w3"})


def inputs(n, round_):
    from linli.plugins.elections.rules.rounds import RoundInput

    return [RoundInput(round_, {"ONLINE": n * 9 // 10, "POLLING_STATION": n - n * 9 // 10},
                       lambda: ballots(n, round_), ELIGIBLE)]


def step(name: str, n: int, path: str) -> dict:
    """Run in a child: one measured step."""
    from linli.plugins.elections.rules.bundle import write_bundle
    from linli.plugins.elections.rules.model import CountSettings
    from linli.plugins.elections.rules.rounds import count_election

    posts, round_ = election()
    settings = CountSettings(carry_down=True)
    roll = n * 3 // 2
    start = time.perf_counter()
    extra = {}
    if name == "generate":
        extra["ballots"] = sum(1 for _ in ballots(n, round_))
    elif name in ("count", "count+write"):
        rounds = inputs(n, round_)
        result = count_election(posts, rounds, roll_size=roll, settings=settings)
        extra["elected"] = [[str(p), list(ps)] for p, ps in result.elected]
        extra["counted"] = time.perf_counter() - start
        if name == "count+write":
            with open(path, "wb") as out:
                extra["head"] = write_bundle(out, election={"id": "bench", "title": "基准"},
                                             posts=posts, settings=settings, roll_size=roll,
                                             rounds=rounds, result=result)[0]
            extra["bundle_mb"] = round(os.path.getsize(path) / 1e6, 1)
    return {"seconds": time.perf_counter() - start, **extra}


# The least any verifier does: read every line and chain it (no parsing, no counting).
READ_AND_HASH = """
import hashlib, sys
h = b""
with open(sys.argv[1], "rb") as f:
    for line in f:
        h = hashlib.sha256(h + line).digest()
print(h.hex())
"""


def child_rss(cmd: list[str]) -> tuple[str, float, int, int]:
    """Run cmd, return (output, seconds, peak RSS in MiB, exit status), RSS from wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
    # read all output first (no deadlock), then reap with wait4 to get the child's rusage
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    child_cpu.append(usage.ru_utime + usage.ru_stime)
    return out.decode(), time.perf_counter() - start, usage.ru_maxrss // 1024, proc.returncode


child_cpu: list[float] = []  # CPU seconds of each child, in order (the machine is shared)


def row(step: str, n: int, seconds: float, rss: int) -> str:
    return f"{step:<26}{n:>10,}{seconds:>10.2f}{child_cpu[-1]:>8.2f}{rss:>10}  "


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=0, help="also this size (default: /10)")
    parser.add_argument("--keep", help="write the large bundle here and keep it")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.ballots, args.path)))
        return
    sizes = [args.small or args.ballots // 10, args.ballots]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.1f}")
    print(f"{'step':<26}{'ballots':>10}{'seconds':>10}{'CPU s':>8}{'peak MiB':>10}  notes")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = args.keep if (args.keep and n == sizes[-1]) else str(Path(tmp) / f"{n}.json")
            for name in ("generate", "count", "count+write"):
                out, wall, rss, rc = child_rss([sys.executable, __file__, "--step", name,
                                                "--ballots", str(n), "--path", path])
                if rc != 0:
                    raise SystemExit(f"{name} failed: {out[-500:]}")
                data = json.loads(out.strip().splitlines()[-1])
                note = ""
                if name == "count":
                    note = f"elected {data['elected']}"
                if name == "count+write":
                    note = (f"count {data['counted']:.2f} s, bundle {data['bundle_mb']} MB, "
                            f"head {data['head'][:12]}")
                print(row("plugin " + name, n, data["seconds"], rss) + note)
            out, wall, rss, rc = child_rss([sys.executable, "-I", "-S", "-c", READ_AND_HASH,
                                            path])
            print(row("baseline: lines + sha256", n, wall, rss)
                  + "read the bundle, chain every line (the verifier's floor)")
            out, wall, rss, rc = child_rss([sys.executable, "-I", "-S", str(VERIFY), path])
            print(row("verifier (python -I -S)", n, wall, rss)
                  + f"exit {rc}: {out.strip().splitlines()[-1]}")
            if rc != 0:
                raise SystemExit(out[-2000:])


if __name__ == "__main__":
    main()
