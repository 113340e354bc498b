"""A plugin's own tests, run as its author runs them: ``pytest`` in a subprocess, in the
plugin's folder, with its own pyproject.toml as the only configuration (no [tool.pytest]
there: linli.testing configures what it needs itself)."""

from __future__ import annotations

import os
import subprocess
import sys
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
