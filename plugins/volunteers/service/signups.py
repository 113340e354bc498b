"""V3–V5: signing up, the first-in-first-out waitlist, withdrawing, a guardian's consent.

Each use case is one transaction that takes the shift's row first (the kit's capacity
counter: a conditional UPDATE, so on PostgreSQL the row stays locked to the commit), then
the sign-up's: two withdrawals of one shift promote in turn, each the first still waiting,
and nobody twice. The V4 overlap is refused by the database as the sign-up is inserted
(exclusion constraint on PostgreSQL, trigger under SQLite's single writer), never by a read.
A waitlisted or pending sign-up is a commitment too: promotion never creates an overlap.
"""

from __future__ import annotations

from linli.core import db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity import access
from linli.core.identity.models import Person

from .. import rules
from ..models import Shift, SignUp
from . import common
from .common import SEATS, SIGN_UPS, WAITING, S


async def _shift(shift_id: int) -> Shift:
    shift = await Shift.get_or_none(id=shift_id)
    if shift is None:
        raise Refused("NOT_FOUND", field="shiftId")
    return shift


async def sign_up(actor: Actor, shift_id: int, person_id: int | None = None) -> SignUp:
    """V3/V4/V5: CONFIRMED while seats last, then WAITLISTED in arrival order; a minor's
    sign-up is PENDING_CONSENT and takes no seat until a guardian consents."""
    who = await common.volunteer(actor, person_id)
    shift = await _shift(shift_id)
    if not await common.may_view(actor, shift.community_id):
        raise Refused("NOT_FOUND", field="shiftId")
    profile = await common.profile_of(who.person.pk)
    s = await common.settings_for(shift.community_id)
    at = kit.now()
    needs_consent = rules.check_sign_up(
        rules.ShiftFacts(
            start=shift.start,
            end=shift.end,
            cancelled=shift.cancelled,
            published=shift.published,
            required_skills=frozenset(shift.required_skills),
            min_age=shift.min_age,
            adults_only=shift.adults_only,
        ),
        rules.Volunteer(who.person.birth_date, frozenset(profile.skills)),
        at,
        s,
    )
    key = rules.active_key(shift.pk, who.person.pk)
    if await SignUp.exists(active_key=key):
        raise Refused(str(rules.Reason.ALREADY_SIGNED_UP), field="shiftId")
    async with db.atomic():
        # The shift's row first: a seat if one is left (V3), else a place on the waitlist.
        if needs_consent:
            status, taken = S.PENDING_CONSENT, await _touch(shift)
        elif (taken := await SEATS.take(shift.pk, returning=("cancelled",))) is not None:
            status = S.CONFIRMED
        else:
            status, taken = S.WAITLISTED, await WAITING.take(shift.pk, returning=("cancelled",))
        if taken is None or taken.get("cancelled"):
            raise Refused(str(rules.Reason.SHIFT_CANCELLED), field="shiftId")
        row = await kit.create_unless_exists(
            SignUp,
            refuse=Refused(str(rules.Reason.OVERLAP), field="shiftId"),
            shift_id=shift.pk,
            community_id=shift.community_id,
            person_id=who.person.pk,
            status=status,
            active=True,
            active_key=key,
            start_at=shift.start,
            end_at=shift.end,
            signed_up_by_account_id=actor.account_id,
            waitlisted_at=at if status == S.WAITLISTED else None,
            created_at=at,
            updated_at=at,
        )
        await SIGN_UPS.created(
            row,
            by=who,
            audit="volunteers.sign_up",
            events=[common.fill_event(shift), common.sign_up_event(row, str(status))],
        )
    return row


async def _touch(shift: Shift) -> dict[str, object] | None:
    """Lock the shift's row like a take does (a pending sign-up takes no seat, but it is
    ordered with the others), answering whether it is cancelled."""
    return await WAITING.restore(shift.pk, 0, returning=("cancelled",))


async def visible_sign_up(actor: Actor, sign_up_id: int) -> tuple[SignUp, access.ActingFor | None]:
    """The sign-up, for its volunteer, their guardian, or the shift's organisers."""
    row = await SignUp.get_or_none(id=sign_up_id)
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    if row is None:
        raise Refused("NOT_FOUND", field="signUpId")
    try:
        return row, await access.acting_for(actor, row.person_id)
    except Refused:
        pass
    shift = await Shift.get(id=row.shift_id)
    await common.organised(actor, shift.activity_id)
    return row, None


