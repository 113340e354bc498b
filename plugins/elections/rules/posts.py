"""E3 Posts: a director (主任), deputy directors (副主任) and members (委员), 5–9 in all
(*setting*), exactly one director. ``validate_posts`` returns every error, each coded."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from .model import Post, Seats
from .refusals import Code

ELECTED_POSTS = (Post.DIRECTOR, Post.DEPUTY_DIRECTOR, Post.MEMBER)  # RECALL is a count's post


@dataclasses.dataclass(frozen=True, slots=True)
class PostSettings:
    """E3's *setting*: the committee's size in all (城市居民委员会组织法 art. 7: 5–9)."""

    min_seats: int = 5
    max_seats: int = 9

    def __post_init__(self) -> None:
        if not 1 <= self.min_seats <= self.max_seats:
            raise ValueError("E3: 1 <= min_seats <= max_seats")


@dataclasses.dataclass(frozen=True, slots=True)
class PostError:
    code: Code
    post: str | None = None  # the post at fault, when one is
    details: Mapping[str, int] = dataclasses.field(default_factory=dict)


def validate_posts(seats: Mapping[str, object],
                   settings: PostSettings = PostSettings()) -> tuple[PostError, ...]:
    """E3: every error of a post -> seats mapping (empty when valid). A post missing from the
    mapping has no seats; a deputy or member post may have none, the director must have one."""
    errors: list[PostError] = []
    counts: dict[Post, int] = {}
    for name, n in seats.items():
        if name not in {str(p) for p in ELECTED_POSTS}:
            errors.append(PostError(Code.UNKNOWN_POST))  # the unknown name is not echoed
            continue
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            errors.append(PostError(Code.INVALID_SEATS, str(name)))
            continue
        counts[Post(name)] = n
    if counts.get(Post.DIRECTOR, 0) != 1 and not any(
            e.post == Post.DIRECTOR for e in errors):
        errors.append(PostError(Code.ONE_DIRECTOR, str(Post.DIRECTOR)))
    total = sum(counts.values())
    if not errors and not settings.min_seats <= total <= settings.max_seats:
        errors.append(PostError(Code.SEATS_OUT_OF_RANGE, None, {
            "min": settings.min_seats, "max": settings.max_seats}))
    return tuple(errors)


def posts_of(seats: Mapping[str, int], settings: PostSettings = PostSettings()
             ) -> tuple[Seats, ...]:
    """Valid posts as the count's ``Seats``, highest first, posts with no seats left out."""
    if validate_posts(seats, settings):
        raise ValueError("E3: invalid posts (see validate_posts)")
    return tuple(Seats(p, seats[p]) for p in ELECTED_POSTS if seats.get(p, 0) > 0)
