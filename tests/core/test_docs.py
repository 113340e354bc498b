"""The docs keep up with the code: every hook in linli.core.hookspecs has its section in
docs/plugins.md (with its exact signature), and every limit in settings is in docs/api.md.
Datasette does the same for its plugin hooks."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from linli.core import hookspecs
from linli.core.settings import Limits

DOCS = Path(__file__).resolve().parents[2] / "docs"


def hooks() -> list[str]:
    return [
        name
        for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(fn, "linli_spec")
    ]


def headings(path: Path) -> list[str]:
    return re.findall(r"^#{2,4} (.+?)\s*$", path.read_text(encoding="utf-8"), re.MULTILINE)


def test_there_are_hooks():
    assert {"plugin_manifest", "register_queries", "on_event", "actor_from_request"} <= set(hooks())


@pytest.mark.parametrize("hook", hooks())
def test_every_hook_has_a_section_with_its_signature(hook):
    params = ", ".join(inspect.signature(getattr(hookspecs, hook)).parameters)
    wanted = f"`{hook}({params})`"
    sections = headings(DOCS / "plugins.md")
    assert wanted in sections, f"docs/plugins.md needs a section headed: ### {wanted}"
    # The section shows an example using the marker.
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    section = text.split(f"\n### {wanted}\n", 1)[1].split("\n### ", 1)[0]
    assert "@hookimpl" in section and f"def {hook}(" in section, f"{hook}: no example"


def test_no_section_for_a_hook_that_does_not_exist():
    documented = {
        m.group(1) for h in headings(DOCS / "plugins.md") if (m := re.match(r"`(\w+)\(.*\)`$", h))
    }
    assert documented == set(hooks())


@pytest.mark.parametrize("limit", list(Limits.model_fields))
def test_every_limit_is_in_the_api_guide(limit):
    assert f"LINLI_LIMIT_{limit.upper()}" in (DOCS / "api.md").read_text(encoding="utf-8")


def test_api_guide_links_the_booking_guide_and_leaves_its_section_to_it():
    assert "Booking" not in headings(DOCS / "api.md")
    assert "](plugins/booking.md)" in (DOCS / "api.md").read_text(encoding="utf-8")
    guide = (DOCS / "plugins" / "booking.md").read_text(encoding="utf-8")
    from linli.plugins.booking.rules import Reason

    missing = [code.value for code in Reason if f"`{code.value}`" not in guide]
    assert not missing, f"docs/plugins/booking.md lacks the codes {missing}"


def test_api_guide_and_readme_link_the_volunteers_guide_which_lists_every_code():
    assert "](plugins/volunteers.md)" in (DOCS / "api.md").read_text(encoding="utf-8")
    assert "](docs/plugins/volunteers.md)" in (DOCS.parent / "README.md").read_text("utf-8")
    guide = (DOCS / "plugins" / "volunteers.md").read_text(encoding="utf-8")
    from linli.plugins.volunteers.rules import Reason

    missing = [code.value for code in Reason if code.value not in guide]
    assert not missing, f"docs/plugins/volunteers.md lacks the codes {missing}"


# ---------------------------------------------------------------- docs/plugins.md runs

PLUGINS_MD = DOCS / "plugins.md"
EXAMPLE = DOCS.parent / "examples" / "linli-notices"


def code_blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", path.read_text(encoding="utf-8"), re.M | re.S)


def test_every_python_example_runs_and_its_hookimpls_answer():
    """The page's python blocks run in order in one namespace (as a reader meets them):
    imports resolve, definitions are made, and every hookimpl that takes no arguments is
    called and answers what its hookspec says. The test file block runs under pytest
    (test_the_testing_example_passes_under_pytest)."""
    import sys
    import types

    from linli.core.plugins import Manifest

    module = types.ModuleType("docs_plugins_md")  # strawberry resolves annotations by module
    sys.modules[module.__name__] = module
    namespace = module.__dict__
    called = []
    text = PLUGINS_MD.read_text(encoding="utf-8")
    kit = text.split("\n## The kit\n", 1)[1].split("\n## ", 1)[0]
    fragments = set(re.findall(r"^```python\n(.*?)^```$", kit, re.M | re.S))
    for fragment in fragments:
        # The kit section (its engineer's) shows fragments of a service: compiled as the body
        # of a function (they await and return), not run.
        body = "".join(f"    {line}\n" for line in fragment.splitlines())
        compile(f"async def fragment():\n{body}", "kit", "exec")
    blocks = [b for b in code_blocks(PLUGINS_MD, "python") if not b.startswith("# tests/")]
    for block in blocks:
        # A fragment of a service elsewhere on the page (it awaits or returns at top level):
        # compiled as a function body like the kit's, not run.
        try:
            compile(block, "block", "exec")
        except SyntaxError:
            body = "".join(f"    {line}\n" for line in block.splitlines())
            compile(f"async def fragment():\n{body}", "fragment", "exec")
            fragments.add(block)
    blocks = [b for b in blocks if b not in fragments]
    assert len(blocks) >= 20
    for block in blocks:
        before = dict(namespace)
        exec(compile(block, str(PLUGINS_MD), "exec"), namespace)
        for name, value in namespace.items():
            if before.get(name) is value or not hasattr(value, "linli_impl"):
                continue
            assert name in hooks(), f"docs/plugins.md defines a hookimpl {name} with no hookspec"
            if inspect.signature(value).parameters:
                continue
            answer = value()
            called.append(name)
            if name == "plugin_manifest":
                assert isinstance(answer, Manifest)
            else:
                assert isinstance(answer, list) and answer, f"{name}() answered {answer!r}"
    assert {"plugin_manifest", "register_queries", "register_events"} <= set(called)


def test_the_testing_example_passes_under_pytest(tmp_path):
    """The test file on the page, run by pytest in a folder with no ini settings and no
    conftest: linli.testing configures what it needs (pytest-asyncio's auto mode)."""
    from linli.testing import run_plugin_tests

    (block,) = [b for b in code_blocks(PLUGINS_MD, "python") if b.startswith("# tests/")]
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_from_docs.py").write_text(block, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "from-docs"\n', encoding="utf-8")
    result = run_plugin_tests(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_the_pyproject_on_the_page_is_the_examples():
    import tomllib

    (block,) = code_blocks(PLUGINS_MD, "toml")
    shipped = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))
    assert tomllib.loads(block) == shipped
    assert shipped["project"]["version"]
    assert shipped["tool"]["setuptools"]["package-data"] == {"linli_notices": ["messages.json"]}
    assert "linli_notices.migrations" in shipped["tool"]["setuptools"]["packages"]


