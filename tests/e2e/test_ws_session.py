"""A websocket follows its session (issue 8, finding 4) with real servers: a resident whose
socket is subscribed to ``myAppointmentUpdates`` logs out, and the socket closes with 4403;
staff whose role is taken away get FORBIDDEN at the next ``personVerified`` event instead of
the person. On one instance, and across two sharing PostgreSQL and Redis (the logout or the
role change on one instance, the socket on the other).

Accounts and booking objects are written to the test database before the servers start; every
client logs in over HTTP (the servers run on the wall clock)."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from linli.testing import (
    TEST_PASSWORD,
    LiveServer,
    global_id,
    make_account,
    make_community,
    make_person,
    postgres_url,
    redis_url,
)
from linli_client import ConnectionClosed, GraphQLErrors, LinliClient

MY_FEED = "subscription { myAppointmentUpdates { id status } }"
VERIFIED = "subscription { personVerified { id realName } }"
BOOK = """mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
  appointment { id status } errors { code } } }"""
CANCEL = """mutation($input: CancelAppointmentInput!) { cancelAppointment(input: $input) {
  appointment { id status } errors { code } } }"""
VERIFY = """mutation($input: VerifyPersonInput!) { verifyPerson(input: $input) {
  person { id } errors { code } } }"""
SET_ROLE = """mutation($input: SetRoleInput!) { setRole(input: $input) {
  membership { role } errors { code } } }"""
LOGOUT = "mutation { logout { ok errors { code } } }"

both = pytest.mark.parametrize(
    "instances",
    [
        1,
        pytest.param(
            2,
            marks=pytest.mark.skipif(
                not (postgres_url() and redis_url()),
                reason="needs LINLI_TEST_DATABASE_URL and LINLI_TEST_REDIS_URL",
            ),
        ),
    ],
)


@dataclass
class Street:
    community: Any
    resident: Any
    staff: Any
    admin: Any
    slots: list[Any]
    unverified: list[Any]


@pytest.fixture
async def street(linli_app) -> Street:
    """A community with a resident, staff, an admin, bookable slots in the (wall clock's) coming
    days and persons waiting to be verified."""
    from linli.core import runtime
    from linli.plugins.booking.models import ServiceType, Site, Slot

    now = runtime.current().clock.now()
    community = await make_community()
    site = await Site.create(
        community=community, name="卫生服务站", kind="centre", address="1 号", created_at=now
    )
    slots = []
    for day in (2, 3, 4, 5):  # one service type per slot: one booking per person and day each
        service = await ServiceType.create(
            site=site,
            community_id=community.pk,
            name=f"预防接种 {day}",
            category="public_health",
            created_at=now,
        )
        start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=day)).replace(
            hour=2, minute=0, second=0, microsecond=0
        )
        slots.append(
            await Slot.create(
                service_type_id=service.pk,
                community_id=community.pk,
                local_date=start.date(),
                start=start,
                end=start + dt.timedelta(minutes=30),
                capacity=5,
            )
        )
    return Street(
        community=community,
        resident=await make_account("resident", community),
        staff=await make_account("staff", community),
        admin=await make_account(None, admin=True),
        slots=slots,
        unverified=[
            await make_person(community, verified=False, real_name=f"待核 {i}") for i in range(6)
        ],
    )


async def logged_in(server: LiveServer, account: Any) -> LinliClient:
    client = LinliClient(server.url, locale="en")
    await client.login(account.phone, TEST_PASSWORD)
    return client


async def until_heard(events: Any, act: Any, attempts: int = 4) -> dict[str, Any]:
    """Act until the subscription yields (a ``subscribe`` is not acknowledged: the first act
    may come before the server registered it)."""
    heard = asyncio.ensure_future(anext(events))
    for attempt in range(attempts):
        await act(attempt)
        done, _ = await asyncio.wait({heard}, timeout=1)
        if done:
            return heard.result()
    return await asyncio.wait_for(heard, 10)


async def closed_code(events: Any) -> int:
    with pytest.raises(ConnectionClosed) as closed:
        while True:  # anything still in flight must not be an event
            data = await asyncio.wait_for(anext(events), 10)
            pytest.fail(f"an event after logout: {data}")
    return closed.value.code


@both
async def test_logout_closes_the_socket_of_my_appointment_updates(serve, street, instances):
    servers = [serve() for _ in range(instances)]
    listening, acting = servers[0], servers[-1]
    resident = await logged_in(listening, street.resident)
    # The same session, used from the other instance (a second tab of the same app).
    same_session = LinliClient(acting.url)
    same_session.set_tokens(resident.token, resident.refresh_token)
    staff = await logged_in(acting, street.staff)
    async with resident, same_session, staff, resident.subscribe(MY_FEED) as events:
        booked: list[str] = []

        async def book(attempt: int) -> None:
            slot = global_id("BookingSlot", street.slots[attempt].pk)
            payload = await same_session.mutate(BOOK, {"input": {"slotId": slot}})
            booked.append(payload["appointment"]["id"])

        heard = await until_heard(events, book)
        assert heard["myAppointmentUpdates"]["id"] in booked
        assert (await same_session.mutate(LOGOUT))["ok"] is True
        # His appointments change after the logout: nothing reaches the socket, which closes.
        for appointment in booked:
            await staff.mutate(CANCEL, {"input": {"appointmentId": appointment}})
        assert await closed_code(events) == 4403


@both
async def test_staff_whose_role_is_removed_stop_receiving_person_verified(serve, street, instances):
    servers = [serve() for _ in range(instances)]
    listening, acting = servers[0], servers[-1]
    staff = await logged_in(listening, street.staff)
    admin = await logged_in(acting, street.admin)
    people = iter(street.unverified)
    async with staff, admin, staff.subscribe(VERIFIED) as events:

        async def verify(attempt: int) -> None:
            person = global_id("Person", next(people).pk)
            assert (await admin.mutate(VERIFY, {"input": {"personId": person}}))["errors"] == []

        heard = await until_heard(events, verify)
        assert heard["personVerified"]["realName"].startswith("待核")
        role = {
            "accountId": global_id("Account", street.staff.id),
            "communityId": global_id("Community", street.community.pk),
            "role": "STAFF",
            "granted": False,
        }
        assert (await admin.mutate(SET_ROLE, {"input": role}))["errors"] == []
        await verify(-1)
        # The next event finds the role gone: the subscription ends with FORBIDDEN, no person.
        with pytest.raises(GraphQLErrors) as refused:
            await asyncio.wait_for(anext(events), 10)
        assert refused.value.codes == ["FORBIDDEN"]
