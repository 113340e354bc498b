"""Lists linli's packages: the folders core/, plugins/ and schema/ install as linli.core,
linli.plugins and linli.schema (package-dir in pyproject.toml). Walking them here means a new
plugin or sub-package needs no edit to the packaging.

A package is any folder holding Python files, with or without ``__init__.py``: a folder
without one (a namespace package) imports fine from an editable install, so the wheel must
carry it too."""

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
        folders = {path.parent for path in Path(folder).rglob("*.py")}
        for package in sorted(folders):
            parts = package.relative_to(folder).parts
            if "__pycache__" not in parts:
                found.append(".".join((name, *parts)))
    return found


setup(packages=packages())
