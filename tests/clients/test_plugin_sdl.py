"""The SDK types the notices example plugin's operations from clients/typescript/schema/
notices.graphql: what the plugin adds to the product's schema (scripts/plugin_sdl.py). It is
current, it holds the plugin's part only, and with schema/schema.graphql it is the schema a
server with the plugin installed serves. Python alone: the same check the SDK's codegen
relies on, without Node."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from graphql import build_schema, parse
from graphql.utilities import find_breaking_changes

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "plugin_sdl", ROOT / "clients" / "typescript" / "scripts" / "plugin_sdl.py"
)
plugin_sdl = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(plugin_sdl)  # type: ignore[union-attr]

CHECKED_IN = ROOT / "clients" / "typescript" / "schema" / "notices.graphql"


def test_the_notices_sdl_the_sdk_reads_is_current() -> None:
    assert plugin_sdl.main(["notices", "--check"]) == 0, "run scripts/plugin_sdl.py notices"


def test_it_is_the_plugins_part_only_and_completes_the_product_schema() -> None:
    from linli.core.cli import product_sdl

    extension = CHECKED_IN.read_text(encoding="utf-8")
    names = {d.name.value for d in parse(extension).definitions}
    assert names == {
        "Query", "Mutation", "Subscription", "Notice", "NoticeConnection", "NoticeEdge",
        "PostNoticeError", "PostNoticeErrorCode", "PostNoticeInput", "PostNoticePayload",
    }  # fmt: skip
    base = (ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")
    together = build_schema(base + "\n" + extension)
    served = build_schema(product_sdl(["notices"]))
    assert find_breaking_changes(served, together) == []
    assert find_breaking_changes(together, served) == []
    assert {"notices", "node"} <= set(together.query_type.fields)
