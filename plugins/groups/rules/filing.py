"""G1 filing, G2 jurisdiction, G3 review and G5 material changes: plain functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from linli.core.errors import Refused

from .vocabulary import (
    Decision,
    FilingKind,
    GroupKind,
    GroupSettings,
    Level,
    Status,
)

# ---------------------------------------------------------------- G1 filing

# Second line of G1: words that name an excluded kind whatever was declared. Compared after
# removing spaces and case, so "Owners' Committee" and "业 委 会" are caught too.
EXCLUDED_WORDS: dict[GroupKind, tuple[str, ...]] = {
    GroupKind.OWNERS_COMMITTEE: (
        "业委会",
        "业主委员会",
        "业主大会",
        "ownerscommittee",
        "owners'committee",
        "homeowners",
    ),
    GroupKind.PROFIT_MAKING: (
        "有限公司",
        "有限责任公司",
        "股份公司",
        "营利性",
        "盈利性",
        "co.,ltd",
        "ltd.",
        "limited",
    ),
}

TEXT_LIMITS = {"name": 100, "venue": 200, "schedule": 200, "charter": 5000}


def excluded_kind(declared: str, name: str) -> GroupKind | None:
    """G1: the excluded kind this filing is, by its declaration or, failing that, its name."""
    kind = GroupKind(declared)
    if kind is not GroupKind.ACTIVITY_TEAM:
        return kind
    folded = "".join(name.split()).casefold()
    for excluded, words in EXCLUDED_WORDS.items():
        if any(word in folded for word in words):
            return excluded
    return None


def check_excluded(declared: str, name: str) -> None:
    """Refused(EXCLUDED_KIND) for an owners' committee or a profit-making group (G1)."""
    kind = excluded_kind(declared, name)
    if kind is not None:
        field = "kind" if GroupKind(declared) is not GroupKind.ACTIVITY_TEAM else "name"
        raise Refused("EXCLUDED_KIND", field=field, kind=kind.value)


def checked_text(**values: str) -> dict[str, str]:
    """The form's texts trimmed; Refused(TEXT_REQUIRED | TEXT_TOO_LONG, field) for the first
    bad one. The charter may be empty (many teams have none written); the rest may not."""
    out: dict[str, str] = {}
    for field, value in values.items():
        text = (value or "").strip()
        if not text and field != "charter":
            raise Refused("TEXT_REQUIRED", field=field)
        if len(text) > TEXT_LIMITS[field]:
            raise Refused("TEXT_TOO_LONG", field=field, max=TEXT_LIMITS[field])
        out[field] = text
    return out


# ---------------------------------------------------------------- G2 jurisdiction


def reviewing_community(
    level: str, community_id: int, street_office_id: int | None, others: Iterable[int] = ()
) -> int:
    """G2: whose staff review the group: the community's own for a committee-level group active
    only there; the street office for a street-level one or one active in other communities."""
    across = any(other != community_id for other in others)
    if Level(level) is Level.COMMUNITY and not across:
        return community_id
    if street_office_id is None:
        raise ValueError("a street-level or cross-community group needs a street office")
    return street_office_id


def may_organise_in(
    level: str,
    home_id: int,
    street_office_id: int | None,
    others: Iterable[int],
    community_id: int,
    community_parent_id: int | None,
) -> bool:
    """Where the group is active: its community and the others it filed; a street-level
    group in every community of its street office."""
    if community_id == home_id or community_id in set(others):
        return True
    return (
        Level(level) is Level.STREET
        and street_office_id is not None
        and community_parent_id == street_office_id
    )


def listed_in(
    status: str,
    until: dt.date | None,
    today: dt.date,
    level: str,
    home_id: int,
    others: Iterable[int],
    community_id: int,
) -> bool:
    """G8: the directory of ``community_id`` lists an approved group inside its term whose home
    it is, that names it among its other communities, or a street-level group (of that
    community's street office: the caller reads only those)."""
    if Status(status) is not Status.APPROVED or until is None or today > until:
        return False
    return community_id == home_id or community_id in set(others) or Level(level) is Level.STREET


