"""V8: certificates of service records, issued free by the community that kept them, and
their verification by anyone holding the number (no login: the masked name only)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity import access
from linli.core.identity.models import Community, Person

from .. import rules
from ..models import Activity, Certificate, HoursRecord
from ..rules import certificate as cert_rules
from ..rules.hours import HoursStatus


async def issue(actor: Actor, person_id: int | None, first: dt.date, last: dt.date) -> Certificate:
    """For oneself (or a person one is proxy for), or by the organisation that kept the
    records (staff holding volunteers.organise in the person's community)."""
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    target = actor.person_id if person_id is None else person_id
    if target is None:
        raise Refused("FORBIDDEN", field="personId")
    person = await Person.get_or_none(id=target)
    if person is None:
        raise Refused("FORBIDDEN", field="personId")
    if not access.can(actor, "volunteers.organise", person.community_id):
        who = await access.acting_for(actor, person.pk)
        if who.how == "staff":
            raise Refused("FORBIDDEN", field="personId")
    community = await Community.get(id=person.community_id)
    today = kit.today(community.time_zone)
    cert_rules.check_period(first, last, today)
    records = await HoursRecord.filter(
        person_id=person.pk,
        community_id=community.pk,
        status=HoursStatus.APPROVED,
        shift__local_date__gte=first,
        shift__local_date__lte=last,
    ).values_list("activity_id", "minutes")
    titles = dict(await Activity.filter(id__in={a for a, _ in records}).values_list("id", "title"))
    lines = cert_rules.lines_by_activity((a, titles.get(a, ""), m) for a, m in records)
    total = cert_rules.check_lines(lines)
    at = kit.now()
    async with db.atomic():
        for _ in range(5):  # 50 random bits: a collision is all but impossible, yet retried
            number = cert_rules.new_number(today.year)
            if not await Certificate.exists(number=number):
                break
        row = await Certificate.create(
            number=number,
            person_id=person.pk,
            community_id=community.pk,
            period_from=first,
            period_to=last,
            total_minutes=total,
            lines=lines,
            masked_name=cert_rules.masked_name(person.real_name),
            issued_by_account_id=actor.account_id,
            issued_at=at,
        )
        await audit.record(
            actor,
            "volunteers.certificate.issue",
            community_id=community.pk,
            obj=row,
            on_behalf_of_person_id=person.pk,
        )
    return row


async def visible(actor: Actor, certificate_id: int) -> Certificate:
    """The certificate, for its holder, their proxies and the issuing community's staff."""
    row = await Certificate.get_or_none(id=certificate_id)
    if row is None or not await may_see(actor, row):
        raise Refused("NOT_FOUND", field="id")
    return row


async def may_see(actor: Actor, row: Certificate) -> bool:
    if access.can(actor, "volunteers.organise", row.community_id):
        return True
    try:
        who = await access.acting_for(actor, row.person_id)
    except Refused:
        return False
    return who.how != "staff"


async def revoke(actor: Actor, certificate_id: int) -> Certificate:
    row = await Certificate.get_or_none(id=certificate_id)
    if row is None or not access.can(actor, "volunteers.organise", row.community_id):
        raise Refused("FORBIDDEN", field="certificateId")
    async with db.atomic():
        changed = await Certificate.filter(id=row.pk, revoked_at=None).update(revoked_at=kit.now())
        if changed != 1:
            raise Refused(str(rules.Reason.INVALID_TRANSITION), field="certificateId")
        await audit.record(
            actor, "volunteers.certificate.revoke", community_id=row.community_id, obj=row
        )
    await row.refresh_from_db()
    return row


@dataclasses.dataclass(frozen=True)
class Verification:
    number: str
    masked_name: str
    issuer: str
    period_from: dt.date
    period_to: dt.date
    hours: float
    revoked: bool


async def verify(number: str) -> Verification | None:
    """Anyone with the number: None when there is none. A malformed number costs the same
    single indexed lookup as a well-formed unknown one (no timing to tell them apart)."""
    wanted = number.strip().upper()[:20]
    row = await Certificate.get_or_none(number=wanted).select_related("community")
    if row is None or not cert_rules.well_formed(wanted):
        return None
    return Verification(
        number=row.number,
        masked_name=row.masked_name,
        issuer=row.community.name,
        period_from=row.period_from,
        period_to=row.period_to,
        hours=round(row.total_minutes / 60, 2),
        revoked=row.revoked_at is not None,
    )
