"""``linli new-plugin NAME``: a new plugin package written from the template in this folder.

The template is the example plugin's shape (examples/linli-notices) with one table of items:
the rooms every plugin has (``__init__.py`` hookimpls, models.py, rules.py, service.py,
api.py, messages.json, migrations/ with a first migration), its own ``tests/`` using
linli.testing, and a pyproject.toml with the entry point and the package data, so it installs
and passes its tests as written. Files ending in ``.tmpl`` are ``string.Template`` texts
(``$name``, ``$package``, ``$dist``, ``$Title``, ``$camel``); the rest are copied as they are.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).with_name("plugin")
NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


@dataclass(frozen=True)
class Names:
    """Every spelling of a plugin's name the template needs."""

    name: str  # the plugin's name: entry point, app label, permission and event prefix
    package: str  # its Python package
    dist: str  # its distribution on PyPI
    title: str  # its GraphQL type prefix
    camel: str  # its GraphQL field prefix

    @classmethod
    def of(cls, raw: str) -> Names:
        name = raw.strip().lower().replace("-", "_")
        if not NAME.match(name) or name in {"core", "linli"}:
            raise ValueError(
                f"{raw!r}: a plugin name is 2-31 lowercase letters, digits and _ (or -), "
                "starting with a letter, and not core"
            )
        title = "".join(part.capitalize() for part in name.split("_"))
        dist = f"linli-{name.replace('_', '-')}"
        return cls(name, f"linli_{name}", dist, title, title[0].lower() + title[1:])


def write_plugin(raw_name: str, parent: Path) -> Path:
    """Write the new plugin's folder ``parent/linli-<name>``; FileExistsError if it exists."""
    names = Names.of(raw_name)
    root = parent / names.dist
    if root.exists():
        raise FileExistsError(f"{root} exists")
    values = {
        "name": names.name,
        "package": names.package,
        "dist": names.dist,
        "Title": names.title,
        "camel": names.camel,
    }
    for source in sorted(TEMPLATE.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        parts = list(source.relative_to(TEMPLATE).parts)
        if parts[0] == "package":
            parts[0] = names.package
        target = root.joinpath(*parts[:-1], parts[-1].removesuffix(".tmpl"))
        target.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        if source.suffix == ".tmpl":
            text = string.Template(text).substitute(values)
        target.write_text(text, encoding="utf-8")
    return root
