"""Oracles (issue 8, finding 6): no answer tells an outsider whether a person, phone or ID
number exists elsewhere; look-ups by phone or ID number are throttled; staff see only what
belongs to their community; permission is decided before any state is revealed."""

from __future__ import annotations

import pytest

from linli.core.identity import rules
from linli.core.settings import Limits
from linli.testing import (
    TEST_SECRET,
    global_id,
    make_account,
    make_community,
    make_person,
    make_proxy,
)

GRANT = """mutation($input: GrantProxyInput!) { grantProxy(input: $input) {
  grant { status relation person { realName } } errors { code field } } }"""
ADD_MEMBER = """mutation($input: AddMemberInput!) { addMember(input: $input) {
  membership { role } errors { code } } }"""
ACCOUNT = """query($id: ID!) { node(id: $id) { ... on Account {
  phone memberships { role community { id } } person { realName } } } }"""
ACCEPT = """mutation($input: AcceptProxyInput!) { acceptProxy(input: $input) {
  grant { status } errors { code field } } }"""
VERIFY = """mutation($input: VerifyPersonInput!) { verifyPerson(input: $input) {
  person { verified idNumberLast4 birthDate } errors { code field } } }"""
REVOKE = ACCEPT.replace("acceptProxy", "revokeProxy").replace("AcceptProxy", "RevokeProxy")


def id_number(serial: int, born: str = "19500301") -> str:
    first17 = f"110105{born}{serial:03d}"
    return first17 + rules.id_check_char(first17)


@pytest.fixture
def linli_settings_overrides():
    return {"limits": Limits(identity_lookups_per_window=4)}


async def registered_elsewhere(number: str):
    """A person in another community whose ID number is on record."""
    from linli.core.identity.models import Person

    elsewhere = await make_community()
    owner = await make_account("resident", elsewhere)
    parsed = rules.parse_id_number(number)
    await Person.filter(pk=owner.person.pk).update(
        id_number_hash=rules.hash_id_number(parsed, TEST_SECRET),
        id_number_last4=parsed.last4,
        real_name="本人",
    )
    return owner


def dependent(community, number: str) -> dict:
    return {
        "relation": "PARENT",
        "dependent": {
            "realName": "母亲",
            "communityId": global_id("Community", community.pk),
            "idNumber": number,
        },
    }


async def test_grant_proxy_does_not_tell_whether_an_id_number_is_registered(gql):
    from linli.core.identity.models import Person, ProxyGrant

    community = await make_community()
    child = await make_account("resident", community)
    owner = await registered_elsewhere(id_number(21))
    fresh = await gql.mutate(GRANT, dependent(community, id_number(22)), token=child.token)
    taken = await gql.mutate(GRANT, dependent(community, id_number(21)), token=child.token)
    # The same answer either way: a pending grant whose person the caller cannot see yet.
    assert (
        fresh
        == taken
        == {
            "grant": {"status": "PENDING", "relation": "PARENT", "person": None},
            "errors": [],
        }
    )
    # Behind it, the declaration is a request to act for the registered person, who (or whose
    # staff) decides; nothing the caller declared overwrote them.
    grant = await ProxyGrant.get(account_id=child.id, person_id=owner.person.pk)
    assert grant.status == "pending"
    assert (await Person.get(pk=owner.person.pk)).real_name == "本人"
    assert await Person.filter(id_number_last4=id_number(21)[-4:]).count() == 1


async def test_id_number_and_phone_lookups_are_throttled(gql, linli_app):
    community = await make_community()
    child = await make_account("resident", community)
    staff = await make_account("staff", community)
    limit = linli_app.state.settings.limits.identity_lookups_per_window
    codes = []
    for serial in range(limit + 2):
        payload = await gql.mutate(
            GRANT, dependent(community, id_number(serial)), token=child.token
        )
        codes.append(payload["errors"][0]["code"] if payload["errors"] else "ok")
    assert codes == ["ok"] * limit + ["RATE_LIMITED"] * 2
    member = {"communityId": global_id("Community", community.pk)}
    codes = []
    for i in range(limit + 1):
        payload = await gql.mutate(
            ADD_MEMBER, {**member, "phone": f"+8613700{i:06d}"}, token=staff.token
        )
        codes.append(payload["errors"][0]["code"] if payload["errors"] else "ok")
    # Unknown phones, then the limit: staff cannot sweep phone numbers for accounts.
    assert codes[-1] == "RATE_LIMITED"


