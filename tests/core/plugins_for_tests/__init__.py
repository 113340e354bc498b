"""Plugins that exist only for core's tests, added through the ``linli_extra_plugins`` fixture.

Import them as ``plugins_for_tests.<module>`` after putting tests/core on ``sys.path`` (the
test modules do it); the CLI tests install some by entry point through a ``.dist-info``
folder, the path a plugin on PyPI takes.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def importable() -> None:
    """Make ``plugins_for_tests`` importable (tests/core on sys.path)."""
    root = str(HERE.parent)
    if root not in sys.path:
        sys.path.insert(0, root)


def fake_distribution(folder: Path, name: str, entry_points: dict[str, str]) -> Path:
    """Write a ``.dist-info`` into ``folder`` declaring ``linli.plugins`` entry points.

    With ``folder`` on ``sys.path`` (or PYTHONPATH, for a subprocess), importlib.metadata finds
    it exactly as it finds a plugin installed from PyPI: the public discovery path, no mocks.
    """
    dist = folder / f"{name}-0.0.1.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.0.1\n")
    lines = "".join(f"{key} = {value}\n" for key, value in entry_points.items())
    (dist / "entry_points.txt").write_text(f"[linli.plugins]\n{lines}")
    return folder
