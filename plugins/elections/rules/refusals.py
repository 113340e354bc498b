"""Part I's refusal codes (E1–E5, E10) and the one exception the checks raise.

A check raises :class:`Refused` with a code and, where the refusal is about time, the
window's dates (local dates, ISO strings): never the refused value itself. The plugin maps a
code to its localized message (zh-CN, en) and puts it in the mutation payload's ``errors``.
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    NOT_ON_ROLL = "NOT_ON_ROLL"  # the actor (or the proxy's holder) is not a voter (E1)
    UNDER_18 = "UNDER_18"  # not 18 on election day, in the community's local day (E1)
    OTHER_COMMUNITY = "OTHER_COMMUNITY"  # not registered in this community (E1)
    ROLL_FROZEN = "ROLL_FROZEN"  # the roll changes no more once voting opens (E2)
    OUTSIDE_WINDOW = "OUTSIDE_WINDOW"  # an act before its window opens or after it closes
    INVALID_PHASE = "INVALID_PHASE"  # an act the election's phase does not allow (E2)
    INVALID_SEATS = "INVALID_SEATS"  # a post with a negative or non-integer seat count (E3)
    ONE_DIRECTOR = "ONE_DIRECTOR"  # exactly one director (E3)
    SEATS_OUT_OF_RANGE = "SEATS_OUT_OF_RANGE"  # 5–9 seats in all, *setting* (E3)
    UNKNOWN_POST = "UNKNOWN_POST"  # a post that is not one of E3's (E3)
    TOO_MANY_NOMINATIONS = "TOO_MANY_NOMINATIONS"  # more nominees for a post than seats (E4)
    NOMINEE_NOT_ELIGIBLE = "NOMINEE_NOT_ELIGIBLE"  # the nominee is not on the roll (E4)
    ALREADY_NOMINATED = "ALREADY_NOMINATED"  # the nominee already stands for the post (E4)
    NOT_A_CO_NOMINATOR = "NOT_A_CO_NOMINATOR"  # confirming a nomination one is not named on
    NOT_THE_NOMINEE = "NOT_THE_NOMINEE"  # accepting or declining someone else's nomination
    NOT_CONFIRMED = "NOT_CONFIRMED"  # accepted before every co-nominator confirmed (E4)
    ALREADY_DECIDED = "ALREADY_DECIDED"  # accepting/declining/confirming a settled nomination
    NOT_COMPETITIVE = "NOT_COMPETITIVE"  # no more accepted nominees than seats (E5)
    NOT_A_CLOSE_RELATIVE = "NOT_A_CLOSE_RELATIVE"  # a proxy outside 近亲属 (E10)
    PROXY_LIMIT = "PROXY_LIMIT"  # the holder already holds the limit, *setting* 3 (E10)
    CANDIDATE_CANNOT_BE_PROXY = "CANDIDATE_CANNOT_BE_PROXY"  # (E10)
    ALREADY_GRANTED = "ALREADY_GRANTED"  # a voter gives one proxy at a time (E10)


class Refused(Exception):
    """A rule refused an act: ``code``, and ``details`` safe to show (dates, limits, posts)."""

    def __init__(self, code: Code, **details: object) -> None:
        super().__init__(code)
        self.code = code
        self.details = details

    def __repr__(self) -> str:
        return f"Refused({self.code!s}, {self.details!r})"
