"""E5 the primary (预选) and the final slate (差额).

Per post, when the nominations close: more accepted nominees than the slate's size → a
primary ranks them (NEEDED); seats < nominees ≤ slate size → no primary, and the post's
record says why (NOT_NEEDED, with the count it was decided on); nominees ≤ seats → not
competitive, nothing can be published (NOT_COMPETITIVE). The primary is a round of the
shared ballot box (part II): ``primary_round`` is the round it opens (kind PRIMARY, no
proxies, each post's seats the slate size), and ``record_primary_result`` takes its counted
result; a tie at the cut-off leaves the post waiting for a new primary ballot between the tied.

The slate is published once (of two concurrent publications one wins: the phase move is
guarded) at least ``slate_days_before`` days before election day, in a fixed order
(``rules.slate.slate_order``), 姓氏笔画: by surname, then given name, character by character
by the stroke table (``service.strokes``: strokes, then the stroke sequence 横竖撇点折), then
by person id. The primary's ballot lists its nominees in the same order. Proxies held by
someone who became a candidate are voided (E10).
"""

from __future__ import annotations

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.models import Person

from ..models import Candidate, Election, ElectionPost, Proxy
from ..rules import slate as rules
from ..rules.count import RoundResult
from ..rules.deadlines import Act, Phase, check_act, check_window, slate_publication_window
from ..rules.model import Candidate as RoundCandidate
from ..rules.model import Kind, Post, Round, Seats, Status
from ..rules.proxies import Proxy as RuleProxy
from ..rules.proxies import Relation, proxies_held_by_candidates
from . import elections, nominations, strokes
from . import rounds as rounds_service
from .common import load_for, ruled, since_creation, today_of
from .events import updated
from .proxies import HOLDERS

# Two-character surnames (复姓) of the slate's order; any other name's surname is its first
# character.
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙",
    "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟",
})


def split_name(name: str) -> tuple[str, str]:
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]
    return surname, name[len(surname):]


async def plans(election: Election) -> tuple[rules.PostPlan, ...]:
    seats = {Post(p): n for p, n in await ElectionPost.filter(
        election_id=election.pk).values_list("post", "seats")}
    accepted = {Post(p): [str(x) for x in people]
                for p, people in (await nominations.accepted(election.pk)).items()}
    return rules.plan_primary(seats, accepted, election.rules_settings().count())


async def _record_plans(election: Election, planned: tuple[rules.PostPlan, ...]) -> None:
    """The record of each post's decision: a skipped primary says why (its counts)."""
    for plan in planned:
        await ElectionPost.filter(election_id=election.pk, post=str(plan.post)).update(
            primary_decision=str(plan.decision), primary_nominees=plan.nominees,
            slate_size=plan.slate_size)


async def start_primary(actor: Actor, election_id: int) -> Election:
    """startPrimary: staff or the committee close the nominations into a primary, when a
    post needs one (E5), and the ballot box opens its round (``primary_round``): voters
    cast into it as into the main vote (online, mobile box, polling station; no proxy), and
    closePolls / countVotes close and count it."""
    election = await load_for(actor, election_id, "elections.manage")
    with ruled():
        check_act(Act.START_PRIMARY, Phase(election.phase))
    planned = await plans(election)
    with ruled():
        rules.check_competitive(planned)
    if not any(p.decision is rules.PrimaryDecision.NEEDED for p in planned):
        raise Refused("PRIMARY_NOT_NEEDED")
    async with db.atomic():
        await elections.move(election, Phase.PRIMARY, by=actor, kind="PRIMARY_STARTED",
                             audit="elections.primary.start")
        await _record_plans(election, planned)
        ballot = await primary_round(election)
        row = await rounds_service.open_round(
            election, Kind.PRIMARY, ballot.posts,
            [{"id": c.id, "person": c.person, "post": str(c.post), "name": c.name}
             for c in ballot.candidates])
        await ElectionPost.filter(
            election_id=election.pk, post__in=[str(s.post) for s in ballot.posts]
        ).update(primary_round=rounds_service.label(row.number))
    return election


async def primary_round(election: Election) -> Round:
    """The primary's ballot: the NEEDED posts, each electing its slate size among the
    accepted nominees (plurality, no proxies: ``model.KIND_RULES``), listed in the slate's
    order. Candidate ids are ``<post>:<person>``."""
    rows = await ElectionPost.filter(election_id=election.pk,
                                     primary_decision=str(rules.PrimaryDecision.NEEDED))
    accepted = await nominations.accepted(election.pk)
    needed = sorted((Post(r.post) for r in rows), key=list(Post).index)
    sizes = {r.post: r.slate_size for r in rows}
    people = {p for post in needed for p in accepted.get(str(post), [])}
    names = dict(await Person.filter(pk__in=people).values_list("id", "real_name"))
    candidates = tuple(
        RoundCandidate(f"{post}:{entry.person}", entry.person, post, names[int(entry.person)])
        for post in needed
        for entry in ordered(accepted.get(str(post), []), names)
    )
    return Round(rows[0].primary_round or "R1" if rows else "R1",
                 Kind.PRIMARY, tuple(Seats(p, sizes[str(p)]) for p in needed), candidates)