@pytest.mark.parametrize("module", ["__init__.py", "api.py", "service.py"])
def test_the_example_modules_on_the_page_are_the_examples(module):
    source = (EXAMPLE / "linli_notices" / module).read_text(encoding="utf-8")
    code = source.split('"""', 2)[2].strip()  # the module without its docstring
    blocks = code_blocks(PLUGINS_MD, "python")
    assert any(block.strip() == code for block in blocks), f"docs/plugins.md shows another {module}"


# At most this many lines of plugin code in the example (tests, docstrings, comments and
# migrations aside): issue 7's "a plugin in 60 lines" (97 before it), kept by this test.
MAX_EXAMPLE_LINES = 60


def test_the_example_is_a_plugin_in_60_lines():
    from linli.testing import plugin_code_lines

    counts = plugin_code_lines(EXAMPLE / "linli_notices")
    assert {"__init__.py", "api.py", "models.py", "rules.py", "service.py"} <= set(counts)
    assert sum(counts.values()) <= MAX_EXAMPLE_LINES, counts


# ---------------------------------------------------------------- the rooms

REQUIRED_ROOMS = {"__init__", "models", "rules", "service", "api", "messages.json", "migrations"}
OPTIONAL_ROOMS = {"routes", "cli", "demo"}
# Modules of a plugin still beside the rooms, to fold into its rooms (groups: issue 10,
# engineer): the test fails when one is gone (remove it here) or a new one appears.
NOT_YET_FOLDED: dict[str, set[str]] = {}
# Beside the rooms by design: elections' standalone verifier (issue 13: `python verify.py
# bundle.json`, one file of the standard library that imports nothing of linli).
STANDALONE = {"elections": {"verify"}}


def plugin_packages() -> dict[str, Path]:
    """Every built-in plugin (the linli.plugins entry points living in linli) and the example."""
    import importlib

    from linli.core.plugins import _entry_points

    found = {}
    for ep in _entry_points():
        if ep.value.startswith("linli.") or ep.value == "linli_notices":
            found[ep.name] = Path(importlib.import_module(ep.value).__file__).parent
    return found


def rooms_of(package: Path) -> dict[str, str]:
    """Each top-level entry of a plugin package as a room name → 'module', 'package' or 'file'."""
    rooms = {}
    for entry in package.iterdir():
        if entry.name.startswith((".", "__pycache__")):
            continue
        if entry.is_dir():
            rooms[entry.name] = "package"
        elif entry.suffix == ".py":
            rooms[entry.stem] = "module"
        else:
            rooms[entry.name] = "file"
    return rooms


@pytest.mark.parametrize("plugin", sorted(plugin_packages()))
def test_every_plugin_has_the_same_rooms(plugin):
    package = plugin_packages()[plugin]
    rooms = rooms_of(package)
    assert REQUIRED_ROOMS <= set(rooms), f"{plugin} lacks {REQUIRED_ROOMS - set(rooms)}"
    extra = set(rooms) - REQUIRED_ROOMS - OPTIONAL_ROOMS
    known = NOT_YET_FOLDED.get(plugin, set()) | STANDALONE.get(plugin, set())
    assert extra == known, f"{plugin}: modules beside the rooms {sorted(extra - known)}"
    for room, kind in rooms.items():
        if kind == "package" and room != "migrations":
            # A room split into a package by the one rule: a package of the room's name.
            assert room in REQUIRED_ROOMS | OPTIONAL_ROOMS, f"{plugin}: {room}/ is not a room"
    assert (package / "migrations" / "__init__.py").is_file()


def test_the_rooms_on_the_page_are_the_rooms_the_test_checks():
    text = PLUGINS_MD.read_text(encoding="utf-8")
    assert headings(PLUGINS_MD)[:2] == ["The rooms", "One convention per concern"]
    listing = text.split("## The rooms", 1)[1].split("```", 2)[1]
    named = {line.split()[0].rstrip("/") for line in listing.strip().splitlines()[1:]}
    assert {name.removesuffix(".py") for name in named} == REQUIRED_ROOMS | {"tests"}
    for room in OPTIONAL_ROOMS:
        assert f"`{room}.py`" in text
