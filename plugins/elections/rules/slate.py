"""E5 The competitive slate (差额): its size per post, whether a primary (预选) is needed,
and the slate's fixed order.

The slate size is the count's setting (``CountSettings.slate_size``: seats + 1 for director
and deputy, seats + 1 or 2 for members), not a second copy. Per post: more accepted
nominees than the slate size → a primary ranks them (its round is ``model.Kind.PRIMARY``,
no proxy voting); seats < nominees ≤ slate size → no primary, the nominees are the slate;
nominees ≤ seats → not competitive, the slate cannot be published (NOT_COMPETITIVE).

Order: 姓氏笔画, as Chinese ballots and name lists print it. ``slate_order`` sorts by the
surname, then the given name, character by character, each character by its place in a
stroke table the caller passes (fewer strokes first, equal strokes by the stroke sequence
横竖撇点折), then by code point, then by person id. The plugin passes the table built from
Unihan's kTotalStrokes and cn-sort's stroke-sequence ranks (``stroke_order_build.py`` says
which and why); a character not in it sorts after every one that is, by code point. Without
a table the order is by code point alone (Kangxi radical, then residual strokes): fixed, but
not 姓氏笔画.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum

from .model import CountSettings, Post
from .refusals import Code, Refused

UNKNOWN_STROKES = 1 << 30  # characters not in the table sort after every known one


def slate_sizes(seats: Mapping[Post, int], settings: CountSettings) -> dict[Post, int]:
    return {post: settings.slate_size(post, n) for post, n in seats.items() if n > 0}


class PrimaryDecision(StrEnum):
    NEEDED = "NEEDED"  # nominees exceed the slate size: a primary ranks them
    NOT_NEEDED = "NOT_NEEDED"  # seats < nominees <= slate size: the nominees are the slate
    NOT_COMPETITIVE = "NOT_COMPETITIVE"  # nominees <= seats: no competitive slate (yet)


@dataclasses.dataclass(frozen=True, slots=True)
class PostPlan:
    """What happens to one post before the slate, and why (the record of a skipped primary)."""

    post: Post
    seats: int
    slate_size: int
    nominees: int
    decision: PrimaryDecision


def plan_primary(seats: Mapping[Post, int], accepted: Mapping[Post, Sequence[str]],
                 settings: CountSettings) -> tuple[PostPlan, ...]:
    """E5: per post with seats, highest first, whether a primary is needed."""
    plans = []
    for post in (Post.DIRECTOR, Post.DEPUTY_DIRECTOR, Post.MEMBER):
        n = seats.get(post, 0)
        if n < 1:
            continue
        size, count = settings.slate_size(post, n), len(set(accepted.get(post, ())))
        decision = (PrimaryDecision.NEEDED if count > size else
                    PrimaryDecision.NOT_NEEDED if count > n else PrimaryDecision.NOT_COMPETITIVE)
        plans.append(PostPlan(post, n, size, count, decision))
    return tuple(plans)


def check_competitive(plans: Iterable[PostPlan]) -> None:
    """The slate (or the primary) cannot go ahead while a post has no more nominees than
    seats: NOT_COMPETITIVE, naming the first such post."""
    for plan in plans:
        if plan.decision is PrimaryDecision.NOT_COMPETITIVE:
            raise Refused(Code.NOT_COMPETITIVE, post=str(plan.post), seats=plan.seats)


@dataclasses.dataclass(frozen=True, slots=True)
class SlateEntry:
    person: str
    surname: str  # 姓, one or two characters (欧阳, 司马 ...)
    given_name: str


def order_key(entry: SlateEntry, strokes: Mapping[str, int]) -> tuple[object, ...]:
    def chars(text: str) -> tuple[tuple[int, int], ...]:
        return tuple((strokes.get(ch, UNKNOWN_STROKES), ord(ch)) for ch in text)
    return (chars(entry.surname), chars(entry.given_name), entry.person)


def slate_order(entries: Iterable[SlateEntry],
                strokes: Mapping[str, int] | None = None) -> tuple[SlateEntry, ...]:
    """E5: the slate's fixed order (see the module's doc): surname character by character
    (its place in ``strokes``: a stroke count, or a place in the stroke order; then code
    point), then the given name, then the person id, so the order is total and does not
    depend on the input's order."""
    table = strokes or {}
    return tuple(sorted(entries, key=lambda e: order_key(e, table)))
