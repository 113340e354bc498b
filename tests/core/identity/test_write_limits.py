"""Strings the columns cannot hold (issue 8, findings 2-3): too long, or with a NUL character
(PostgreSQL's text refuses it, in a write or a filter; SQLite keeps it), answer a coded error,
never INTERNAL and never the value. Tortoise 1.1 checks max_length on every write path
(create, a queryset's ``update()``, ``bulk_create``, filters): TOO_LONG naming the field
(``linli.core.errors.refusal_from_validation``); a NUL is refused where the request is decoded
(``linli.core.decoding.RefuseNulText``), for every plugin. Run on PostgreSQL too
(``LINLI_TEST_DATABASE_URL``)."""

from __future__ import annotations

from linli.testing import global_id, make_account, make_community

UPDATE_PERSON = """mutation($input: UpdatePersonInput!) { updatePerson(input: $input) {
  person { household } errors { code field message } } }"""
CREATE_COMMUNITY = """mutation($input: CreateCommunityInput!) { createCommunity(input: $input) {
  community { name } errors { code field message } } }"""


async def test_update_person_household_too_long_or_with_a_nul(gql):
    from linli.core.identity.models import Person

    community = await make_community()
    resident = await make_account("resident", community)
    person = global_id("Person", resident.person.pk)
    long = await gql.execute(
        UPDATE_PERSON,
        {"input": {"personId": person, "household": "长" * 5000}},
        token=resident.token,
        locale="en",
    )
    payload = long.body["data"]["updatePerson"]
    assert payload["person"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("TOO_LONG", ["household"])]
    assert "64" in payload["errors"][0]["message"] and "长长" not in str(long.body)
    # A NUL, in a variable or written in the document: refused before any resolver runs.
    for variables, query in (
        ({"input": {"personId": person, "household": "1号楼\x002单元"}}, UPDATE_PERSON),
        (
            {},
            'mutation { updatePerson(input: {personId: "PERSON", household: "a\\u0000b"}) '
            "{ errors { code } } }".replace("PERSON", person),
        ),
        (
            {},
            'mutation { updatePerson(input: {personId: "PERSON", household: "a\\u{0}b"}) '
            "{ errors { code } } }".replace("PERSON", person),
        ),
    ):
        result = await gql.execute(query, variables, token=resident.token, locale="en")
        assert result.codes == ["INVALID_INPUT"], result.body
        assert "1号楼" not in str(result.body)
    assert (await Person.get(pk=resident.person.pk)).household == ""


async def test_create_community_with_a_nul_or_a_long_name(gql):
    admin = await make_account("resident", admin=True)
    long = await gql.mutate(
        CREATE_COMMUNITY,
        {"kind": "STREET_OFFICE", "name": "名" * 500, "code": "C500"},
        token=admin.token,
    )
    assert long["community"] is None
    # communities check their name's length themselves (INVALID_INPUT naming it)
    assert [e["field"] for e in long["errors"]] == [["name"]], long
    nul = await gql.execute(
        CREATE_COMMUNITY,
        {"input": {"kind": "STREET_OFFICE", "name": "社区", "code": "C\x00"}},
        token=admin.token,
    )
    assert nul.codes == ["INVALID_INPUT"], nul.body