async def test_staff_adding_a_phone_see_only_what_belongs_to_their_community(gql):
    a, b = await make_community(), await make_community()
    staff_a = await make_account("staff", a)
    resident_b = await make_account("resident", b, roles=("volunteer",))
    added = await gql.mutate(
        ADD_MEMBER,
        {"phone": resident_b.phone, "communityId": global_id("Community", a.pk)},
        token=staff_a.token,
    )
    assert added["errors"] == []
    seen = (
        await gql.query(ACCOUNT, {"id": global_id("Account", resident_b.id)}, token=staff_a.token)
    )["node"]
    # Their membership in A, nothing of B (roles, community) and not the person living in B.
    assert seen["memberships"] == [
        {"role": "RESIDENT", "community": {"id": global_id("Community", a.pk)}}
    ]
    assert seen["person"] is None
    # The account itself still sees all of its memberships.
    own = (
        await gql.query(
            ACCOUNT, {"id": global_id("Account", resident_b.id)}, token=resident_b.token
        )
    )["node"]
    assert len(own["memberships"]) == 3


@pytest.mark.parametrize("mutation", [ACCEPT, REVOKE])
async def test_a_missing_grant_and_someone_elses_look_alike(gql, mutation):
    community = await make_community()
    outsider = await make_account("resident")
    grantee = await make_account("resident", community)
    target = await make_account("resident", community)
    grant = await make_proxy(grantee, target.person, status="pending")
    others = await gql.mutate(
        mutation, {"grantId": global_id("ProxyGrant", grant.pk)}, token=outsider.token
    )
    missing = await gql.mutate(
        mutation, {"grantId": global_id("ProxyGrant", grant.pk + 1000)}, token=outsider.token
    )
    assert others == missing == {"grant": None, "errors": [{"code": "FORBIDDEN", "field": None}]}


async def test_asking_for_a_person_by_id_is_throttled_like_a_lookup(gql, linli_app):
    """NOT_FOUND says whether a person id exists: asking by id counts as a look-up."""
    requester = await make_account("resident")
    limit = linli_app.state.settings.limits.identity_lookups_per_window
    ask = {"relation": "PARENT", "personId": global_id("Person", 999_999)}
    codes = []
    for _ in range(limit + 1):
        payload = await gql.mutate(GRANT, ask, token=requester.token)
        codes.append(payload["errors"][0]["code"])
    assert codes == ["NOT_FOUND"] * limit + ["RATE_LIMITED"]


async def test_verify_person_tells_staff_nothing_about_other_communities(gql):
    """Staff of community A verifying their resident with an ID number on record for someone
    in community B get the answer a free number gets (permission before state): the number
    stays unbound and the pair goes to the admins. One on record in their own community is
    theirs to know: ID_NUMBER_TAKEN."""
    from linli.core.identity.models import Person
    from linli.core.models import AuditEntry

    community = await make_community()
    staff = await make_account("staff", community)
    mine = [await make_person(community, verified=False) for _ in range(3)]
    owner = await registered_elsewhere(id_number(31))

    def verify(person, number):
        person = global_id("Person", person.pk)
        return gql.mutate(VERIFY, {"personId": person, "idNumber": number}, token=staff.token)

    free = await verify(mine[0], id_number(32))
    elsewhere = await verify(mine[1], id_number(31))
    for answer, number in ((free, id_number(32)), (elsewhere, id_number(31))):
        assert answer == {
            "person": {"verified": True, "idNumberLast4": number[-4:], "birthDate": "1950-03-01"},
            "errors": [],
        }, answer
    # The registered person keeps their number; the newly verified one does not take it.
    assert (await Person.get(pk=owner.person.pk)).id_number_hash is not None
    assert (await Person.get(pk=mine[1].pk)).id_number_hash is None
    conflict = await AuditEntry.get(action="core.person.id_number_conflict")
    assert conflict.community_id is None  # admins only: no community's staff read it
    assert conflict.detail["holder_person_id"] == owner.person.pk
    # Within their reach, staff see the holder anyway: told.
    taken = await verify(mine[2], id_number(32))
    assert taken == {"person": None, "errors": [{"code": "ID_NUMBER_TAKEN", "field": ["idNumber"]}]}
    # And permission comes before any of it: staff of another community are refused alike
    # for a free number, a taken one and a person that does not exist.
    other = await make_account("staff", await make_community())
    refusals = [
        await gql.mutate(VERIFY, {"personId": person, "idNumber": number}, token=other.token)
        for person in (global_id("Person", mine[2].pk), global_id("Person", 999999))
        for number in (id_number(31), id_number(33))
    ]
    assert all(
        r == {"person": None, "errors": [{"code": "FORBIDDEN", "field": None}]} for r in refusals
    ), refusals
