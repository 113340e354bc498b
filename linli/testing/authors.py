"""A plugin's own tests, run as its author runs them: ``pytest`` in a subprocess, in the
plugin's folder, with its own pyproject.toml as the only configuration (no [tool.pytest]
there: linli.testing configures what it needs itself)."""

from __future__ import annotations

import ast
import io
import os
import subprocess
import sys
import tokenize
from pathlib import Path


def run_plugin_tests(
    folder: Path, *, pythonpath: Path | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """``pytest -c pyproject.toml tests`` in ``folder``; ``pythonpath`` first on the path (an
    installed copy of the plugin, say). The test database and bus settings carry over."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "PYTEST"))}
    for name in ("LINLI_TEST_DATABASE_URL", "LINLI_TEST_REDIS_URL"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(pythonpath), env.get("PYTHONPATH")) if p
        )
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-c",
        "pyproject.toml",
    ]
    return subprocess.run(
        [*command, "tests"], cwd=folder, env=env, capture_output=True, text=True, timeout=timeout
    )


def code_lines(source: str) -> int:
    """Lines holding code: not blank, not only a comment, not part of a docstring."""
    docstrings: set[int] = set()
    scopes = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, scopes) and node.body and isinstance(node.body[0], ast.Expr):
            value = node.body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docstrings.update(range(value.lineno, (value.end_lineno or value.lineno) + 1))
    code: set[int] = set()
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in skip and token.type != tokenize.ENDMARKER:
            code.update(range(token.start[0], token.end[0] + 1))
    return len(code - docstrings)


def plugin_code_lines(package: Path) -> dict[str, int]:
    """``code_lines`` of each module of a plugin package, its migrations aside (written by
    ``linli makemigrations``): how big the plugin is to read."""
    files = [p for p in package.rglob("*.py") if "migrations" not in p.relative_to(package).parts]
    return {str(p.relative_to(package)): code_lines(p.read_text(encoding="utf-8")) for p in files}