# ---------------------------------------------------------------- G3 review

# Filing transitions: the status machine as data.
FILING_TRANSITIONS: dict[Status | None, frozenset[Status]] = {
    None: frozenset({Status.DRAFT}),
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.DISSOLVED}),
    Status.RETURNED: frozenset({Status.SUBMITTED, Status.DISSOLVED}),
    Status.SUBMITTED: frozenset(
        {Status.APPROVED, Status.REJECTED, Status.RETURNED, Status.DISSOLVED}
    ),
    Status.APPROVED: frozenset({Status.SUPERSEDED}),
    Status.REJECTED: frozenset(),
    Status.SUPERSEDED: frozenset(),
    Status.DISSOLVED: frozenset(),
}

# Group transitions: a change or a lapsed group's re-filing goes back to SUBMITTED; a
# returned renewal to RETURNED; a rejected change or renewal, or the tick, to LAPSED.
GROUP_TRANSITIONS: dict[Status | None, frozenset[Status]] = {
    None: frozenset({Status.DRAFT}),
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.DISSOLVED}),
    Status.RETURNED: frozenset({Status.SUBMITTED, Status.DISSOLVED}),
    Status.SUBMITTED: frozenset(
        {Status.APPROVED, Status.REJECTED, Status.RETURNED, Status.LAPSED, Status.DISSOLVED}
    ),
    Status.APPROVED: frozenset(
        {Status.SUBMITTED, Status.RETURNED, Status.LAPSED, Status.DISSOLVED}
    ),
    Status.LAPSED: frozenset({Status.SUBMITTED, Status.DISSOLVED}),
    Status.REJECTED: frozenset({Status.DISSOLVED}),
    Status.DISSOLVED: frozenset(),
}

DECISION_STATUS = {
    Decision.APPROVE: Status.APPROVED,
    Decision.REJECT: Status.REJECTED,
    Decision.RETURN: Status.RETURNED,
}

# Group statuses, and what each lets the leader do.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})  # updateGroupFiling, submit
ACTIVE = frozenset({Status.APPROVED})  # organise, badge (while valid)
JOINABLE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED})
ENDED = frozenset({Status.REJECTED, Status.DISSOLVED})


def check_transition(current: str, target: str) -> None:
    if Status(target) not in FILING_TRANSITIONS[Status(current)]:
        raise Refused("INVALID_TRANSITION", current=str(current), target=str(target))


def decision_text(decision: str, reason: str | None) -> str:
    """G3: a rejection needs a written reason (a return needs its comments); trimmed."""
    text = (reason or "").strip()
    if Decision(decision) is not Decision.APPROVE and not text:
        raise Refused("REASON_REQUIRED", field="reason")
    if len(text) > 1000:
        raise Refused("TEXT_TOO_LONG", field="reason", max=1000)
    return text


def decision_deadline(submitted_day: dt.date, s: GroupSettings = GroupSettings()) -> dt.date:
    """G3: the last local day on which a decision is on time."""
    return submitted_day + dt.timedelta(days=s.decision_days)


def overdue(deadline: dt.date, today: dt.date) -> bool:
    return today > deadline


def group_status_after(kind: str, decision_status: str) -> Status:
    """The group's status once a filing of ``kind`` is decided (G3, G5, G6)."""
    after = Status(decision_status)
    if after is Status.REJECTED and FilingKind(kind) is not FilingKind.INITIAL:
        return Status.LAPSED  # G5/G6: the old approval no longer stands
    return after


# ---------------------------------------------------------------- G5 material changes

MATERIAL_FIELDS = ("name", "leader_person_id", "venue")


def material_changes(before: Mapping[str, object], after: Mapping[str, object]) -> list[str]:
    """G5: which of name, leader and venue differ (empty: no new filing is needed)."""
    return [f for f in MATERIAL_FIELDS if f in after and after[f] != before.get(f)]
