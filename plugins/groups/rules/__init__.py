"""Group registry rules (DOMAIN.md G1–G8) as plain functions of plain data: no I/O, no clock.

Every instant or day comes in as an argument; every "day" is the community's local day
(``local_day(at, tz)``). The service layer calls these inside its transaction and lets the
database hold what must survive concurrency (guarded status updates, partial unique indexes
on the open roster entries). Keyword defaults equal the GroupSettings defaults.

Decisions the DOMAIN leaves open, taken here (docs/plugins/groups.md repeats them):

- G1: a filing *declares* its kind (``GroupKind``); OWNERS_COMMITTEE and PROFIT_MAKING are
  refused. As a second line, a name carrying an excluded word (业委会, 有限公司, …) is refused
  whatever kind was declared. The words are few and specific so that "某公司退休职工合唱团"
  still files; the declaration is the primary test.
- G2: the reviewing community is the group's own community for a committee-level group that
  is active only there; the street office for a street-level group or one active in other
  communities too. Street-office staff hold staff rights in their communities (core's rule),
  so they are also a second level for committee-level filings; community staff never decide a
  street-level filing, and a sibling community's staff decide nothing of another community.
- G5: a material change (name, leader, venue) of an APPROVED group files a CHANGE filing and
  the group goes back to SUBMITTED (badge hidden). Approved → APPROVED on the new details;
  returned → RETURNED (edit and resubmit); rejected → LAPSED: the change (a new leader, a new
  venue) has already happened, so the old approval no longer describes the group and it must
  file again (``renewGroup`` from LAPSED).
- G6: an approval on local day D is valid through D + term; the renewal window is the last
  ``renewal_window_days`` of that; the group lapses on the day after its last valid day. A
  renewal submitted in time holds the lapse until it is decided (the delay is the office's).
  A lapsed group may re-file at any time.
- G4: roster entries are half-open day intervals [since, until): as of day d an entry counts
  when since <= d < until (or until is open). A change on day d shows from day d on, so
  "as of d" is the roster at the end of day d.
"""

from __future__ import annotations

from .filing import (
    ACTIVE,
    DECISION_STATUS,
    EDITABLE,
    ENDED,
    EXCLUDED_WORDS,
    FILING_TRANSITIONS,
    GROUP_TRANSITIONS,
    JOINABLE,
    MATERIAL_FIELDS,
    TEXT_LIMITS,
    check_excluded,
    check_transition,
    checked_text,
    decision_deadline,
    decision_text,
    excluded_kind,
    group_status_after,
    listed_in,
    material_changes,
    may_organise_in,
    overdue,
    reviewing_community,
)
from .roster import (
    Entry,
    active_on,
    closing_day,
    leads,
    roster_as_of,
)
from .term import (
    badge_shown,
    check_renewal,
    compliant,
    in_renewal_window,
    lapse_day,
    lapses,
    may_organise,
    renewal_opens,
    valid_until,
)
from .vocabulary import (
    CODES,
    DEFAULT_MINIMUM,
    Category,
    Decision,
    FilingKind,
    GroupKind,
    GroupSettings,
    Level,
    Role,
    Status,
    _default_minimums,
    local_day,
)

__all__ = [
    "ACTIVE",
    "CODES",
    "DECISION_STATUS",
    "DEFAULT_MINIMUM",
    "EDITABLE",
    "ENDED",
    "EXCLUDED_WORDS",
    "FILING_TRANSITIONS",
    "GROUP_TRANSITIONS",
    "JOINABLE",
    "MATERIAL_FIELDS",
    "TEXT_LIMITS",
    "Category",
    "Decision",
    "Entry",
    "FilingKind",
    "GroupKind",
    "GroupSettings",
    "Level",
    "Role",
    "Status",
    "_default_minimums",
    "active_on",
    "badge_shown",
    "check_excluded",
    "check_renewal",
    "check_transition",
    "checked_text",
    "closing_day",
    "compliant",
    "decision_deadline",
    "decision_text",
    "excluded_kind",
    "group_status_after",
    "in_renewal_window",
    "lapse_day",
    "lapses",
    "leads",
    "listed_in",
    "local_day",
    "material_changes",
    "may_organise",
    "may_organise_in",
    "overdue",
    "renewal_opens",
    "reviewing_community",
    "roster_as_of",
    "valid_until",
]
