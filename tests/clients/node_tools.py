"""Node for the tests that need it (the graphql-http audit, the SDK's tests, the browser).

Each such test skips, saying why, only when Node or npm is absent; with them, the SDK's
dependencies are installed once (``npm ci`` from the lock file) when they are missing.
Loaded by path (the suite imports test modules with ``--import-mode=importlib``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SDK = ROOT / "clients" / "typescript"
WEB = ROOT / "clients" / "web"
MIN_NODE = 20


def node_major() -> int | None:
    node = shutil.which("node")
    if node is None:
        return None
    out = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    try:
        return int(out.stdout.strip().lstrip("v").split(".")[0])
    except ValueError:
        return None


def require_node() -> str:
    """The node executable, or the test is skipped with the reason."""
    major = node_major()
    if major is None:
        pytest.skip("Node.js is not installed (the SDK, the web app and the audit need it)")
    if major < MIN_NODE:
        pytest.skip(f"Node.js {major} is older than {MIN_NODE}")
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed")
    return shutil.which("node") or "node"


def npm_ci(folder: Path) -> None:
    """``npm ci`` in ``folder`` unless its node_modules matches its lock file already."""
    lock = folder / "package-lock.json"
    stamp = folder / "node_modules" / ".package-lock.json"
    if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    env = {**os.environ, "npm_config_fund": "false", "npm_config_audit": "false"}
    done = subprocess.run(
        ["npm", "ci", "--no-fund", "--no-audit"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"npm ci in {folder} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        )


def sdk_ready() -> str:
    """Node, with the SDK's dependencies installed."""
    node = require_node()
    npm_ci(SDK)
    return node


def run(args: list[str], folder: Path, timeout: float = 600) -> str:
    done = subprocess.run(
        args, cwd=folder, capture_output=True, text=True, check=False, timeout=timeout
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} in {folder} failed:\n{done.stdout[-4000:]}{done.stderr[-4000:]}"
        )
    return done.stdout


def chromium() -> str:
    """Debian's chromium (``apt-get install chromium``; .ci/run installs it), or a skip."""
    path = os.environ.get("LINLI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return path


def web_app_built() -> Path:
    """Node, the SDK built, the web app built (clients/web/dist); the dist folder."""
    sdk_ready()
    run(["npm", "run", "-s", "build"], SDK)
    npm_ci(WEB)
    run(["npm", "run", "-s", "build"], WEB)
    return WEB / "dist"
