"""V9: the time bank's double-entry ledger. Balances are sums of entries, never stored.

Every posting first bumps the ``version`` of each account it debits, in id order (on
PostgreSQL the row stays locked to the commit, on SQLite the single writer serializes), and
only then sums the balance: fifty concurrent redemptions against a balance of ten each see
the one before them, and exactly ten pass. No read-then-write without that lock.
"""

from __future__ import annotations

from tortoise.expressions import F
from tortoise.functions import Sum

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity import access
from linli.core.identity.models import Person

from .. import rules
from ..models import Account, Entry, Transfer
from ..rules import ledger
from . import common

K = ledger.AccountKind


def _key(kind: str, community_id: int, person_id: int | None = None) -> str:
    return f"{kind}:{community_id}" + (f":{person_id}" if person_id is not None else "")


async def account(kind: str, community_id: int, person_id: int | None = None) -> Account:
    return await kit.get_or_create_row(
        Account,
        key=_key(kind, community_id, person_id),
        defaults={"kind": kind, "community_id": community_id, "person_id": person_id},
    )


async def balance(account_id: int) -> int:
    """Minutes: the sum of the account's entries."""
    rows = await Entry.filter(account_id=account_id).annotate(total=Sum("minutes")).values("total")
    return int((rows[0]["total"] if rows else None) or 0)


async def person_balance(person_id: int, community_id: int) -> int:
    row = await Account.get_or_none(key=_key(K.PERSON, community_id, person_id))
    return 0 if row is None else await balance(row.pk)


async def _lock(*accounts: Account) -> None:
    for row in sorted(accounts, key=lambda a: a.pk):
        await Account.filter(id=row.pk).update(version=F("version") + 1)


async def _post(
    community_id: int,
    kind: ledger.TransferKind,
    postings: list[ledger.Posting],
    accounts: dict[str, Account],
    *,
    by: int | None,
    memo: str = "",
    source_key: str | None = None,
) -> Transfer | None:
    if not postings:
        return None
    assert ledger.balanced(postings), "a transfer's entries sum to zero"
    transfer = await Transfer.create(
        community_id=community_id,
        kind=kind,
        memo=memo,
        source_key=source_key,
        by_account_id=by,
        at=kit.now(),
    )
    await Entry.bulk_create(
        [
            Entry(transfer_id=transfer.pk, account_id=accounts[name].pk, minutes=m)
            for name, m in postings
        ]
    )
    return transfer


async def deposit_hours(record_id: int, person_id: int, community_id: int, minutes: int) -> None:
    """Inside the approval's transaction: approved minutes in (or out, for a correction that
    lowered them), once per record (``source_key``). Nothing when the time bank is off."""
    s = await common.settings_for(community_id)
    if not s.time_bank or minutes == 0:
        return
    mine = await account(K.PERSON, community_id, person_id)
    accounts = {
        "person": mine,
        "issue": await account(K.ISSUE, community_id),
        "donation": await account(K.DONATION, community_id),
    }
    await _lock(mine)
    held = await balance(mine.pk)
    if minutes > 0:
        postings = ledger.deposit(minutes, held, s.time_bank_cap_hours * 60)
        kind = ledger.TransferKind.DEPOSIT
    else:
        postings = ledger.withdraw(-minutes, held)
        kind = ledger.TransferKind.WITHDRAW
    await _post(community_id, kind, postings, accounts, by=None, source_key=f"hours:{record_id}")


async def account_of(actor: Actor, person_id: int | None) -> tuple[Person, int, list[Entry]]:
    """The holder (oneself, or a person one is proxy for), the balance and recent entries."""
    who = await common.volunteer(actor, person_id)
    row = await Account.get_or_none(key=_key(K.PERSON, who.person.community_id, who.person.pk))
    if row is None:
        return who.person, 0, []
    entries = await Entry.filter(account_id=row.pk).order_by("-id").limit(50)
    return who.person, await balance(row.pk), entries


async def transfer_coins(
    actor: Actor, to_person_id: int, minutes: int, person_id: int | None = None, memo: str = ""
) -> int:
    """V9: coins to another person of the community (e.g. a family member). The new balance."""
    who = await common.volunteer(actor, person_id)
    rules.check_amount(minutes)
    community_id = who.person.community_id
    s = await common.settings_for(community_id)
    if not s.time_bank:
        raise Refused(str(rules.Reason.TIME_BANK_OFF))
    other = await Person.get_or_none(id=to_person_id)
    if other is None or other.community_id != community_id or other.pk == who.person.pk:
        raise Refused("INVALID_INPUT", field="toPersonId")
    mine = await account(K.PERSON, community_id, who.person.pk)
    theirs = await account(K.PERSON, community_id, other.pk)
    async with db.atomic():
        await _lock(mine)
        postings = ledger.transfer(minutes, await balance(mine.pk))
        t = await _post(
            community_id,
            ledger.TransferKind.TRANSFER,
            postings,
            {"person": mine, "other": theirs},
            by=actor.account_id,
            memo=memo[:200],
        )
        await who.record("volunteers.coins.transfer", obj=t, force=True, minutes=minutes)
        return await balance(mine.pk)


async def redeem_coins(
    actor: Actor, minutes: int, person_id: int | None = None, memo: str = ""
) -> int:
    """V9: coins for a service, by a holder of at least the minimum age. The new balance;
    INSUFFICIENT_COINS when it would go below zero (under any concurrency)."""
    who = await common.volunteer(actor, person_id)
    rules.check_amount(minutes)
    community_id = who.person.community_id
    s = await common.settings_for(community_id)
    rules.check_redeem(who.person.birth_date, kit.today(s.tz), s)
    mine = await account(K.PERSON, community_id, who.person.pk)
    service = await account(K.SERVICE, community_id)
    async with db.atomic():
        await _lock(mine)
        postings = ledger.redeem(minutes, await balance(mine.pk))
        t = await _post(
            community_id,
            ledger.TransferKind.REDEEM,
            postings,
            {"person": mine, "service": service},
            by=actor.account_id,
            memo=memo[:200],
        )
        await who.record("volunteers.coins.redeem", obj=t, force=True, minutes=minutes)
        return await balance(mine.pk)


async def community_totals(actor: Actor, community_id: int) -> dict[str, int]:
    """Staff: every account kind's sum in the community, and the whole ledger's (always 0)."""
    access.require(actor, "volunteers.manage", community_id)
    totals: dict[str, int] = {}
    for row in await Account.filter(community_id=community_id):
        totals[row.kind] = totals.get(row.kind, 0) + await balance(row.pk)
    await audit.record(actor, "volunteers.coins.totals", community_id=community_id)
    return totals
