"""Persons and proxies: acting_for, grants accepted by the person or verified by staff,
audit of every proxy and staff act, and the person facts modules use."""

from __future__ import annotations

from datetime import date

import pytest

from linli.core.errors import Refused
from linli.core.identity.access import acting_for, can
from linli.core.identity.service import person_facts
from linli.core.identity.sessions import load_actor
from linli.core.models import AuditEntry
from linli.testing import global_id, make_account, make_community, make_person, make_proxy

GRANT = """mutation($input: GrantProxyInput!) { grantProxy(input: $input) {
  grant { id status relationLabel person { realName } } errors { code field } } }"""
ACCEPT = """mutation($input: AcceptProxyInput!) { acceptProxy(input: $input) {
  grant { status verifiedVia } errors { code } } }"""
UPDATE = """mutation($input: UpdatePersonInput!) { updatePerson(input: $input) {
  person { household disabled } errors { code } } }"""


async def actor_of(made):
    return await load_actor(made.id)


async def test_acting_for_self_proxy_staff_pending_forbidden(linli_app):
    a = await make_community()
    me = await make_account("resident", a)
    mother = await make_person(a, birth_date=date(1950, 1, 1))
    stranger = await make_person(a)
    pending = await make_person(a)
    await make_proxy(me, mother)
    await make_proxy(me, pending, status="pending")
    actor = await actor_of(me)
    assert (await acting_for(actor, me.person.pk)).how == "self"
    assert (await acting_for(actor, mother.pk)).how == "proxy"
    with pytest.raises(Refused) as refused:
        await acting_for(actor, pending.pk)
    assert refused.value.code == "PROXY_NOT_VERIFIED"
    with pytest.raises(Refused) as refused:
        await acting_for(actor, stranger.pk)
    assert refused.value.code == "FORBIDDEN"
    with pytest.raises(Refused) as refused:
        await acting_for(actor, 10**9)
    assert refused.value.code == "FORBIDDEN"
    staff = await actor_of(await make_account("staff", a))
    assert (await acting_for(staff, stranger.pk)).how == "staff"
    other_staff = await actor_of(await make_account("staff", await make_community()))
    with pytest.raises(Refused):
        await acting_for(other_staff, stranger.pk)


async def test_street_office_staff_hold_staff_rights_below(linli_app):
    street = await make_community(kind="street_office")
    a = await make_community(parent=street)
    area = await make_community(kind="area", parent=a)
    staff = await actor_of(await make_account("staff", street))
    assert can(staff, "core.person.verify", a.pk)
    assert can(staff, "core.person.verify", area.pk)
    assert not can(staff, "core.person.verify", (await make_community()).pk)
    resident = await actor_of(await make_account("resident", a))
    assert not can(resident, "core.person.verify", a.pk)
    assert not can(resident, "no.such.action", a.pk)


async def test_person_facts(linli_app, clock):
    a = await make_community(time_zone="Asia/Shanghai")
    person = await make_person(a, birth_date=date(1956, 3, 2), disabled=True)
    facts = await person_facts(person.pk)
    # The clock stands at 09:00 on 2 March 2026 in Shanghai: the 70th birthday.
    assert facts.age() == 70 and facts.at_least(70) and facts.disabled
    assert facts.community_id == a.pk and facts.time_zone == "Asia/Shanghai"
    assert facts.age(date(2026, 3, 1)) == 69
    clock.advance(hours=-10)  # 23:00 on 1 March in Shanghai (15:00 UTC)
    assert (await person_facts(person.pk)).age() == 69


async def test_grant_accepted_by_the_persons_account(gql):
    a = await make_community()
    child = await make_account("resident", a)
    parent = await make_account("resident", a)
    payload = await gql.mutate(
        GRANT,
        {"personId": global_id("Person", parent.person.pk), "relation": "PARENT"},
        token=child.token,
        locale="en",
    )
    assert payload["errors"] == []
    grant = payload["grant"]
    assert grant["status"] == "PENDING" and grant["relationLabel"] == "Parent"
    assert grant["person"] is None  # not visible until verified
    # The child cannot accept their own request; the parent can.
    own = await gql.mutate(ACCEPT, {"grantId": grant["id"]}, token=child.token)
    assert own["errors"][0]["code"] == "FORBIDDEN"
    ok = await gql.mutate(ACCEPT, {"grantId": grant["id"]}, token=parent.token)
    assert ok["grant"] == {"status": "VERIFIED", "verifiedVia": "person"}
    again = await gql.mutate(ACCEPT, {"grantId": grant["id"]}, token=parent.token)
    assert again["errors"][0]["code"] == "NOT_PENDING"
    # The child now acts for the parent, and the act is audited.
    update = await gql.mutate(
        UPDATE,
        {"personId": global_id("Person", parent.person.pk), "household": "5-302"},
        token=child.token,
    )
    assert update["person"]["household"] == "5-302"
    entry = await AuditEntry.filter(action="core.person.update").first()
    assert entry.actor_account_id == child.id
    assert entry.on_behalf_of_person_id == parent.person.pk
    assert entry.detail["how"] == "proxy"
    dup = await gql.mutate(
        GRANT,
        {"personId": global_id("Person", parent.person.pk), "relation": "PARENT"},
        token=child.token,
    )
    assert dup["errors"][0]["code"] == "ALREADY_GRANTED"
    self_grant = await gql.mutate(
        GRANT,
        {"personId": global_id("Person", child.person.pk), "relation": "PARENT"},
        token=child.token,
    )
    assert self_grant["errors"] == [{"code": "SELF_PROXY", "field": ["personId"]}]


async def test_dependent_declared_then_verified_by_staff_and_audited(gql):
    a = await make_community()
    son = await make_account("resident", a)
    staff = await make_account("staff", a)
    payload = await gql.mutate(
        GRANT,
        {
            "relation": "PARENT",
            "dependent": {
                "realName": "刘奶奶",
                "communityId": global_id("Community", a.pk),
                "birthDate": "1941-05-08",
                "disabled": True,
            },
        },
        token=son.token,
    )
    assert payload["errors"] == []
    verified = await gql.mutate(ACCEPT, {"grantId": payload["grant"]["id"]}, token=staff.token)
    assert verified["grant"] == {"status": "VERIFIED", "verifiedVia": "staff"}
    # Staff acting for someone in their community: audited with who it was for.
    log = await gql.query(
        "{ auditLog(first: 10) { edges { node { action onBehalfOfId "
        "actorId community { id } } } } }",
        token=staff.token,
    )
    actions = [edge["node"]["action"] for edge in log["auditLog"]["edges"]]
    assert "core.proxy.verify" in actions
    # Not the son's business to read the log.
    refused = await gql.execute("{ auditLog(first: 1) { edges { node { id } } } }", token=son.token)
    assert refused.codes == ["FORBIDDEN"]
