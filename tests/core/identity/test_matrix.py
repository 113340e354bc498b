"""The authorization matrix: every identity operation × anonymous / resident / resident of
another community / staff / staff of another community / street-office staff / admin, each
asserting "ok" or the exact error code; reads through ``node(id:)`` answer null when hidden.

Objects acted on live in community A (under street office S); community B is under another
street office.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from linli.core import audit
from linli.testing import (
    TEST_PASSWORD,
    MadeAccount,
    global_id,
    login_codes,
    make_account,
    make_community,
    make_person,
    make_proxy,
    next_phone,
)

ROLES = ["anonymous", "resident", "resident_other", "staff", "staff_other", "street_staff", "admin"]


@dataclass
class World:
    street: Any
    a: Any
    b: Any
    target: MadeAccount  # a resident of A: the person acted on
    callers: dict[str, MadeAccount | None]


@pytest.fixture
async def world(linli_app) -> World:
    street = await make_community(kind="street_office")
    a = await make_community(parent=street)
    b = await make_community()
    target = await make_account("resident", a)
    callers: dict[str, MadeAccount | None] = {
        "anonymous": None,
        "resident": await make_account("resident", a),
        "resident_other": await make_account("resident", b),
        "staff": await make_account("staff", a),
        "staff_other": await make_account("staff", b),
        "street_staff": await make_account("staff", street),
        "admin": await make_account(None, admin=True),
    }
    return World(street, a, b, target, callers)


def outcome(result: Any) -> str:
    """'ok', 'null' (a hidden node), or the error code (top-level or in the payload)."""
    if result.errors:
        return result.errors[0]["extensions"]["code"]
    (value,) = result.data.values()
    if value is None:
        return "null"
    if isinstance(value, dict) and value.get("errors"):
        return value["errors"][0]["code"]
    return "ok"


Op = Callable[[Any, World, str | None], Awaitable[str]]
OPS: dict[str, tuple[Op, dict[str, str]]] = {}

ALL_OK = dict.fromkeys(ROLES, "ok")
LOGGED_IN = {**ALL_OK, "anonymous": "UNAUTHENTICATED"}
STAFF_OF_A = {
    "anonymous": "UNAUTHENTICATED",
    "resident": "FORBIDDEN",
    "resident_other": "FORBIDDEN",
    "staff": "ok",
    "staff_other": "FORBIDDEN",
    "street_staff": "ok",
    "admin": "ok",
}
SEEN_BY_STAFF_OF_A = {
    role: ("ok" if value == "ok" else "null") for role, value in STAFF_OF_A.items()
}
ADMIN_ONLY = {**STAFF_OF_A, "staff": "FORBIDDEN", "street_staff": "FORBIDDEN"}


def op(name: str, expected: dict[str, str]) -> Callable[[Op], Op]:
    def register(fn: Op) -> Op:
        OPS[name] = (fn, expected)
        return fn

    return register


async def run(gql: Any, query: str, token: str | None, **variables: Any) -> str:
    return outcome(await gql.execute(query, variables, token=token or ""))


NODE = "query($id: ID!) { node(id: $id) { id } }"


# ---------------------------------------------------------------- queries


@op("me", LOGGED_IN)
async def _me(gql, w, token):
    return await run(gql, "{ me { account { id } } }", token)


@op("communities", ALL_OK)
async def _communities(gql, w, token):
    return await run(gql, "{ communities(first: 5) { edges { node { name } } } }", token)


@op("auditLog", STAFF_OF_A)
async def _audit_log(gql, w, token):
    return await run(
        gql,
        "query($c: ID) { auditLog(communityId: $c) { edges { node { id } } } }",
        token,
        c=global_id("Community", w.a.pk),
    )


@op("node(Community)", ALL_OK)
async def _node_community(gql, w, token):
    return await run(gql, NODE, token, id=global_id("Community", w.a.pk))


@op("node(Person)", SEEN_BY_STAFF_OF_A)
async def _node_person(gql, w, token):
    return await run(gql, NODE, token, id=global_id("Person", w.target.person.pk))


@op("node(Account)", SEEN_BY_STAFF_OF_A)
async def _node_account(gql, w, token):
    return await run(gql, NODE, token, id=global_id("Account", w.target.id))


@op("node(ProxyGrant)", SEEN_BY_STAFF_OF_A)
async def _node_grant(gql, w, token):
    other = await make_account("resident", w.b)
    grant = await make_proxy(other, w.target.person, status="pending")
    return await run(gql, NODE, token, id=global_id("ProxyGrant", grant.pk))


@op("node(AuditEntry)", SEEN_BY_STAFF_OF_A)
async def _node_audit(gql, w, token):
    entry = await audit.record(None, "test.entry", community_id=w.a.pk)
    return await run(gql, NODE, token, id=global_id("AuditEntry", entry.pk))


# ---------------------------------------------------------------- public mutations


@op("login", ALL_OK)
async def _login(gql, w, token):
    return await run(
        gql,
        """mutation($i: LoginInput!) { login(input: $i) {
        accessToken errors { code } } }""",
        token,
        i={"phone": w.target.phone, "password": TEST_PASSWORD},
    )


@op("register", ALL_OK)
async def _register(gql, w, token):
    phone = next_phone()
    await gql.mutate(
        "mutation($input: RequestLoginCodeInput!) { requestLoginCode(input: $input) { ok } }",
        {"phone": phone},
    )
    return await run(
        gql,
        """mutation($i: RegisterInput!) { register(input: $i) {
        accessToken errors { code } } }""",
        token,
        i={
            "phone": phone,
            "code": login_codes(phone)[-1],
            "password": "a long password",
            "realName": "新居民",
            "communityId": global_id("Community", w.a.pk),
        },
    )


@op("refreshToken", ALL_OK)
async def _refresh(gql, w, token):
    fresh = await make_account("resident", w.a)
    return await run(
        gql,
        """mutation($i: RefreshTokenInput!) { refreshToken(input: $i) {
        accessToken errors { code } } }""",
        token,
        i={"refreshToken": fresh.refresh_token},
    )


@op("requestLoginCode", ALL_OK)
async def _request_code(gql, w, token):
    return await run(
        gql,
        """mutation($i: RequestLoginCodeInput!) { requestLoginCode(input: $i) {
        ok errors { code } } }""",
        token,
        i={"phone": w.target.phone},
    )


@op("loginWithCode (wrong code)", {r: "INVALID_CODE" for r in ROLES})
async def _code_login(gql, w, token):
    return await run(
        gql,
        """mutation($i: LoginWithCodeInput!) { loginWithCode(input: $i) {
        accessToken errors { code } } }""",
        token,
        i={"phone": w.target.phone, "code": "12345x"},
    )


# ---------------------------------------------------------------- staff and proxy mutations


@op("verifyPerson", STAFF_OF_A)
async def _verify(gql, w, token):
    person = await make_person(w.a, verified=False)
    return await run(
        gql,
        """mutation($i: VerifyPersonInput!) { verifyPerson(input: $i) {
        person { verified } errors { code } } }""",
        token,
        i={"personId": global_id("Person", person.pk)},
    )


@op("acceptProxy", STAFF_OF_A)
async def _accept(gql, w, token):
    other = await make_account("resident", w.b)
    grant = await make_proxy(other, w.target.person, status="pending")
    return await run(
        gql,
        """mutation($i: AcceptProxyInput!) { acceptProxy(input: $i) {
        grant { status } errors { code } } }""",
        token,
        i={"grantId": global_id("ProxyGrant", grant.pk)},
    )


@op("revokeProxy", STAFF_OF_A)
async def _revoke(gql, w, token):
    other = await make_account("resident", w.b)
    grant = await make_proxy(other, w.target.person)
    return await run(
        gql,
        """mutation($i: RevokeProxyInput!) { revokeProxy(input: $i) {
        grant { status } errors { code } } }""",
        token,
        i={"grantId": global_id("ProxyGrant", grant.pk)},
    )


@op("updatePerson (act for)", STAFF_OF_A)
async def _update_person(gql, w, token):
    return await run(
        gql,
        """mutation($i: UpdatePersonInput!) { updatePerson(input: $i) {
        person { household } errors { code } } }""",
        token,
        i={"personId": global_id("Person", w.target.person.pk), "household": "1-101"},
    )


@op("grantProxy", LOGGED_IN)
async def _grant(gql, w, token):
    return await run(
        gql,
        """mutation($i: GrantProxyInput!) { grantProxy(input: $i) {
        grant { status } errors { code } } }""",
        token,
        i={"personId": global_id("Person", w.target.person.pk), "relation": "PARENT"},
    )


@op("addMember", STAFF_OF_A)
async def _add_member(gql, w, token):
    newcomer = await make_account(None, with_person=False)
    return await run(
        gql,
        """mutation($i: AddMemberInput!) { addMember(input: $i) {
        membership { role } errors { code } } }""",
        token,
        i={"phone": newcomer.phone, "communityId": global_id("Community", w.a.pk)},
    )


@op("setRole volunteer", STAFF_OF_A)
async def _set_volunteer(gql, w, token):
    return await run(
        gql,
        """mutation($i: SetRoleInput!) { setRole(input: $i) {
        membership { role } errors { code } } }""",
        token,
        i={
            "accountId": global_id("Account", w.target.id),
            "communityId": global_id("Community", w.a.pk),
            "role": "VOLUNTEER",
        },
    )


@op("setRole staff", ADMIN_ONLY)
async def _set_staff(gql, w, token):
    newcomer = await make_account(None, with_person=False)
    return await run(
        gql,
        """mutation($i: SetRoleInput!) { setRole(input: $i) {
        membership { role } errors { code } } }""",
        token,
        i={
            "accountId": global_id("Account", newcomer.id),
            "communityId": global_id("Community", w.a.pk),
            "role": "STAFF",
        },
    )


@op("createCommunity", ADMIN_ONLY | {"street_staff": "FORBIDDEN"})
async def _create_community(gql, w, token):
    return await run(
        gql,
        """mutation($i: CreateCommunityInput!) { createCommunity(input: $i) {
        community { name } errors { code } } }""",
        token,
        i={
            "kind": "AREA",
            "name": "新小区",
            "code": next_phone()[-10:],
            "parentId": global_id("Community", w.a.pk),
        },
    )


@op("changePassword", LOGGED_IN)
async def _change_password(gql, w, token):
    return await run(
        gql,
        """mutation($i: ChangePasswordInput!) { changePassword(input: $i) {
        ok errors { code } } }""",
        token,
        i={"currentPassword": TEST_PASSWORD, "newPassword": TEST_PASSWORD},
    )


@op("logout", LOGGED_IN)  # last: it ends the caller's session
async def _logout(gql, w, token):
    return await run(gql, "mutation { logout { ok errors { code } } }", token)


@pytest.mark.parametrize("role", ROLES)
async def test_matrix(gql, world, role):
    caller = world.callers[role]
    token = caller.token if caller else None
    got = {}
    for name, (fn, _) in OPS.items():
        got[name] = await fn(gql, world, token)
    expected = {name: table[role] for name, (_, table) in OPS.items()}
    assert got == expected


async def test_every_mutation_and_query_is_in_the_matrix(linli_app):
    schema = linli_app.state.schema
    names = {n.split(" ")[0].split("(")[0] for n in OPS}
    core_mutations = (
        {f.name for f in schema.schema_converter.type_map["Mutation"].definition.fields}
        if False
        else set()
    )
    mutation_type = schema._schema.mutation_type
    query_type = schema._schema.query_type
    identity = {
        "register",
        "login",
        "requestLoginCode",
        "loginWithCode",
        "refreshToken",
        "logout",
        "changePassword",
        "createCommunity",
        "grantProxy",
        "acceptProxy",
        "revokeProxy",
        "verifyPerson",
        "updatePerson",
        "addMember",
        "setRole",
    }
    assert identity <= set(mutation_type.fields)
    assert identity - core_mutations <= names
    assert {"me", "communities", "auditLog", "node"} <= set(query_type.fields)
    assert {"me", "communities", "auditLog", "node"} <= names
