"""Booking test helpers (imported by the tests: conftest puts this folder on sys.path).

The clock is linli.testing's DEFAULT_NOW: Monday 2 March 2026, 09:00 in Shanghai.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from linli.testing import make_account, make_person, make_proxy

SH = ZoneInfo("Asia/Shanghai")


def gid(type_name: str, pk: Any) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def pk_of(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":", 1)[1])


def sh(y, mo, d, h=0, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=SH).astimezone(dt.UTC)


@dataclass
class World:
    community: Any
    staff: Any
    site: Any
    service: Any  # open to all, capacity from make_slot
    elderly_service: Any  # min age 65

    async def slot(
        self,
        start: dt.datetime,
        capacity: int = 1,
        *,
        service: Any = None,
        minutes: int = 30,
        reserved: int = 0,
    ) -> Any:
        from linli.plugins.booking.models import Slot
        from linli.plugins.booking.rules import local_date

        service = service or self.service
        return await Slot.create(
            service_type_id=service.pk,
            community_id=self.community.pk,
            local_date=local_date(start, "Asia/Shanghai"),
            start=start,
            end=start + dt.timedelta(minutes=minutes),
            capacity=capacity,
            reserved=reserved,
        )

    async def resident(self, birth_date: dt.date | None = dt.date(1980, 1, 1)) -> Any:
        return await make_account("resident", self.community, birth_date=birth_date)


BOOK = """
mutation Book($input: BookAppointmentInput!) {
  bookAppointment(input: $input) {
    appointment { id status localDate priority personId }
    errors { code field message }
  }
}"""

CANCEL = """
mutation Cancel($input: CancelAppointmentInput!) {
  cancelAppointment(input: $input) {
    appointment { id status lateCancellation }
    lateCancellation
    errors { code message }
  }
}"""

APPOINTMENT = """
query A($id: ID!) { appointment(id: $id) { id status offerExpiresAt lateCancellation
  history { fromStatus toStatus byStaffOrSelf note } } }"""


def staff_mutation(name: str, extra: str = "") -> str:
    input_type = f"{name[0].upper()}{name[1:]}Input"  # each mutation its own input
    return f"""
mutation M($input: {input_type}!) {{
  {name}(input: $input) {{ appointment {{ id status }} errors {{ code message }} }}
}}"""


async def book(gql: Any, token: str, slot: Any, person: Any = None, **kwargs: Any) -> dict:
    payload = {"slotId": gid("BookingSlot", slot.pk)}
    if person is not None:
        payload["personId"] = gid("Person", person.pk)
    return await gql.mutate(BOOK, payload, token=token, **kwargs)


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


__all__ = ["make_account", "make_person", "make_proxy"]


async def token_now(who: Any) -> str:
    """A fresh access token at the clock's current time (tokens last 15 minutes)."""
    from linli.core.identity.sessions import start_session

    return (await start_session(getattr(who, "account", who))).access_token
