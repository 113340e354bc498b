"""What an installed plugin adds to the product's schema, as SDL the SDK's codegen reads beside
schema/schema.graphql: its own types whole, and ``extend type Query/Mutation/Subscription``
with its root fields. The notices example plugin is not in the checked-in schema (the
product's, docs/architecture.md), so the SDK types its operations from this file.

    .venv/bin/python clients/typescript/scripts/plugin_sdl.py notices            # writes
    .venv/bin/python clients/typescript/scripts/plugin_sdl.py notices --check    # exit 1 if stale

Only the plugin's part is written, so another module's schema change leaves it current;
tests/clients/test_plugin_sdl.py runs the check.
"""

from __future__ import annotations

import sys
from pathlib import Path

from graphql import parse
from graphql.language import ObjectTypeDefinitionNode

ROOTS = ("Query", "Mutation", "Subscription")
HERE = Path(__file__).resolve().parents[1] / "schema"


def _text(sdl: str, node) -> str:
    return sdl[node.loc.start : node.loc.end]


def extension_sdl(plugin: str) -> str:
    """The SDL the plugin adds to core and the built-in plugins (``linli export-schema``'s)."""
    from linli.core.cli import product_sdl

    base_sdl, full_sdl = product_sdl([]), product_sdl([plugin])
    base = {d.name.value: d for d in parse(base_sdl).definitions if hasattr(d, "name")}
    out = [f"# What the {plugin} plugin adds to schema/schema.graphql: written by"]
    out.append(f"# clients/typescript/scripts/plugin_sdl.py {plugin} (do not edit).\n")
    for node in parse(full_sdl).definitions:
        name = node.name.value
        if name in ROOTS and isinstance(node, ObjectTypeDefinitionNode) and name in base:
            known = {f.name.value for f in base[name].fields}
            added = [f for f in node.fields if f.name.value not in known]
            if added:
                fields = "\n\n".join("  " + _text(full_sdl, f) for f in added)
                out.append(f"extend type {name} {{\n{fields}\n}}\n")
        elif name not in base:
            out.append(_text(full_sdl, node) + "\n")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    plugin = argv[0]
    target = HERE / f"{plugin}.graphql"
    sdl = extension_sdl(plugin)
    if "--check" in argv:
        if not target.exists() or target.read_text(encoding="utf-8") != sdl:
            print(f"{target} is stale: run scripts/plugin_sdl.py {plugin}", file=sys.stderr)
            return 1
        print(f"{target} is current")
        return 0
    HERE.mkdir(exist_ok=True)
    target.write_text(sdl, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
