"""What booking or joining the waitlist of a slot for a person needs checked first, in
DOMAIN.md's order (B5 for whom, B6 window, B1 eligibility, B9 ban, B10 priority)."""

from __future__ import annotations

from linli.core import kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity import access

from .. import rules
from ..models import ServiceType, Slot
from ..rules import waitlist as waitlist_rules
from . import common
from .common import Status


async def load_slot(slot_id: int) -> Slot:
    # One statement (a join), where prefetching the service type took a second round trip.
    slot = await Slot.filter(id=slot_id).select_related("service_type").first()
    if slot is None:
        raise Refused("NOT_FOUND", field="slotId")
    return slot


def eligibility_of(service_type: ServiceType) -> rules.Eligibility:
    return rules.Eligibility(
        min_age=service_type.min_age,
        max_age=service_type.max_age,
        requires_family_doctor_contract=service_type.requires_family_doctor_contract,
    )


class Check:
    """A slot, the person it is for and how the actor acts for them, checked by ``run``."""

    def __init__(
        self, actor: Actor, slot: Slot, who: access.ActingFor, s: rules.BookingSettings
    ) -> None:
        self.actor, self.slot, self.who, self.settings = actor, slot, who, s
        self.priority = False

    async def run(self) -> None:
        slot, person, s = self.slot, self.who.person, self.settings
        if person.community_id != slot.community_id:
            raise Refused("NOT_ELIGIBLE", field="personId")  # a centre serves its community
        # B6, with the staff_bypass_window setting for staff booking for a resident (B5)
        least, most = rules.booking_window(s, staff_for_resident=self.who.how == "staff")
        rules.booking_window_error(
            slot.start, kit.now(), s.tz, min_days=least, max_days=most, field="slotId"
        )
        facts, banned_until = await common.person_facts(person)
        rules.check_eligibility(
            eligibility_of(slot.service_type), facts, slot.local_date, field="personId"
        )
        if waitlist_rules.is_banned(banned_until, kit.today(s.tz)):
            raise Refused("BANNED_UNTIL", field="personId", until=banned_until.isoformat())
        self.priority = rules.is_priority(facts, slot.local_date, s.elderly_age)

    def daily_key(self) -> str | None:
        return rules.daily_limit_key(
            self.who.person.pk,
            self.slot.service_type_id,
            self.slot.local_date,
            Status.BOOKED,
            enabled=self.settings.one_per_day,
        )


async def prepare(actor: Actor, slot_id: int, person_id: int | None) -> Check:
    slot = await load_slot(slot_id)
    if person_id is None:
        if actor.authenticated and actor.person_id is None:
            raise Refused("INVALID_INPUT", field="personId")
        person_id = actor.person_id
    who = await access.acting_for(actor, person_id)  # PROXY_NOT_VERIFIED, FORBIDDEN (B5)
    check = Check(actor, slot, who, await common.settings_for(slot.community_id))
    await check.run()
    return check
