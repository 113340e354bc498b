"""The garbage collector and 10,000 idle subscribers (used by core/graphql/fanout.py).

Each idle socket holds a few hundred long-lived objects; a full collection walks them all
(2–6 s at 10,000 on a loaded machine), whoever triggered it. Two rules keep those passes out
of the way: none runs while a fan-out writes its frames (``paused``), and the idle sockets'
objects are frozen once they have settled (``settler``), so full passes walk only what
came after.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Iterator

log = logging.getLogger("linli.fanout")

_pausing = {"depth": 0, "was_enabled": False}


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No garbage collection while frames go out: what a fan-out allocates dies young (its
    reference counts free it), and a full pass over the objects of 10,000 idle sockets would
    stop every one of them for a second. Nested fan-outs (several groups at once) share one
    pause; the collector runs again as the last one ends."""
    if _pausing["depth"] == 0:
        _pausing["was_enabled"] = gc.isenabled()
        gc.disable()
    _pausing["depth"] += 1
    try:
        yield
    finally:
        _pausing["depth"] -= 1
        if _pausing["depth"] == 0 and _pausing["was_enabled"]:
            gc.enable()


class Settler:
    """Idle subscribers out of the collector's sight. What 10,000 sockets hold (~5 million
    objects) made every full collection walk them all: 2–6 s pauses, in the middle of a
    fan-out or of a request. A second after a burst of subscribers stops growing, the
    young generations are collected and what survives is frozen (``gc.freeze``, as after
    start-up): full passes then walk only what came later. Frozen objects that turn into
    cyclic garbage (sockets that closed) wait for the next thaw: once as many members have
    left as had been frozen, the settle thaws, collects fully once (at a quiet moment, a heap
    that has shrunk) and freezes again."""

    EVERY = 256  # joins since the last settle that call for one
    DELAY = 1.0  # seconds without a join before it runs

    def __init__(self) -> None:
        self.joins = self.frozen = self.gone = 0
        self.timer: asyncio.TimerHandle | None = None

    def joined(self) -> None:
        self.joins += 1
        if self.joins >= self.EVERY:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = asyncio.get_running_loop().call_later(self.DELAY, self.settle)

    def left(self) -> None:
        if self.frozen:
            self.gone += 1

    def settle(self) -> None:
        self.timer = None
        if _pausing["depth"]:  # a fan-out under way: later
            self.timer = asyncio.get_running_loop().call_later(self.DELAY, self.settle)
            return
        if self.gone and self.gone >= self.frozen:
            gc.unfreeze()
            gc.collect()
            self.frozen = self.gone = 0
        else:
            gc.collect(1)
        gc.freeze()
        self.frozen += self.joins
        self.joins = 0
        log.info("settled: %d objects frozen", gc.get_freeze_count())


settler = Settler()
