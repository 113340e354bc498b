"""Lists linli's packages: the folders core/, plugins/ and schema/ install as linli.core,
linli.plugins and linli.schema (package-dir in pyproject.toml). Walking them here means a new
plugin or sub-package needs no edit to the packaging."""

from pathlib import Path

from setuptools import setup

ROOTS = {
    "linli": "linli",
    "linli.core": "core",
    "linli.plugins": "plugins",
    "linli.schema": "schema",
}


def packages() -> list[str]:
    found = []
    for name, folder in ROOTS.items():
        for init in sorted(Path(folder).rglob("__init__.py")):
            parts = init.parent.relative_to(folder).parts
            if "__pycache__" not in parts:
                found.append(".".join((name, *parts)))
    return found


setup(packages=packages())
