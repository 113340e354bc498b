"""The ``linli`` command line, run as a user runs it: a subprocess in a fresh folder, with a
plugin installed by entry point (a ``.dist-info`` on PYTHONPATH) where a test needs one."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/core: the plugins_for_tests package
from plugins_for_tests import fake_distribution

from linli.testing import run_plugin_tests

TESTS_CORE = Path(__file__).parent


@pytest.fixture
def cli(tmp_path):
    """Run ``linli <args>`` in tmp_path on a fresh SQLite file; ``demo=True`` installs the demo
    plugin by entry point."""
    database = tmp_path / "data" / "linli.sqlite3"
    site = fake_distribution(
        tmp_path / "site", "linli_test_demo", {"demo": "plugins_for_tests.demo"}
    )

    def run(
        *args: str, demo: bool = False, extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("LINLI_")}
        paths = [str(TESTS_CORE), *([str(site)] if demo else []), env.get("PYTHONPATH", "")]
        env.update(
            PYTHONPATH=os.pathsep.join(p for p in paths if p),
            LINLI_DATABASE_URL=f"sqlite://{database}",
            COLUMNS="1000",  # rich neither wraps nor truncates
            NO_COLOR="1",
        )
        env.update(extra_env or {})
        return subprocess.run(
            [sys.executable, "-m", "linli.core.cli", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    run.database = database
    return run


def tables(database: Path) -> dict[str, int]:
    """Every table and its row count."""
    with sqlite3.connect(database) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        count = 'SELECT COUNT(*) FROM "{}"'
        return {name: conn.execute(count.format(name)).fetchone()[0] for name in names}


def test_export_schema_check_fails_when_stale_and_passes_when_current(cli, tmp_path):
    target = tmp_path / "schema.graphql"
    missing = cli("export-schema", "--check", "--path", str(target))
    assert missing.returncode == 1, missing.stdout + missing.stderr
    assert "stale" in missing.stdout

    written = cli("export-schema", "--path", str(target))
    assert written.returncode == 0, written.stderr
    assert "type Query" in target.read_text(encoding="utf-8")
    current = cli("export-schema", "--check", "--path", str(target))
    assert current.returncode == 0, current.stdout + current.stderr
    assert "is current" in current.stdout

    target.write_text(target.read_text(encoding="utf-8") + "\n# edited by hand\n", encoding="utf-8")
    stale = cli("export-schema", "--check", "--path", str(target))
    assert stale.returncode == 1
    assert "stale" in stale.stdout and "linli export-schema" in stale.stdout


def test_plugins_lists_name_version_and_hooks(cli):
    result = cli("plugins", demo=True)
    assert result.returncode == 0, result.stderr
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    assert "core" in rows and "demo" in rows, result.stdout
    assert "0.9.1" in rows["demo"]
    for hook in ("plugin_manifest", "register_commands", "register_demo_data"):
        assert hook in rows["demo"]
    assert "register_models" in rows["core"]


def test_plugins_reports_a_broken_plugin_by_name(cli, tmp_path):
    fake_distribution(tmp_path / "site", "linli_test_broken", {"broken": "plugins_for_tests.nope"})
    result = cli("plugins", demo=True)
    assert result.returncode == 2
    assert "plugin broken: cannot be imported" in result.stdout


def test_migrate_on_a_fresh_sqlite_file(cli):
    assert not cli.database.exists()
    first = cli("migrate")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "applied core." in first.stdout
    assert "core_audit_entry" in tables(cli.database)
    again = cli("migrate")
    assert again.returncode == 0, again.stderr
    assert "applied" not in again.stdout and "up to date" in again.stdout


def test_seed_demo_is_idempotent(cli):
    first = cli("seed-demo", demo=True)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "demo: the demo street office and community" in first.stdout
    after_first = tables(cli.database)
    assert after_first["core_audit_entry"] >= 2
    second = cli("seed-demo", demo=True)
    assert second.returncode == 0, second.stdout + second.stderr
    assert tables(cli.database) == after_first  # the second run added nothing


def test_plugin_commands_join_the_command_line(cli):
    listed = cli("--help", demo=True)
    assert listed.returncode == 0, listed.stderr
    assert "demo-hello" in listed.stdout
    assert "export-schema" in listed.stdout and "seed-demo" in listed.stdout
    said = cli("demo-hello", demo=True)
    assert said.returncode == 0, said.stderr
    assert said.stdout.strip() == "hello from the demo plugin"


def test_checked_in_schema_is_core_and_built_ins_whatever_else_is_installed(cli, tmp_path):
    from linli.schema import SDL_PATH

    fake_distribution(
        tmp_path / "site", "linli_test_eligible", {"eligible_a": "plugins_for_tests.eligible_a"}
    )
    # demo=True puts the fake site (the demo and eligible_a plugins) on the path; the example
    # plugin (linli-notices) is installed in this venv too: neither is in the product's SDL.
    listed = cli("plugins", demo=True)
    assert "eligible_a" in listed.stdout and "notices" in listed.stdout, listed.stdout
    checked = cli("export-schema", "--check", demo=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    sdl = SDL_PATH.read_text(encoding="utf-8")
    assert "type Query" in sdl and "type BookingSlot" in sdl
    assert "Notice" not in sdl and "eligibleA" not in sdl
    # A plugin's own SDL, if wanted, is its own file.
    own = tmp_path / "eligible.graphql"
    written = cli("export-schema", "--with", "eligible_a", "--path", str(own), demo=True)
    assert written.returncode == 0, written.stdout + written.stderr
    assert "eligibleA" in own.read_text(encoding="utf-8")
    # Disabling a built-in here does not change the product's schema either.
    env_disabled = cli(
        "export-schema", "--check", demo=True, extra_env={"LINLI_DISABLED_PLUGINS": "booking"}
    )
    assert env_disabled.returncode == 0, env_disabled.stdout


def pip_install_target(project: Path, target: Path) -> None:
    """``pip install --no-deps --target``: the package as a user gets it (built from its
    pyproject.toml, package data and all), outside the suite's venv."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(project),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.timeout(600)  # pip builds and installs: minutes on a loaded machine