def ordered(persons, names: dict[int, str]) -> list[rules.SlateEntry]:
    """Persons in the slate's fixed order (surname stroke order, ``rules.slate_order``)."""
    return rules.slate_order(
        (rules.SlateEntry(str(p), *split_name(names.get(p, ""))) for p in persons),
        strokes=strokes.places())


async def record_primary_result(election: Election, result: RoundResult) -> None:
    """The counted primary (from the ballot box): each post's status and who made the slate.
    A tie at the cut-off is kept as TIE: the slate waits for a new primary ballot."""
    async with db.atomic():
        for post in result.posts:
            await ElectionPost.filter(election_id=election.pk, post=str(post.post)).update(
                primary_result={
                    "round": result.round.id, "outcome": str(result.outcome),
                    "status": str(post.status), "elected": list(post.elected),
                    "totals": [list(t) for t in post.totals],
                    "tied": list(post.tie[0]) if post.tie else [],
                })
        event, payload = updated(election, "PRIMARY_COUNTED")
        await event.publish(**payload)


async def publish(actor: Actor, election_id: int) -> Election:
    """publishSlate (E5): from the nominations (no primary needed) or the primary's result."""
    election = await load_for(actor, election_id, "elections.manage")
    phase = Phase(election.phase)
    today = await today_of(election)
    window = await since_creation(slate_publication_window(
        election.election_day, election.rules_settings().deadlines()), election)
    with ruled():
        check_act(Act.PUBLISH_SLATE, phase)
        check_window(window, today)
    planned = await plans(election)
    with ruled():
        rules.check_competitive(planned)
    accepted = await nominations.accepted(election.pk)
    posts = {r.post: r for r in await ElectionPost.filter(election_id=election.pk)}
    slate: dict[str, list[int]] = {}
    for plan in planned:
        post = str(plan.post)
        if plan.decision is not rules.PrimaryDecision.NEEDED:
            slate[post] = accepted.get(post, [])
            continue
        if phase is not Phase.PRIMARY:
            raise Refused("PRIMARY_NEEDED", field="electionId")
        result = posts[post].primary_result or {}
        if result.get("status") != str(Status.FILLED):
            raise Refused("PRIMARY_NOT_HELD", field="electionId")
        slate[post] = [int(p) for p in result["elected"]]
    people = {p for persons in slate.values() for p in persons}
    names = dict(await Person.filter(pk__in=people).values_list("id", "real_name"))
    async with db.atomic():
        await elections.move(election, Phase.SLATE_PUBLISHED, by=actor, kind="SLATE_PUBLISHED",
                             audit="elections.slate.publish",
                             changes={"slate_published_on": today})
        if phase is Phase.NOMINATION:
            await _record_plans(election, planned)
        for post, persons in slate.items():
            for position, entry in enumerate(ordered(persons, names), start=1):
                await Candidate.create(election_id=election.pk, post=post,
                                       person_id=int(entry.person), name=names[int(entry.person)],
                                       position=position)
        await _void_candidates_proxies(actor, election, people)
    election.slate_published_on = today
    return election


async def _void_candidates_proxies(actor: Actor, election: Election, people: set[int]) -> None:
    """E10: a candidate cannot be a proxy, whenever they became one: their proxies end."""
    live = await Proxy.filter(election_id=election.pk, status="GRANTED")
    held = proxies_held_by_candidates(
        [RuleProxy(str(p.grantor_person_id), str(p.holder_person_id), Relation(p.relation))
         for p in live], {str(p) for p in people})
    voided = {(int(p.grantor), int(p.holder)) for p in held}
    for proxy in live:
        if (proxy.grantor_person_id, proxy.holder_person_id) in voided:
            await Proxy.filter(pk=proxy.pk, status="GRANTED").update(
                status="VOID", live_grantor_id=None, ended_at=kit.now())
            quota = await HOLDERS.model.get_or_none(election_id=election.pk,
                                                    holder_person_id=proxy.holder_person_id)
            if quota is not None:
                await HOLDERS.give_back(quota.pk)
            await audit.record(actor, "elections.proxy.void", community_id=election.community_id,
                               obj=proxy, election_id=election.pk, reason="CANDIDATE")
