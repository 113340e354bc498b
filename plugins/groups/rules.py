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

import dataclasses
import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from linli.core import clock
from linli.core.errors import Refused


class Category(enum.StrEnum):
    CULTURE_SPORTS = "CULTURE_SPORTS"  # 文体类
    PUBLIC_WELFARE = "PUBLIC_WELFARE"  # 公益类
    LIFE_SERVICES = "LIFE_SERVICES"  # 生活服务类
    COMMUNITY_AFFAIRS = "COMMUNITY_AFFAIRS"  # 社区事务类
    OTHER = "OTHER"


class Level(enum.StrEnum):
    COMMUNITY = "COMMUNITY"  # 居委会一级 (各小区群众团队)
    STREET = "STREET"  # 街道一级


class GroupKind(enum.StrEnum):
    """What the filer declares the group to be (G1)."""

    ACTIVITY_TEAM = "ACTIVITY_TEAM"  # 群众活动团队: the only kind that files
    OWNERS_COMMITTEE = "OWNERS_COMMITTEE"  # 业主委员会: has its own statutory procedure
    PROFIT_MAKING = "PROFIT_MAKING"  # 营利性组织: registers with market regulation


class Status(enum.StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    RETURNED = "RETURNED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    LAPSED = "LAPSED"
    DISSOLVED = "DISSOLVED"
    SUPERSEDED = "SUPERSEDED"  # a filing only: an approved version a later one replaced


class FilingKind(enum.StrEnum):
    INITIAL = "INITIAL"
    CHANGE = "CHANGE"  # G5: name, leader or venue changed
    RENEWAL = "RENEWAL"  # G6: the annual re-filing (or a re-filing after a lapse)


class Decision(enum.StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    RETURN = "RETURN"


class Role(enum.StrEnum):
    LEADER = "LEADER"
    MEMBER = "MEMBER"


CODES = (
    "EXCLUDED_KIND",
    "OUTSIDE_JURISDICTION",
    "REASON_REQUIRED",
    "INVALID_TRANSITION",
    "NOT_IN_RENEWAL_WINDOW",
    "ALREADY_MEMBER",
    "ONE_LEADER",
    "GROUP_NOT_ACTIVE",
    "BELOW_MINIMUM",
    "NOT_A_MEMBER",
    "ALREADY_REQUESTED",
    "NOTHING_CHANGED",
    "TEXT_REQUIRED",
    "TEXT_TOO_LONG",
)

# ---------------------------------------------------------------- settings


def _default_minimums() -> dict[str, int]:
    # DOMAIN.md names no number; five people is the smallest "team" the seeds' 花名册 implies.
    return dict.fromkeys(Category, 5)


@dataclasses.dataclass(frozen=True)
class GroupSettings:
    """Every per-community *setting* of the groups module, with DOMAIN.md's defaults."""

    tz: str = "Asia/Shanghai"
    decision_days: int = 7  # G3: staff decide within this many days of submission
    term_days: int = 365  # G6: an approval's validity (annual re-filing, seeds 二(二)2)
    renewal_window_days: int = 30  # G6: renewal opens this many days before expiry
    min_members: Mapping[str, int] = dataclasses.field(default_factory=_default_minimums)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.tz)
        except (KeyError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.tz!r}") from exc
        if self.decision_days < 1 or self.term_days < 1:
            raise ValueError("decision_days and term_days must be >= 1")
        if not 0 <= self.renewal_window_days < self.term_days:
            raise ValueError("renewal_window_days must be in [0, term_days)")
        if any(n < 1 for n in self.min_members.values()):
            raise ValueError("min_members must be >= 1")

    def minimum_for(self, category: str) -> int:
        return self.min_members.get(str(category), 1)


# The community's calendar day of an aware instant: the kit's (pure, no clock).
local_day = clock.local_day


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


# ---------------------------------------------------------------- G6 validity and renewal


def valid_until(approved_day: dt.date, s: GroupSettings = GroupSettings()) -> dt.date:
    """G6: the last valid day of an approval given on ``approved_day``."""
    return approved_day + dt.timedelta(days=s.term_days)


def renewal_opens(until: dt.date, s: GroupSettings = GroupSettings()) -> dt.date:
    return until - dt.timedelta(days=s.renewal_window_days)


def in_renewal_window(until: dt.date, today: dt.date, s: GroupSettings = GroupSettings()) -> bool:
    return renewal_opens(until, s) <= today <= until


def lapse_day(until: dt.date) -> dt.date:
    """G6: the group lapses on the day after its last valid day."""
    return until + dt.timedelta(days=1)


def lapses(
    status: str, until: dt.date | None, today: dt.date, renewal_pending: bool = False
) -> bool:
    """G6: an approved group not renewed lapses from the day after expiry."""
    return (
        Status(status) is Status.APPROVED
        and until is not None
        and today >= lapse_day(until)
        and not renewal_pending
    )


def check_renewal(status: str, until: dt.date | None, today: dt.date, s: GroupSettings) -> None:
    """G6: renew inside the window (an approved group) or at any time (a lapsed one)."""
    if Status(status) is Status.LAPSED:
        return
    if Status(status) is not Status.APPROVED or until is None:
        raise Refused("INVALID_TRANSITION", current=str(status), target="RENEWAL")
    if not in_renewal_window(until, today, s):
        raise Refused(
            "NOT_IN_RENEWAL_WINDOW",
            opens=renewal_opens(until, s).isoformat(),
            until=until.isoformat(),
        )


def badge_shown(status: str, until: dt.date | None, today: dt.date) -> bool:
    """The public badge: approved, and today inside the approval's term."""
    return Status(status) is Status.APPROVED and until is not None and today <= until


def may_organise(status: str, until: dt.date | None, today: dt.date) -> bool:
    """G6: only an approved group inside its term organises activities."""
    return badge_shown(status, until, today)


# ---------------------------------------------------------------- G7 thresholds


def compliant(category: str, members: int, s: GroupSettings = GroupSettings()) -> bool:
    """G7: the roster (leader included) reaches the category's minimum."""
    return members >= s.minimum_for(category)


# ---------------------------------------------------------------- G4 roster history


@dataclasses.dataclass(frozen=True)
class Entry:
    person_id: int
    role: str
    since: dt.date
    until: dt.date | None = None


def active_on(entry: Entry, day: dt.date) -> bool:
    """G4: [since, until) contains ``day``."""
    return entry.since <= day and (entry.until is None or day < entry.until)


def roster_as_of(entries: Iterable[Entry], day: dt.date) -> list[Entry]:
    """G4: who was in the group at the end of ``day``, leader first, then by person."""
    current = [e for e in entries if active_on(e, day)]
    return sorted(current, key=lambda e: (e.role != Role.LEADER, e.person_id))


def closing_day(since: dt.date, today: dt.date) -> dt.date:
    """The ``until`` of an entry ended today (never before it began: a same-day join and leave
    leaves an empty interval, and a clock set back cannot make entries overlap)."""
    return max(since, today)
