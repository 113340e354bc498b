"""``linli`` with the garbage collector watched: every collection of the oldest generation
(a full pass) longer than 5 ms is written to stderr as ``gcwatch gen2 <ms> ms``, so a bench
can say whether a full-GC pause sat in the path it measured.

    python bench/gcwatch.py serve --host 127.0.0.1 --port 8000   (any linli command)
"""

from __future__ import annotations

import gc
import sys
import time

_started: list[float] = []


def _watch(phase: str, info: dict) -> None:
    if info.get("generation") != 2:
        return
    if phase == "start":
        _started.append(time.perf_counter())
    elif _started:
        pause = (time.perf_counter() - _started.pop()) * 1000
        if pause >= 5:
            print(f"gcwatch gen2 {pause:.0f} ms", file=sys.stderr, flush=True)


if __name__ == "__main__":
    gc.callbacks.append(_watch)
    from linli.core.cli import main

    sys.argv = ["linli", *sys.argv[1:]]
    main()
