"""E4 nominations: a voter nominates alone, or jointly with co-nominators who each confirm;
the nominee accepts or declines; an election-committee member who accepts leaves the
committee (audited, and visible on the committee list).

The rules (``rules.nominations``) decide; the database holds them under concurrency: a voter's
count per post is a counter that never passes the post's seats (``NominatorQuota``, taken with
one conditional UPDATE), and one live nomination per post and nominee is a unique key
(``live_nominee_id``). Staff nominate only as voters: the proposer is the caller's person,
who must be on the roll.
"""

from __future__ import annotations

from collections.abc import Sequence

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused

from ..models import CommitteeMember, Election, ElectionPost, Nomination, Nominator, NominatorQuota
from ..rules import nominations as rules
from ..rules.deadlines import Act, Phase, check_act
from ..rules.model import Post
from .common import load_for, person_of, ruled
from .events import updated
from .roll import on_roll

QUOTA = kit.Capacity(NominatorQuota, count="used", limit="seats")
S = rules.NominationStatus


async def nominate(actor: Actor, election_id: int, *, post: str, nominee: int,
                   co_nominators: Sequence[int] = ()) -> Nomination:
    election = await load_for(actor, election_id)
    proposer = person_of(actor)
    with ruled():
        check_act(Act.NOMINATE, Phase(election.phase))
    seats = dict(await ElectionPost.filter(election_id=election.pk).values_list("post", "seats"))
    people = list(dict.fromkeys([proposer, *co_nominators]))
    if len(people) > 20:
        raise Refused("INVALID_INPUT", field="coNominators")
    roll = {str(p) for p in await on_roll(election.pk, [*people, nominee])}
    if post not in seats:
        raise Refused("UNKNOWN_POST", field="post")
    with ruled("post"):
        # The rule's checks in its order (nominators on the roll, the nominee eligible); the
        # existing nominations are the database's to count, below, under concurrency.
        rules.nominate(Post(post), str(nominee), [str(p) for p in people],
                       {Post(k): v for k, v in seats.items()}, roll, ())
    quotas = [await kit.get_or_create_row(
        NominatorQuota, election_id=election.pk, post=post, person_id=p,
        defaults={"seats": seats[post]}) for p in people]
    now = kit.now()
    async with db.atomic():
        nomination = await kit.create_unless_exists(
            Nomination, refuse=Refused("ALREADY_NOMINATED", field="nominee"),
            election_id=election.pk, post=post, nominee_person_id=nominee,
            live_nominee_id=nominee,
            status=str(S.AWAITING_CONFIRMATION if len(people) > 1 else S.AWAITING_ANSWER),
            created_at=now, created_by_account_id=actor.account_id)
        for quota in quotas:
            if await QUOTA.take(quota.pk) is None:
                raise Refused("TOO_MANY_NOMINATIONS", field="post", post=post,
                              seats=seats[post])
        for p in people:
            await Nominator.create(nomination_id=nomination.pk, person_id=p,
                                   proposer=p == proposer,
                                   confirmed_at=now if p == proposer else None)
        await _record(actor, election, "elections.nomination.create", nomination, post=post)
    return nomination


async def confirm(actor: Actor, nomination_id: int) -> Nomination:
    """A co-nominator confirms a joint nomination; the last one makes it await the answer."""
    nomination, election = await _load(actor, nomination_id)
    person = person_of(actor)
    with ruled():
        check_act(Act.NOMINATE, Phase(election.phase))
    async with db.atomic():
        changed = await Nominator.filter(nomination_id=nomination.pk, person_id=person,
                                         proposer=False, confirmed_at__isnull=True
                                         ).update(confirmed_at=kit.now())
        if changed != 1:
            named = await Nominator.exists(nomination_id=nomination.pk, person_id=person,
                                           proposer=False)
            raise Refused("ALREADY_DECIDED" if named else "NOT_A_CO_NOMINATOR")
        if nomination.status != S.AWAITING_CONFIRMATION:
            raise Refused("ALREADY_DECIDED")
        waiting = await Nominator.filter(nomination_id=nomination.pk,
                                         confirmed_at__isnull=True).count()
        if not waiting:
            await Nomination.filter(pk=nomination.pk, status=str(S.AWAITING_CONFIRMATION)
                                    ).update(status=str(S.AWAITING_ANSWER))
        await _record(actor, election, "elections.nomination.confirm", nomination)
    await nomination.refresh_from_db()
    return nomination


async def answer(actor: Actor, nomination_id: int, *, accept: bool) -> Nomination:
    """acceptNomination / declineNomination, by the nominee. A declined nomination no longer
    counts against its nominators' limits."""
    nomination, election = await _load(actor, nomination_id)
    person = person_of(actor)
    with ruled():
        check_act(Act.ANSWER_NOMINATION, Phase(election.phase))
        if person != nomination.nominee_person_id:
            raise rules.Refused(rules.Code.NOT_THE_NOMINEE)
        if nomination.status in (S.ACCEPTED, S.DECLINED):
            raise rules.Refused(rules.Code.ALREADY_DECIDED)
        if accept and nomination.status == S.AWAITING_CONFIRMATION:
            raise rules.Refused(rules.Code.NOT_CONFIRMED)
    now = kit.now()
    target = S.ACCEPTED if accept else S.DECLINED
    changes = {"status": str(target), "answered_at": now}
    if not accept:
        changes["live_nominee_id"] = None
    async with db.atomic():
        changed = await Nomination.filter(pk=nomination.pk, status=nomination.status
                                          ).update(**changes)
        if changed != 1:
            raise Refused("ALREADY_DECIDED")
        if accept:
            left = await CommitteeMember.filter(election_id=election.pk, person_id=person,
                                                left_at__isnull=True
                                                ).update(left_at=now, left_reason="NOMINATED")
            if left:  # E4: a committee member who accepts leaves the committee
                await _record(actor, election, "elections.committee.leave", nomination,
                              kind="COMMITTEE_LEFT", reason="NOMINATED")
        else:
            people = await Nominator.filter(nomination_id=nomination.pk).values_list(
                "person_id", flat=True)
            for quota in await NominatorQuota.filter(election_id=election.pk,
                                                     post=nomination.post,
                                                     person_id__in=list(people)):
                await QUOTA.give_back(quota.pk)
        await _record(actor, election, f"elections.nomination.{target.lower()}", nomination,
                      kind=f"NOMINATION_{target}")
    await nomination.refresh_from_db()
    return nomination


async def accepted(election_id: int) -> dict[str, list[int]]:
    """Per post, the accepted nominees' person ids (the primary's and the slate's input)."""
    out: dict[str, list[int]] = {}
    for post, person in await Nomination.filter(
            election_id=election_id, status=str(S.ACCEPTED)).values_list(
            "post", "nominee_person_id"):
        out.setdefault(post, []).append(person)
    return out


async def _load(actor: Actor, nomination_id: int) -> tuple[Nomination, Election]:
    nomination = await Nomination.get_or_none(pk=nomination_id)
    if nomination is None:
        raise Refused("NOT_FOUND", field="nominationId")
    election = await load_for(actor, nomination.election_id)
    return nomination, election


async def _record(actor: Actor, election: Election, action: str, nomination: Nomination,
                  *, kind: str = "NOMINATION", **detail: object) -> None:
    """Every act on a nomination is an election act: audited, and announced."""
    await audit.record(actor, action, community_id=election.community_id, obj=nomination,
                       election_id=election.pk, **detail)
    event, payload = updated(election, kind)
    await event.publish(**payload)
