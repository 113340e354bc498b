"""E2 objections to the roll: filed within ``objection_days`` of its publication by any
voter or resident of the community (someone missing, someone who should not be there),
decided by staff or the election committee within ``decision_days`` of the filing, the
decision published (``objections`` and an ``elections.updated`` event). Once voting opens the
roll is frozen: ROLL_FROZEN.
"""

from __future__ import annotations

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.models import Person

from ..models import Election, RollEntry, RollObjection
from ..rules import roll as rules
from ..rules.deadlines import (
    Act,
    Phase,
    check_act,
    check_window,
    decision_window,
    objection_window,
)
from .common import load_for, ruled, today_of
from .events import updated
from .roll import change_size

KINDS = ("MISSING", "NOT_ELIGIBLE")


async def file(actor: Actor, election_id: int, *, kind: str, subject_person_id: int,
               reason: str) -> RollObjection:
    election = await load_for(actor, election_id)
    if kind not in KINDS:
        raise Refused("INVALID_INPUT", field="kind")
    reason = reason.strip()
    if len(reason) > 500:
        raise Refused("INVALID_INPUT", field="reason")
    today = await today_of(election)
    with ruled():
        check_act(Act.FILE_OBJECTION, Phase(election.phase))
        check_window(objection_window(election.roll_published_on,
                                      election.rules_settings().deadlines()), today)
    listed = await RollEntry.exists(election_id=election.pk, person_id=subject_person_id)
    if kind == "MISSING" and listed:
        raise Refused("ALREADY_ON_ROLL", field="subjectPersonId")
    if kind == "NOT_ELIGIBLE" and not listed:
        raise Refused("NOT_ON_ROLL", field="subjectPersonId")
    if kind == "MISSING" and not await Person.exists(pk=subject_person_id):
        raise Refused("NOT_FOUND", field="subjectPersonId")
    async with db.atomic():
        objection = await RollObjection.create(
            election_id=election.pk, kind=kind, subject_person_id=subject_person_id,
            filed_by_person_id=actor.person_id, filed_by_account_id=actor.account_id,
            reason=reason, filed_on=today, filed_at=kit.now(),
        )
        await audit.record(actor, "elections.roll.object", community_id=election.community_id,
                           obj=objection, election_id=election.pk, kind=kind)
        event, payload = updated(election, "OBJECTION_FILED")
        await event.publish(**payload)
    return objection


async def decide(actor: Actor, objection_id: int, *, uphold: bool, note: str) -> RollObjection:
    objection = await RollObjection.get_or_none(pk=objection_id)
    if objection is None:
        raise Refused("NOT_FOUND", field="objectionId")
    election = await load_for(actor, objection.election_id, "elections.manage")
    note = note.strip()
    if len(note) > 500:
        raise Refused("INVALID_INPUT", field="note")
    today = await today_of(election)
    with ruled():
        check_act(Act.DECIDE_OBJECTION, Phase(election.phase))
        check_window(decision_window(objection.filed_on, election.rules_settings().deadlines()),
                     today)
    status = "UPHELD" if uphold else "REJECTED"
    async with db.atomic():
        changed = await RollObjection.filter(pk=objection.pk, status="FILED").update(
            status=status, decided_on=today, decided_at=kit.now(),
            decided_by_account_id=actor.account_id, decision_note=note)
        if changed != 1:
            raise Refused("ALREADY_DECIDED")
        if uphold:
            await _apply(election, objection)
        await audit.record(actor, "elections.roll.decide", community_id=election.community_id,
                           obj=objection, election_id=election.pk, decision=status)
        event, payload = updated(election, "OBJECTION_DECIDED")
        await event.publish(**payload)
    await objection.refresh_from_db()
    return objection


async def _apply(election: Election, objection: RollObjection) -> None:
    """An upheld objection changes the roll: the missing voter is added (if the rule agrees
    they are a voter here), the ineligible one removed."""
    if objection.kind == "NOT_ELIGIBLE":
        removed = await RollEntry.filter(election_id=election.pk,
                                         person_id=objection.subject_person_id).delete()
        await change_size(election, -removed)
        return
    person = await Person.get_or_none(pk=objection.subject_person_id).prefetch_related("area")
    if person is None:
        raise Refused("NOT_FOUND", field="objectionId")
    c = str(election.community_id)
    facts = rules.Person(str(person.pk), person.birth_date or election.election_day,
                         frozenset({str(person.community_id)}))
    with ruled("objectionId"):
        verdict = rules.eligibility(facts, c, election.election_day)
        if person.birth_date is None:
            verdict = rules.Code.UNDER_18
        if isinstance(verdict, rules.Code):
            raise rules.Refused(verdict)
    await kit.create_unless_exists(
        RollEntry, refuse=Refused("ALREADY_ON_ROLL", field="objectionId"),
        election_id=election.pk, person_id=person.pk, name=person.real_name,
        household=person.household, resident_group=person.area.name if person.area else "",
        added_by_objection_id=objection.pk)
    await change_size(election, 1)
