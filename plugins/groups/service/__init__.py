"""Group registry use cases, one transaction each. The API, the routes, the CLI, the periodic
task and the demo call these.

- ``filing``: file a group, edit and submit its filing, review it (G1–G3, G7)
- ``changes``: details and leader (G5), renewal (G6), dissolution, may-organise (for others)
- ``roster``: join requests, leaving, removal, the roster as of a day (G4, G8)
- ``tick``: the timed work (G3 deadline warnings, G6 renewal windows and lapses)
- ``exports``: the roster, the filing form and the summary as tables (XLSX, CSV)
- below them: ``common`` (settings, who may, the status machines, events). Imports run one
  way: changes → filing → common, roster → common, tick → common, exports → roster.
"""

from __future__ import annotations

from . import common, exports, roster, tick
from .changes import change_details, change_leader, dissolve, may_organise, renew
from .filing import (
    FORM_FIELDS,
    Form,
    Review,
    file_group,
    filing_for_review,
    member_count,
    open_filing,
    review,
    set_places,
    submit,
    submit_in,
    update_filing,
)

__all__ = [
    "FORM_FIELDS",
    "Form",
    "Review",
    "change_details",
    "change_leader",
    "common",
    "dissolve",
    "exports",
    "file_group",
    "filing_for_review",
    "may_organise",
    "member_count",
    "open_filing",
    "renew",
    "review",
    "roster",
    "set_places",
    "submit",
    "submit_in",
    "tick",
    "update_filing",
]