def test_new_plugin_writes_a_package_that_installs_and_passes_its_tests(cli, tmp_path):
    written = cli("new-plugin", "lost-found", "--dir", str(tmp_path / "src"))
    assert written.returncode == 0, written.stdout + written.stderr
    project = tmp_path / "src" / "linli-lost-found"
    package = project / "linli_lost_found"
    rooms = {p.name for p in package.iterdir() if p.name != "__pycache__"}
    assert rooms == {
        "__init__.py",
        "models.py",
        "rules.py",
        "service.py",
        "api.py",
        "messages.json",
        "migrations",
    }
    assert (package / "migrations" / "0001_initial.py").is_file()
    assert 'lost_found = "linli_lost_found"' in (project / "pyproject.toml").read_text()

    site = tmp_path / "installed"  # not the cli fixture's site/
    pip_install_target(project, site)
    assert (site / "linli_lost_found" / "messages.json").is_file()
    assert (site / "linli_lost_found" / "migrations" / "0001_initial.py").is_file()
    # Its tests and config in a folder of their own: the package imported is the installed one.
    workdir = tmp_path / "run"
    shutil.copytree(project / "tests", workdir / "tests")
    shutil.copy(project / "pyproject.toml", workdir / "pyproject.toml")
    result = run_plugin_tests(workdir, pythonpath=site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout, result.stdout

    again = cli("new-plugin", "lost-found", "--dir", str(tmp_path / "src"))
    assert again.returncode == 2 and "exists" in again.stdout
    bad = cli("new-plugin", "Core!", "--dir", str(tmp_path / "src"))
    assert bad.returncode == 2 and "a plugin name is" in bad.stdout


@pytest.mark.timeout(600)  # pip builds and installs: minutes on a loaded machine
def test_the_example_pyproject_installs_as_written(tmp_path):
    example = tmp_path / "linli-notices"  # a copy: building writes build/ beside the sources
    source = Path(__file__).resolve().parents[2] / "examples" / "linli-notices"
    shutil.copytree(source, example, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    site = tmp_path / "site"
    pip_install_target(example, site)
    installed = site / "linli_notices"
    assert (installed / "messages.json").is_file()
    assert (installed / "migrations" / "0001_initial.py").is_file()
    (dist,) = site.glob("linli_notices-*.dist-info")
    assert dist.name == "linli_notices-0.1.0.dist-info"
    assert "notices = linli_notices" in (dist / "entry_points.txt").read_text()
