"""E10 proxies (委托投票): a voter gives a written proxy to a close relative also on the roll;
a proxy holds at most ``proxy_limit`` (3); a candidate cannot be one; the list is published
before voting (``votingProxies``), and a proxy can be withdrawn until voting opens.

Two ways in: staff (or the election committee) record the written form (GRANTED at once), or
the grantor asks in the app and the holder accepts there (PENDING, then GRANTED). Under
concurrency the database decides: one live proxy per grantor is a unique key
(``live_grantor_id``), and a holder's count is a counter that never passes the limit
(``ProxyQuota``, one conditional UPDATE), taken when the proxy is asked for and given back
when it ends.
"""

from __future__ import annotations

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.access import can

from ..models import Candidate, Election, Nomination, Proxy, ProxyQuota
from ..rules import proxies as rules
from ..rules.deadlines import Act, Phase, check_act
from ..rules.nominations import NominationStatus
from .common import load_for, on_committee, person_of, ruled
from .events import updated
from .roll import on_roll

HOLDERS = kit.Capacity(ProxyQuota, count="held", limit="limit")
LIVE = ("PENDING", "GRANTED")


async def candidates_of(election: Election, people: list[int]) -> set[int]:
    """Who of ``people`` stands: an accepted nominee or on the slate."""
    nominees = await Nomination.filter(
        election_id=election.pk, status=str(NominationStatus.ACCEPTED),
        nominee_person_id__in=people).values_list("nominee_person_id", flat=True)
    slate = await Candidate.filter(election_id=election.pk, person_id__in=people
                                   ).values_list("person_id", flat=True)
    return set(nominees) | set(slate)


async def may_manage(actor: Actor, election: Election) -> bool:
    return can(actor, "elections.manage", election.community_id) or await on_committee(
        actor, election)


async def grant(actor: Actor, election_id: int, *, grantor: int | None, holder: int,
                relation: str) -> Proxy:
    """grantVotingProxy: with ``grantor`` None the caller grants (in the app: PENDING until
    the holder accepts); with a grantor, staff or the committee record the written form."""
    election = await load_for(actor, election_id)
    if grantor is None or grantor == actor.person_id:
        grantor, via = person_of(actor), "APP"
    elif await may_manage(actor, election):
        via = "FORM"
    else:
        raise Refused("FORBIDDEN", field="grantorId")
    settings = election.rules_settings().proxies()
    roll = {str(p) for p in await on_roll(election.pk, [grantor, holder])}
    standing = {str(p) for p in await candidates_of(election, [holder])}
    with ruled("holderId"):
        # The rule's checks in its order; the existing proxies are the database's to count.
        rules.grant_proxy(str(grantor), str(holder), relation, Phase(election.phase), roll,
                          standing, (), settings)
    quota = await kit.get_or_create_row(ProxyQuota, election_id=election.pk,
                                        holder_person_id=holder,
                                        defaults={"limit": settings.limit})
    now = kit.now()
    status = "GRANTED" if via == "FORM" else "PENDING"
    async with db.atomic():
        proxy = await kit.create_unless_exists(
            Proxy, refuse=Refused("ALREADY_GRANTED", field="grantorId"),
            election_id=election.pk, grantor_person_id=grantor, holder_person_id=holder,
            live_grantor_id=grantor, relation=relation, via=via, status=status,
            created_at=now, recorded_by_account_id=actor.account_id,
            granted_at=now if status == "GRANTED" else None)
        if await HOLDERS.take(quota.pk) is None:
            raise Refused("PROXY_LIMIT", field="holderId", limit=quota.limit)
        await _record(actor, election, "elections.proxy.grant", proxy, via=via)
    return proxy


async def answer(actor: Actor, proxy_id: int, *, accept: bool) -> Proxy:
    """The holder accepts (or declines) a proxy asked for in the app."""
    proxy, election = await _load(actor, proxy_id)
    if actor.person_id != proxy.holder_person_id:
        raise Refused("NOT_A_PROXY", field="proxyId")
    with ruled():
        check_act(Act.GRANT_PROXY, Phase(election.phase))
    if accept and proxy.holder_person_id in await candidates_of(election,
                                                                [proxy.holder_person_id]):
        raise Refused("CANDIDATE_CANNOT_BE_PROXY", field="proxyId")
    now = kit.now()
    changes = ({"status": "GRANTED", "granted_at": now} if accept else
               {"status": "DECLINED", "ended_at": now, "live_grantor_id": None})
    async with db.atomic():
        if await Proxy.filter(pk=proxy.pk, status="PENDING").update(**changes) != 1:
            raise Refused("ALREADY_DECIDED", field="proxyId")
        if not accept:
            await _give_back(election, proxy)
        await _record(actor, election, "elections.proxy.accept" if accept else
                      "elections.proxy.decline", proxy)
    await proxy.refresh_from_db()
    return proxy


async def withdraw(actor: Actor, proxy_id: int) -> Proxy:
    """withdrawVotingProxy: the grantor (or staff, from a written withdrawal) until voting
    opens (INVALID_PHASE after)."""
    proxy, election = await _load(actor, proxy_id)
    if actor.person_id != proxy.grantor_person_id and not await may_manage(actor, election):
        raise Refused("NOT_A_PROXY", field="proxyId")
    with ruled():
        check_act(Act.WITHDRAW_PROXY, Phase(election.phase))
    async with db.atomic():
        changed = await Proxy.filter(pk=proxy.pk, status__in=LIVE).update(
            status="WITHDRAWN", ended_at=kit.now(), live_grantor_id=None)
        if changed != 1:
            raise Refused("ALREADY_DECIDED", field="proxyId")
        await _give_back(election, proxy)
        await _record(actor, election, "elections.proxy.withdraw", proxy)
    await proxy.refresh_from_db()
    return proxy


async def _give_back(election: Election, proxy: Proxy) -> None:
    quota = await ProxyQuota.get_or_none(election_id=election.pk,
                                         holder_person_id=proxy.holder_person_id)
    if quota is not None:
        await HOLDERS.give_back(quota.pk)


async def _load(actor: Actor, proxy_id: int) -> tuple[Proxy, Election]:
    proxy = await Proxy.get_or_none(pk=proxy_id)
    if proxy is None:
        raise Refused("NOT_FOUND", field="proxyId")
    return proxy, await load_for(actor, proxy.election_id)


async def _record(actor: Actor, election: Election, action: str, proxy: Proxy,
                  **detail: object) -> None:
    await audit.record(actor, action, community_id=election.community_id, obj=proxy,
                       election_id=election.pk, **detail)
    event, payload = updated(election, "PROXY")
    await event.publish(**payload)
