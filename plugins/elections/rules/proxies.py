"""E10 Proxy voting (委托投票): a voter gives a written proxy to a close relative who is also
a voter; a proxy holds at most 3 (*setting*); a candidate cannot be a proxy; a granted proxy
can be withdrawn until voting opens. No proxy at a primary: ``model.KIND_RULES``.

Close relatives (近亲属) are the law's list (民法典 art. 1045): spouse, parents, children,
siblings, grandparents (paternal and maternal), grandchildren. The relation is what the
written form (or both sides in the app) declares; this module does not derive it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Container, Iterable, Sequence
from enum import StrEnum

from .deadlines import Act, Phase, check_act
from .refusals import Code, Refused


class Relation(StrEnum):
    SPOUSE = "SPOUSE"  # 配偶
    PARENT = "PARENT"  # 父母
    CHILD = "CHILD"  # 子女
    SIBLING = "SIBLING"  # 兄弟姐妹
    GRANDPARENT = "GRANDPARENT"  # 祖父母、外祖父母
    GRANDCHILD = "GRANDCHILD"  # 孙子女、外孙子女


CLOSE_RELATIVES = frozenset(str(r) for r in Relation)


@dataclasses.dataclass(frozen=True, slots=True)
class ProxySettings:
    limit: int = 3  # E10 *setting*: the most proxies one voter holds

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValueError("E10: a proxy holds at least one")


@dataclasses.dataclass(frozen=True, slots=True)
class Proxy:
    grantor: str
    holder: str
    relation: Relation
    withdrawn: bool = False


def held_by(holder: str, proxies: Iterable[Proxy]) -> int:
    return sum(1 for p in proxies if p.holder == holder and not p.withdrawn)


def grant_proxy(grantor: str, holder: str, relation: str | None, phase: Phase,
                roll: Container[str], candidates: Container[str], existing: Sequence[Proxy],
                settings: ProxySettings = ProxySettings()) -> Proxy:
    """E10: a new proxy, or the refusal. ``candidates``: everyone standing (accepted
    nominees, the slate); ``existing``: the election's proxies, withdrawn ones included."""
    check_act(Act.GRANT_PROXY, phase)
    if grantor not in roll or holder not in roll:
        raise Refused(Code.NOT_ON_ROLL)
    if grantor == holder or relation not in CLOSE_RELATIVES:
        raise Refused(Code.NOT_A_CLOSE_RELATIVE)
    if holder in candidates:
        raise Refused(Code.CANDIDATE_CANNOT_BE_PROXY)
    if any(p.grantor == grantor and not p.withdrawn for p in existing):
        raise Refused(Code.ALREADY_GRANTED)
    if held_by(holder, existing) >= settings.limit:
        raise Refused(Code.PROXY_LIMIT, limit=settings.limit)
    return Proxy(grantor, holder, Relation(relation))


def withdraw_proxy(proxy: Proxy, phase: Phase) -> Proxy:
    """The grantor withdraws a proxy: until voting opens (INVALID_PHASE after)."""
    check_act(Act.WITHDRAW_PROXY, phase)
    return dataclasses.replace(proxy, withdrawn=True)


def proxies_held_by_candidates(proxies: Iterable[Proxy],
                               candidates: Container[str]) -> tuple[Proxy, ...]:
    """Live proxies whose holder has since become a candidate: the plugin voids them when it
    publishes the slate (a candidate cannot be a proxy, whenever they became one)."""
    return tuple(p for p in proxies if not p.withdrawn and p.holder in candidates)


def proxy_list(proxies: Iterable[Proxy]) -> tuple[tuple[str, str], ...]:
    """The published list before voting (E10): (grantor, holder) of every live proxy."""
    return tuple(sorted((p.grantor, p.holder) for p in proxies if not p.withdrawn))
