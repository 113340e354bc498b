"""The fragment-doubling document: how long the server takes to refuse it, against graphql-core.

``fragment F0 on ServerInfo { version }``, then each ``F<i>`` spreads ``F<i-1>`` twice, and the
query spreads the last (finding 8.1: 2^n fields once expanded, ~10 tokens a fragment). For n
fragments it times, in one run on one schema (core and the installed plugins):

- linli: the whole path the server takes before answering, ``schema.execute`` (token limit,
  parse, every validation rule including the depth/alias/cost limits; refused with
  QUERY_TOO_COMPLEX), each repeat a new operation name so no cache answers;
- graphql-core: ``graphql.validate`` of the same parsed document with graphql-core's own rules
  only (the baseline: what validation costs without Linli's limits);
- with ``--old``, strawberry's depth and alias validators (what main had) at a few small n,
  to show the doubling they had.

and prints the times and the ratio linli / graphql-core.

    python bench/fragments.py [--counts 20,25,40] [--repeat 20] [--old 12,14,16]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from types import SimpleNamespace
from typing import Any

from graphql import parse, specified_rules, validate


def document(count: int) -> str:
    fragments = ["fragment F0 on ServerInfo { version }"]
    fragments += [
        f"fragment F{i} on ServerInfo {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, count)
    ]
    return f"query {{ serverInfo {{ ...F{count - 1} }} }} " + " ".join(fragments)


def schema() -> Any:
    from linli.core.plugins import load_plugins
    from linli.core.settings import Settings
    from linli.schema import build_schema

    settings = Settings(secret_key="bench", periodic_tasks=False)
    return build_schema(load_plugins(settings), settings), settings


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def time_linli(strawberry_schema: Any, settings: Any, text: str, repeat: int) -> float:
    context = SimpleNamespace(settings=settings, locale="en", request_id="bench")

    async def run() -> list[float]:
        samples = []
        for i in range(repeat):
            started = time.perf_counter()
            # A new operation name each time: neither the parser's nor the validation cache
            # (keyed by the document's structure, so a comment would not do) answers.
            varied = text.replace("query {", f"query Q{i} {{", 1)
            result = await strawberry_schema.execute(varied, context_value=context)
            samples.append(time.perf_counter() - started)
            codes = [(e.extensions or {}).get("code") for e in result.errors or ()]
            assert codes == ["QUERY_TOO_COMPLEX"], result.errors
        return samples

    return median_ms(asyncio.run(run()))


def time_graphql_core(core_schema: Any, text: str, repeat: int) -> float:
    doc = parse(text)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        validate(core_schema, doc, specified_rules)
        samples.append(time.perf_counter() - started)
    return median_ms(samples)


def time_old_rules(core_schema: Any, settings: Any, text: str) -> float:
    from strawberry.extensions.max_aliases import create_validator as aliases_rule
    from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

    limits = settings.limits
    rules = [depth_rule(limits.max_depth, None), aliases_rule(limits.max_aliases)]
    doc = parse(text)
    started = time.perf_counter()
    validate(core_schema, doc, rules)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--counts", default="20,25,40")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--old", default="", help="fragment counts for strawberry's old rules")
    args = parser.parse_args()
    strawberry_schema, settings = schema()
    core_schema = strawberry_schema._schema
    print(f"{'fragments':>9} {'linli refuses':>14} {'graphql-core validates':>23} {'ratio':>7}")
    for count in (int(n) for n in args.counts.split(",")):
        text = document(count)
        ours = time_linli(strawberry_schema, settings, text, args.repeat)
        theirs = time_graphql_core(core_schema, text, args.repeat)
        print(f"{count:>9} {ours:>11.2f} ms {theirs:>20.2f} ms {ours / theirs:>6.2f}x")
    for count in (int(n) for n in args.old.split(",") if n):
        text = document(count)
        old = time_old_rules(core_schema, settings, text)
        theirs = time_graphql_core(core_schema, text, args.repeat)
        print(f"{count:>9} old rules {old:>8.1f} ms {theirs:>20.2f} ms {old / theirs:>6.1f}x")


if __name__ == "__main__":
    main()
