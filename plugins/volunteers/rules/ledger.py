"""V9 the time bank (时间银行), in the rules room: the double-entry postings as plain data.

1 h of approved service = 1 time coin, kept in minutes so nothing is ever rounded. Every
transfer is a set of entries that sums to zero; an account's balance is the sum of its
entries, never a stored number. Coins have no cash value: nothing here converts them.

Accounts: a person's own, and per community an ISSUE account (where deposited coins come
from: its balance is minus all coins ever issued), a DONATION account (deposits above the
cap) and a SERVICE account (where redeemed coins go).
"""

from __future__ import annotations

import enum

from . import Reason, refuse


class AccountKind(enum.StrEnum):
    PERSON = "PERSON"
    ISSUE = "ISSUE"
    DONATION = "DONATION"
    SERVICE = "SERVICE"


class TransferKind(enum.StrEnum):
    DEPOSIT = "DEPOSIT"  # approved hours
    WITHDRAW = "WITHDRAW"  # a correction that lowered approved hours
    TRANSFER = "TRANSFER"  # to another person (a family member)
    REDEEM = "REDEEM"  # for a service


Posting = tuple[str, int]  # (account key, minutes: + credit, - debit)


def deposit(minutes: int, balance: int, cap_minutes: int) -> list[Posting]:
    """Approved hours in: the issue account pays, the person receives up to the cap, the
    rest goes to the community's donation account."""
    if minutes <= 0:
        return []
    room = max(cap_minutes - balance, 0)
    kept = min(minutes, room)
    postings: list[Posting] = [("issue", -minutes)]
    if kept:
        postings.append(("person", kept))
    if minutes - kept:
        postings.append(("donation", minutes - kept))
    return postings


def withdraw(minutes: int, balance: int) -> list[Posting]:
    """A correction lowered approved hours: coins go back to the issue account, as many as
    the person still holds (coins already spent stay spent: the balance never goes below 0)."""
    taken = min(max(minutes, 0), max(balance, 0))
    return [("person", -taken), ("issue", taken)] if taken else []


def transfer(minutes: int, balance: int) -> list[Posting]:
    """From the person to another person; never more than the balance."""
    if minutes > balance:
        raise refuse(Reason.INSUFFICIENT_COINS, "hours")
    return [("person", -minutes), ("other", minutes)]


def redeem(minutes: int, balance: int) -> list[Posting]:
    """For a service: the person pays the community's service account."""
    if minutes > balance:
        raise refuse(Reason.INSUFFICIENT_COINS, "hours")
    return [("person", -minutes), ("service", minutes)]


def balanced(postings: list[Posting]) -> bool:
    return sum(amount for _, amount in postings) == 0
