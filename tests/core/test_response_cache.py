"""The response cache's own rules (core/response_cache.py); booking's tests hold it end to end
(tests/plugins/booking/test_booking_cache*.py)."""

from __future__ import annotations

from graphql import parse

from linli.core import events
from linli.core.response_cache import ResponseCache, root_fields


def keep(cache: ResponseCache, n: int, body: bytes, sent: bytes = b"{}") -> bool:
    return cache.put(("POST", sent + str(n).encode(), "json", "zh-CN", ("anonymous",)),
                     cache.generation, 200, [], body)  # fmt: skip


def test_kept_answers_are_bounded_in_bytes_the_oldest_going_first():
    cache = ResponseCache(60, max_bytes=10_000)
    for n in range(30):
        assert keep(cache, n, b"x" * 1_000)
    assert cache.bytes <= 10_000 and len(cache) == 9  # 9 × (1,000 + the request's 3 bytes)
    assert cache.get(("POST", b"{}29", "json", "zh-CN", ("anonymous",))) is not None
    assert cache.get(("POST", b"{}0", "json", "zh-CN", ("anonymous",))) is None
    keep(cache, 29, b"y" * 10)  # kept again: its old size is given back
    assert cache.bytes == 8 * 1_004 + 14


def test_an_answer_read_across_an_invalidation_is_not_kept():
    cache = ResponseCache(60)
    began = cache.generation
    cache.invalidate()
    assert not cache.put(("GET", b"q", "json", "en", ("anonymous",)), began, 200, [], b"{}")
    assert len(cache) == 0 and cache.bytes == 0


async def test_every_event_on_the_bus_empties_it():
    bus = events.LocalBus()
    cache = ResponseCache(60, bus=bus)
    keep(cache, 1, b"{}")
    await bus.send(events.Event(topic="anything.at.all", payload={}))
    assert len(cache) == 0
    cache.close()


def test_root_fields_follow_fragments_and_pick_the_named_operation():
    document = parse(
        "query A { ...F slots { id } } fragment F on Query { me { id } } "
        "mutation B { logout { ok } }"
    )
    assert root_fields(document, "A") == {"me", "slots"}
    assert root_fields(document, "B") is None  # a mutation is never kept
    assert root_fields(document, None) is None  # two operations, none named
    assert root_fields(parse("{ ... on Query { slots { id } } }"), None) == {"slots"}
