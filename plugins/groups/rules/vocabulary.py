"""The groups vocabulary: the enums, the error codes and the rules' view of the settings."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from linli.core import clock


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


# DOMAIN.md names no number; five people is the smallest "team" the seeds' 花名册 implies.
DEFAULT_MINIMUM = 5


def _default_minimums() -> dict[str, int]:
    return dict.fromkeys(Category, DEFAULT_MINIMUM)


@dataclasses.dataclass(frozen=True)
class GroupSettings:
    """The rules' view of a community's groups settings (models.Settings is the stored,
    staff-editable declaration; ``Settings.for_rules(tz)`` makes this), with its defaults."""

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