async def withdraw(actor: Actor, sign_up_id: int) -> SignUp:
    """Withdraw before the shift starts; a freed seat goes to the first volunteer waiting
    (exactly once: the shift's row is held while promoting)."""
    row, who = await visible_sign_up(actor, sign_up_id)
    if row.status not in rules.ACTIVE_SIGNUPS:
        raise Refused(str(rules.Reason.INVALID_TRANSITION), field="signUpId")
    shift = await _shift(row.shift_id)
    at = kit.now()
    if at >= shift.start:
        raise Refused(str(rules.Reason.SHIFT_STARTED), field="signUpId")
    before = row.status
    async with db.atomic():
        if before == S.CONFIRMED:
            await SEATS.give_back(shift.pk)
        elif before == S.WAITLISTED:
            await WAITING.give_back(shift.pk)
        else:
            await _touch(shift)
        await SIGN_UPS.move(
            row,
            S.WITHDRAWN,
            by=who or actor,
            changes={"active": False, "active_key": None, "updated_at": at},
            audit="volunteers.withdraw",
            events=[common.fill_event(shift), common.sign_up_event(row, "WITHDRAWN")],
        )
        if before == S.CONFIRMED:
            await promote(shift)
    await row.refresh_from_db()
    return row


async def promote(shift: Shift) -> int:
    """Fill freed seats from the waitlist, first in first out. Call it holding the shift's
    row (after a take or give_back in the same transaction). Answers how many moved up."""
    moved = 0
    while True:
        first = await SignUp.filter(shift_id=shift.pk, status=S.WAITLISTED).order_by("id").first()
        if first is None or await SEATS.take(shift.pk) is None:
            return moved
        try:
            await SIGN_UPS.move(
                first,
                S.CONFIRMED,
                note="promoted",
                changes={"updated_at": kit.now()},
                events=[common.fill_event(shift), common.sign_up_event(first, "PROMOTED")],
            )
        except Refused:  # it left the waitlist meanwhile: give the seat back, look again
            await SEATS.give_back(shift.pk)
            continue
        await WAITING.give_back(shift.pk)
        moved += 1


async def consent(actor: Actor, sign_up_id: int, accompanied: bool) -> SignUp:
    """V5: a guardian (an account holding a verified proxy grant for the minor, nobody
    else: not the minor, not staff) consents; the sign-up then takes a seat or waits."""
    row = await SignUp.get_or_none(id=sign_up_id)
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    if row is None:
        raise Refused("FORBIDDEN", field="signUpId")
    who = await access.acting_for(actor, row.person_id)
    if who.how != "proxy":
        raise Refused("FORBIDDEN", field="signUpId")
    shift = await _shift(row.shift_id)
    s = await common.settings_for(shift.community_id)
    person = await Person.get(id=row.person_id)
    must = rules.needs_accompaniment(person.birth_date, shift.local_date, s)
    rules.check_consent(row.status == S.PENDING_CONSENT, accompanied, must)
    at = kit.now()
    if at >= shift.start or shift.cancelled:
        raise Refused(str(rules.Reason.SHIFT_STARTED), field="signUpId")
    async with db.atomic():
        if await SEATS.take(shift.pk) is not None:
            target = S.CONFIRMED
        else:
            target = S.WAITLISTED
            await WAITING.take(shift.pk)
        await SIGN_UPS.move(
            row,
            target,
            by=who,
            note="consent",
            changes={
                "consent_by_account_id": actor.account_id,
                "accompanied": accompanied,
                "waitlisted_at": at if target == S.WAITLISTED else None,
                "updated_at": at,
            },
            audit="volunteers.consent",
            events=[common.fill_event(shift), common.sign_up_event(row, str(target))],
        )
    await row.refresh_from_db()
    return row


async def expire_pending(limit: int = 500) -> int:
    """Timed work: pending sign-ups of minors lapse when the shift starts (no consent came).
    Guarded by status, so two instances expire each once."""
    due = await SignUp.filter(status=S.PENDING_CONSENT, start_at__lte=kit.now()).limit(limit)
    done = 0
    for row in due:
        try:
            await SIGN_UPS.move(
                row,
                S.EXPIRED,
                note="no consent",
                changes={"active": False, "active_key": None, "updated_at": kit.now()},
                events=[common.sign_up_event(row, "EXPIRED")],
            )
            done += 1
        except Refused:
            continue
    return done


async def waitlist_position(row: SignUp) -> int | None:
    if row.status != S.WAITLISTED:
        return None
    ahead = await SignUp.filter(shift_id=row.shift_id, status=S.WAITLISTED, id__lt=row.pk).count()
    return ahead + 1
