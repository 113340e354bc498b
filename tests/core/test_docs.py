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
