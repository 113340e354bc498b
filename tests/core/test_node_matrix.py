"""``node(id:)`` × every caller, generated from the schema (issue 8, finding 5).

Every type implementing ``Node`` in the built schema gets an object made by its factory below
(a type without one fails the test, naming it: add a factory when you add a Node type). Each
caller of the authorization matrix then asks ``node(id:)`` for it. What the caller must see is
not written here: it comes from the type's own list query run as the same caller (``slots``,
``notices``, ``auditLog``...), or, for a type without one, from the permission its resolvers
use (``may_see_person``...). ``node(id:)`` must answer the object exactly when that says so,
and null otherwise (never an error: it does not tell what exists).

The scene: street office S with communities A (where the objects are) and its sibling A2;
community B under another street office. Callers: anonymous, a resident of A, a resident of
B, staff of A, staff of A2, staff of S, an admin, and the object's owner and proxy where the
type has them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from graphql import GraphQLObjectType

from linli.testing import global_id, make_account, make_community, make_person, make_proxy

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
DAY = dt.date(2026, 3, 4)
CALLERS = (
    "anonymous",
    "resident",
    "resident_other",
    "staff",
    "staff_sibling",
    "street_staff",
    "admin",
)


@dataclass
class Scene:
    street: Any
    a: Any
    sibling: Any
    b: Any
    callers: dict[str, Any]  # name -> MadeAccount (None: anonymous)


@dataclass
class Made:
    pk: int
    # Who may see it, asked the way the API answers it: (gql, caller) -> visible?
    visible: Callable[[Any, Any], Awaitable[bool]]
    owners: dict[str, Any] = field(default_factory=dict)  # extra callers: owner, proxy...


Factory = Callable[[Scene], Awaitable[Made]]
FACTORIES: dict[str, Factory] = {}


def factory(type_name: str) -> Callable[[Factory], Factory]:
    def register(fn: Factory) -> Factory:
        FACTORIES[type_name] = fn
        return fn

    return register


def token(caller: Any) -> str:
    return caller.token if caller is not None else ""


async def listed(gql: Any, caller: Any, query: str, path: list[str], wanted: str, **v: Any) -> bool:
    """Does the list ``query`` (as ``caller``) contain the object ``wanted`` (a global id)?
    A refusal (FORBIDDEN, NOT_FOUND, UNAUTHENTICATED) means it does not."""
    result = await gql.execute(query, v, token=token(caller))
    if result.errors:
        return False
    items: Any = result.data
    for key in path:
        items = items[key]
    if isinstance(items, dict) and "edges" in items:
        items = [edge["node"] for edge in items["edges"]]
    if isinstance(items, dict):
        items = [items]
    return any(item and item["id"] == wanted for item in items or [])


async def actor_of(caller: Any) -> Any:
    from linli.core.actor import ANONYMOUS
    from linli.core.identity.sessions import actor_from_token

    return ANONYMOUS if caller is None else await actor_from_token(caller.token)


def shown_by(type_name: str, pk: int, query: str, path: str, **variables: Any) -> Made:
    """An object whose visibility is what the list ``query`` (field ``path``) shows."""
    wanted = global_id(type_name, pk)

    async def visible(gql: Any, caller: Any) -> bool:
        return await listed(gql, caller, query, [path], wanted, **variables)

    return Made(pk, visible)


def allowed_by(pk: int, permission: Callable[[Any], Awaitable[bool]], **owners: Any) -> Made:
    """An object of a type without a list query: visible by ``permission(actor)``."""

    async def visible(gql: Any, caller: Any) -> bool:
        return await permission(await actor_of(caller))

    return Made(pk, visible, owners)


# ---------------------------------------------------------------- core's node types


@factory("Community")
async def _community(scene: Scene) -> Made:
    query = "query($p: ID) { communities(parentId: $p, first: 50) { edges { node { id } } } }"
    street = global_id("Community", scene.street.pk)
    return shown_by("Community", scene.a.pk, query, "communities", p=street)


async def _person_in_a(scene: Scene) -> tuple[Any, Any, Any]:
    """A resident of A (the owner) and a verified proxy of theirs (living in B)."""
    owner = await make_account("resident", scene.a)
    proxy = await make_account("resident", scene.b)
    await make_proxy(proxy, owner.person)
    return owner.person, owner, proxy


@factory("Person")
async def _person(scene: Scene) -> Made:
    from linli.core.identity.access import may_see_person

    person, owner, proxy = await _person_in_a(scene)
    # No list of persons: the permission every resolver showing a person uses.
    return allowed_by(
        person.pk, lambda actor: may_see_person(actor, person), owner=owner, proxy=proxy
    )


@factory("Account")
async def _account(scene: Scene) -> Made:
    from linli.core.identity.nodes import may_see_account

    _, owner, proxy = await _person_in_a(scene)
    return allowed_by(
        owner.id, lambda actor: may_see_account(actor, owner.account), owner=owner, proxy=proxy
    )


@factory("ProxyGrant")
async def _grant(scene: Scene) -> Made:
    from linli.core.identity.service import visible_grant

    target = await make_account("resident", scene.a)
    grantee = await make_account("resident", scene.b)
    grant = await make_proxy(grantee, target.person, status="pending")
    return allowed_by(
        grant.pk, lambda actor: visible_grant(actor, grant), owner=grantee, proxy=target
    )


@factory("AuditEntry")
async def _audit(scene: Scene) -> Made:
    from linli.core import audit

    entry = await audit.record(None, "test.matrix", community_id=scene.a.pk)
    query = "query($c: ID) { auditLog(communityId: $c, first: 50) { edges { node { id } } } }"
    a = global_id("Community", scene.a.pk)
    return shown_by("AuditEntry", entry.pk, query, "auditLog", c=a)


# ---------------------------------------------------------------- booking's node types


async def _booking(scene: Scene) -> tuple[Any, Any, Any]:
    from linli.core import runtime
    from linli.plugins.booking.models import ServiceType, Site, Slot

    now = runtime.current().clock.now()
    site = await Site.create(
        community=scene.a, name="社区卫生服务中心", kind="centre", address="1 号", created_at=now
    )
    service = await ServiceType.create(
        site=site,
        community_id=scene.a.pk,
        name="预防接种",
        category="public_health",
        created_at=now,
    )
    start = dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
    slot = await Slot.create(
        service_type_id=service.pk,
        community_id=scene.a.pk,
        local_date=DAY,
        start=start,
        end=start + dt.timedelta(minutes=30),
        capacity=3,
    )
    return site, service, slot


@factory("BookingSite")
async def _site(scene: Scene) -> Made:
    site, _, _ = await _booking(scene)
    query = "query($c: ID) { sites(communityId: $c) { id } }"
    return shown_by("BookingSite", site.pk, query, "sites", c=global_id("Community", scene.a.pk))


@factory("BookingServiceType")
async def _service_type(scene: Scene) -> Made:
    site, service, _ = await _booking(scene)
    query = "query($s: ID!) { serviceTypes(siteId: $s) { id } }"
    site_id = global_id("BookingSite", site.pk)
    return shown_by("BookingServiceType", service.pk, query, "serviceTypes", s=site_id)


@factory("BookingSlot")
async def _slot(scene: Scene) -> Made:
    _, service, slot = await _booking(scene)
    query = "query($t: ID!, $d: Date!) { slots(serviceTypeId: $t, date: $d) { id } }"
    service_id = global_id("BookingServiceType", service.pk)
    return shown_by("BookingSlot", slot.pk, query, "slots", t=service_id, d=DAY.isoformat())


@factory("BookingSchedule")
async def _schedule(scene: Scene) -> Made:
    from linli.core import runtime
    from linli.core.identity.access import can
    from linli.plugins.booking.models import Schedule

    _, service, _ = await _booking(scene)
    schedule = await Schedule.create(
        service_type=service,
        community_id=scene.a.pk,
        resource="全科门诊",
        created_at=runtime.current().clock.now(),
    )

    async def manages(actor: Any) -> bool:  # no list of schedules: who manages them
        return can(actor, "booking.manage", scene.a.pk)

    return allowed_by(schedule.pk, manages)


@factory("BookingAppointment")
async def _appointment(scene: Scene) -> Made:
    from linli.core import runtime
    from linli.plugins.booking.models import Appointment

    _, service, slot = await _booking(scene)
    person, owner, proxy = await _person_in_a(scene)
    appointment = await Appointment.create(
        slot=slot,
        service_type_id=service.pk,
        community_id=scene.a.pk,
        local_date=DAY,
        person=person,
        booked_by_account_id=owner.id,
        status="booked",
        created_at=runtime.current().clock.now(),
        updated_at=runtime.current().clock.now(),
    )
    query = "query($id: ID!) { appointment(id: $id) { id } }"
    made = shown_by(
        "BookingAppointment",
        appointment.pk,
        query,
        "appointment",
        id=global_id("BookingAppointment", appointment.pk),
    )
    made.owners = {"owner": owner, "proxy": proxy}
    return made


# ---------------------------------------------------------------- the notices example plugin


@factory("Notice")
async def _notice(scene: Scene) -> Made:
    from linli.core import runtime
    from linli_notices.models import Notice

    notice = await Notice.create(
        community=scene.a,
        title="停水通知",
        body="周三停水。",
        posted_at=runtime.current().clock.now(),
    )
    query = "query($c: ID!) { notices(communityId: $c, first: 50) { edges { node { id } } } }"
    return shown_by("Notice", notice.pk, query, "notices", c=global_id("Community", scene.a.pk))


# ---------------------------------------------------------------- the matrix


def node_types(schema: Any) -> list[str]:
    graphql_schema = schema._schema
    node = graphql_schema.get_type("Node")
    return sorted(
        name
        for name, t in graphql_schema.type_map.items()
        if isinstance(t, GraphQLObjectType) and node in t.interfaces
    )


@pytest.fixture
async def scene(linli_app) -> Scene:
    street = await make_community(kind="street_office")
    a = await make_community(parent=street)
    sibling = await make_community(parent=street)
    b = await make_community()
    callers = {
        "anonymous": None,
        "resident": await make_account("resident", a),
        "resident_other": await make_account("resident", b),
        "staff": await make_account("staff", a),
        "staff_sibling": await make_account("staff", sibling),
        "street_staff": await make_account("staff", street),
        "admin": await make_account(None, admin=True),
    }
    await make_person(a)  # not everyone's person is the only one
    return Scene(street, a, sibling, b, callers)


def test_every_node_type_has_a_factory(linli_app):
    missing = [name for name in node_types(linli_app.state.schema) if name not in FACTORIES]
    assert not missing, f"Node types without a factory in {__file__}: {missing}"


async def test_node_answers_exactly_what_the_callers_list_shows(gql, scene, linli_app):
    mismatches: list[str] = []
    seen: dict[str, dict[str, bool]] = {}
    for type_name in node_types(linli_app.state.schema):
        if type_name not in FACTORIES:
            continue  # test_every_node_type_has_a_factory names it
        made = await FACTORIES[type_name](scene)
        callers = {**scene.callers, **made.owners}
        node_id = global_id(type_name, made.pk)
        row: dict[str, bool] = {}
        for who, caller in callers.items():
            result = await gql.execute(NODE, {"id": node_id}, token=token(caller))
            if result.errors:
                mismatches.append(f"{type_name} as {who}: error {result.codes}")
                continue
            got = result.data["node"] is not None
            expected = await made.visible(gql, caller)
            row[who] = got
            if got != expected:
                says = {True: "visible", False: "hidden"}
                mismatches.append(
                    f"{type_name} as {who}: node(id:) {says[got]}, expected {says[expected]}"
                )
        seen[type_name] = row
    assert not mismatches, "\n".join(mismatches)
    # The matrix is not trivial: every type is seen by someone and hidden from someone,
    # public communities excepted.
    for type_name, row in seen.items():
        assert any(row.values()), f"{type_name}: nobody sees it"
        if type_name != "Community":
            assert not all(row.values()), f"{type_name}: everyone sees it"


# ---------------------------------------------------------------- groups' node types


async def _group_in_a(scene: Scene) -> tuple[Any, Any, Any]:
    """A draft group of community A led by a resident of A (its owner)."""
    from linli.core.identity.sessions import load_actor
    from linli.plugins.groups import rules, service

    leader = await make_account("resident", scene.a)
    form = service.Form(
        name="矩阵测试队",
        category=rules.Category.OTHER,
        level=rules.Level.COMMUNITY,
        venue="活动室",
        schedule="周一",
    )
    group = await service.file_group(await load_actor(leader.id), scene.a.pk, form)
    return group, leader, await load_actor(leader.id)


def _sees_group(group: Any) -> Callable[[Any], Awaitable[bool]]:
    from linli.plugins.groups.service import common

    async def visible(actor: Any) -> bool:
        return common.manages(actor, group) or common.public(actor, group)

    return visible


@factory("Group")
async def _group(scene: Scene) -> Made:
    group, leader, _ = await _group_in_a(scene)
    return allowed_by(group.pk, _sees_group(group), owner=leader)


@factory("GroupFiling")
async def _group_filing(scene: Scene) -> Made:
    from linli.plugins.groups.models import Filing
    from linli.plugins.groups.service import common

    group, leader, _ = await _group_in_a(scene)
    filing = await Filing.get(group_id=group.pk)

    async def visible(actor: Any) -> bool:
        return common.reviews(actor, filing) or actor.person_id == filing.leader_person_id

    return allowed_by(filing.pk, visible, owner=leader)


@factory("GroupJoinRequest")
async def _group_join_request(scene: Scene) -> Made:
    from linli.core.identity.sessions import load_actor
    from linli.plugins.groups.service import common, roster

    group, leader, _ = await _group_in_a(scene)
    applicant = await make_account("resident", scene.a)
    request = await roster.request_to_join(await load_actor(applicant.id), group.pk)

    async def visible(actor: Any) -> bool:  # the person asking, the group's managers
        return actor.person_id == applicant.person.pk or common.manages(actor, group)

    return allowed_by(request.pk, visible, owner=leader, proxy=applicant)


# ---------------------------------------------------------------- the volunteers plugin
# (minimal edit, volunteers engineer: one factory per Node type of the plugin)


async def _volunteer_scene(scene: Scene) -> dict[str, Any]:
    """A published activity of A with a shift on DAY, a registered resident of A (the owner,
    with a proxy in B) signed up, and approved hours after the shift."""
    from linli.core import runtime
    from linli.core.identity.sessions import load_actor
    from linli.plugins.volunteers.models import HoursRecord
    from linli.plugins.volunteers.service import activities, profiles, signups

    staff = await load_actor(scene.callers["staff"].id)
    activity = await activities.create_activity(staff, scene.a.pk, "社区消毒")
    now = runtime.current().clock.now()
    start = now + dt.timedelta(days=2)
    shift = await activities.add_shift(
        staff, activity.pk, "上午", start, start + dt.timedelta(hours=2), "广场", 5
    )
    await activities.publish(staff, activity.pk)
    person, owner, proxy = await _person_in_a(scene)
    me = await load_actor(owner.id)
    profile = await profiles.register(me, None, [], [], [])
    sign_up = await signups.sign_up(me, shift.pk)
    record = await HoursRecord.create(
        shift_id=shift.pk,
        activity_id=activity.pk,
        community_id=scene.a.pk,
        person_id=person.pk,
        status="APPROVED",
        minutes=120,
        created_at=now,
    )
    return {
        "activity": activity,
        "shift": shift,
        "profile": profile,
        "sign_up": sign_up,
        "record": record,
        "owner": owner,
        "proxy": proxy,
        "person": person,
    }


def _volunteers_own(row: Any) -> Callable[[Any], Awaitable[bool]]:
    from linli.core.identity.access import can

    async def visible(actor: Any) -> bool:  # the volunteer, their proxy, A's organisers
        from linli.core.errors import Refused
        from linli.core.identity.access import acting_for

        if can(actor, "volunteers.organise", row.community_id):
            return True
        try:
            return (await acting_for(actor, row.person_id)).how != "staff"
        except Refused:
            return False

    return visible


@factory("VolunteerActivity")
async def _volunteer_activity(scene: Scene) -> Made:
    v = await _volunteer_scene(scene)
    query = "query($c: ID!) { volunteerActivities(communityId: $c) { id } }"
    made = shown_by(
        "VolunteerActivity",
        v["activity"].pk,
        query,
        "volunteerActivities",
        c=global_id("Community", scene.a.pk),
    )
    made.owners = {"owner": v["owner"], "proxy": v["proxy"]}
    return made


@factory("VolunteerShift")
async def _volunteer_shift(scene: Scene) -> Made:
    v = await _volunteer_scene(scene)
    query = "query($id: ID!) { volunteerShift(id: $id) { id } }"
    wanted = global_id("VolunteerShift", v["shift"].pk)
    made = shown_by("VolunteerShift", v["shift"].pk, query, "volunteerShift", id=wanted)
    made.owners = {"owner": v["owner"], "proxy": v["proxy"]}
    return made


@factory("VolunteerProfile")
async def _volunteer_profile(scene: Scene) -> Made:
    v = await _volunteer_scene(scene)
    return allowed_by(
        v["profile"].pk, _volunteers_own(v["profile"]), owner=v["owner"], proxy=v["proxy"]
    )


@factory("VolunteerSignUp")
async def _volunteer_sign_up(scene: Scene) -> Made:
    v = await _volunteer_scene(scene)
    return allowed_by(
        v["sign_up"].pk, _volunteers_own(v["sign_up"]), owner=v["owner"], proxy=v["proxy"]
    )


@factory("VolunteerHoursRecord")
async def _volunteer_hours(scene: Scene) -> Made:
    v = await _volunteer_scene(scene)
    return allowed_by(
        v["record"].pk, _volunteers_own(v["record"]), owner=v["owner"], proxy=v["proxy"]
    )


@factory("VolunteerCertificate")
async def _volunteer_certificate(scene: Scene) -> Made:
    from linli.core import runtime
    from linli.core.identity.sessions import load_actor
    from linli.plugins.volunteers.models import HoursRecord, Shift
    from linli.plugins.volunteers.service import certificates

    v = await _volunteer_scene(scene)
    past = runtime.current().clock.now() - dt.timedelta(days=2)
    day = (past + dt.timedelta(hours=8)).date()
    served = await Shift.create(
        activity_id=v["activity"].pk,
        community_id=scene.a.pk,
        title="上周",
        start=past,
        end=past + dt.timedelta(hours=2),
        local_date=day,
        local_week=day - dt.timedelta(days=day.weekday()),
        capacity=5,
        attendance_code="123456",
        created_at=past,
    )
    await HoursRecord.create(
        shift_id=served.pk,
        activity_id=v["activity"].pk,
        community_id=scene.a.pk,
        person_id=v["person"].pk,
        status="APPROVED",
        minutes=120,
        created_at=past,
    )
    staff = await load_actor(scene.callers["staff"].id)
    cert = await certificates.issue(staff, v["person"].pk, day, day)

    async def visible(actor: Any) -> bool:
        return await certificates.may_see(actor, cert)

    return allowed_by(cert.pk, visible, owner=v["owner"], proxy=v["proxy"])
# ---------------------------------------------------------------- elections' node types


async def _election_in_a(scene: Scene) -> Any:
    from linli.core import runtime
    from linli.plugins.elections.models import Election, Settings

    return await Election.create(
        community_id=scene.a.pk, title="矩阵测试选举", election_day=dt.date(2026, 4, 10),
        phase="ROLL_PUBLISHED", settings=Settings().model_dump(),
        created_at=runtime.current().clock.now(),
    )


def _in_election(type_name: str, pk: int, field: str, election: Any) -> Made:
    query = f"query($e: ID!) {{ {field}(electionId: $e) {{ id }} }}"
    return shown_by(type_name, pk, query, field, e=global_id("Election", election.pk))


@factory("Election")
async def _election(scene: Scene) -> Made:
    election = await _election_in_a(scene)
    query = "query($c: ID!) { elections(communityId: $c, first: 50) { edges { node { id } } } }"
    return shown_by("Election", election.pk, query, "elections",
                    c=global_id("Community", scene.a.pk))


@factory("ElectionRollObjection")
async def _election_objection(scene: Scene) -> Made:
    from linli.core import runtime
    from linli.plugins.elections.models import RollObjection

    election = await _election_in_a(scene)
    person = await make_person(scene.a)
    row = await RollObjection.create(
        election_id=election.pk, kind="MISSING", subject_person_id=person.pk,
        filed_by_account_id=1, filed_on=DAY, filed_at=runtime.current().clock.now())
    return _in_election("ElectionRollObjection", row.pk, "rollObjections", election)


@factory("ElectionNomination")
async def _election_nomination(scene: Scene) -> Made:
    from linli.core import runtime
    from linli.plugins.elections.models import Nomination

    election = await _election_in_a(scene)
    person = await make_person(scene.a)
    row = await Nomination.create(
        election_id=election.pk, post="MEMBER", nominee_person_id=person.pk,
        live_nominee_id=person.pk, status="AWAITING_ANSWER",
        created_at=runtime.current().clock.now(), created_by_account_id=1)
    return _in_election("ElectionNomination", row.pk, "nominations", election)


@factory("ElectionCandidate")
async def _election_candidate(scene: Scene) -> Made:
    from linli.plugins.elections.models import Candidate

    election = await _election_in_a(scene)
    person = await make_person(scene.a)
    row = await Candidate.create(election_id=election.pk, post="MEMBER", person_id=person.pk,
                                 name="测试居民", position=1)
    return _in_election("ElectionCandidate", row.pk, "slate", election)


@factory("ElectionProxy")
async def _election_proxy(scene: Scene) -> Made:
    from linli.core import runtime
    from linli.plugins.elections.models import Proxy

    election = await _election_in_a(scene)
    grantor, holder = await make_person(scene.a), await make_person(scene.a)
    row = await Proxy.create(
        election_id=election.pk, grantor_person_id=grantor.pk, holder_person_id=holder.pk,
        live_grantor_id=grantor.pk, relation="SPOUSE", via="FORM", status="GRANTED",
        created_at=runtime.current().clock.now(), recorded_by_account_id=1)
    return _in_election("ElectionProxy", row.pk, "votingProxies", election)
