"""ID numbers, passwords, codes and tokens never appear in a log line, nor in a response other
than the one issuing a token. The whole app logs at DEBUG (strawberry, tortoise, linli...)."""

from __future__ import annotations

import json
import logging

from linli.testing import global_id, login_codes, make_account, make_community

ID_NUMBER = "11010519500301018X"
PASSWORD = "correct horse battery"
NEW_PASSWORD = "another secret phrase"


def formatted(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.exc_info:
        text += logging.Formatter().formatException(record.exc_info)
    return text + (record.exc_text or "") + (record.stack_info or "")


async def test_no_secret_in_logs_or_responses(gql, caplog):
    caplog.set_level(logging.DEBUG)  # the root logger: every library's records
    for name in (
        "uvicorn",
        "uvicorn.error",
        "uvicorn.access",
        "strawberry",
        "tortoise",
        "linli",
        "aiosqlite",
        "asyncpg",
        "redis",
        "httpx",
        "httpcore",
    ):
        caplog.set_level(logging.DEBUG, logger=name)
    community = await make_community()
    staff = await make_account("staff", community)
    bodies: list[str] = []
    issued: list[str] = []

    async def call(query: str, variables: dict, token: str | None = None) -> dict:
        result = await gql.execute(query, variables, token=token or "")
        bodies.append(json.dumps(result.body, ensure_ascii=False))
        return result.body

    await call(
        """mutation($input: RequestLoginCodeInput!) { requestLoginCode(input: $input) {
        ok errors { code } } }""",
        {"input": {"phone": "13800138000"}},
    )
    registration_code = login_codes("+8613800138000")[-1]
    register = await call(
        """mutation($input: RegisterInput!) { register(input: $input) {
        accessToken refreshToken account { id } errors { code message } } }""",
        {
            "input": {
                "phone": "13800138000",
                "code": registration_code,
                "password": PASSWORD,
                "realName": "王芳",
                "communityId": global_id("Community", community.pk),
                "idNumber": ID_NUMBER,
            }
        },
    )
    tokens = register["data"]["register"]
    issued += [tokens["accessToken"], tokens["refreshToken"]]
    # Malformed and refused inputs echo nothing back.
    await call(
        """mutation($input: RegisterInput!) { register(input: $input) {
        accessToken errors { code message } } }""",
        {"input": {"phone": "13800138001", "password": PASSWORD, "idNumber": ID_NUMBER}},
    )
    await call(
        """mutation($input: RegisterInput!) { register(input: $input) {
        accessToken errors { code message } } }""",
        {
            "input": {
                "phone": "13800138001",
                "code": "123456",
                "password": PASSWORD,
                "realName": "x",
                "idNumber": ID_NUMBER,
                "communityId": global_id("Community", community.pk),
            }
        },
    )
    await call(
        """mutation($input: LoginInput!) { login(input: $input) {
        accessToken errors { code message } } }""",
        {"input": {"phone": "13800138000", "password": NEW_PASSWORD}},
    )
    await call(
        """mutation($input: LoginInput!) { login(input: $input) {
        accessToken errors { code message } } }""",
        {"input": {"phone": "13800138000", "password": 12345}},
    )
    await call(
        """mutation($input: RequestLoginCodeInput!) { requestLoginCode(input: $input) {
        ok errors { code } } }""",
        {"input": {"phone": "+8613800138000"}},
    )
    code = login_codes("+8613800138000")[-1]
    await call(
        """mutation($input: LoginWithCodeInput!) { loginWithCode(input: $input) {
        accessToken refreshToken errors { code message } } }""",
        {"input": {"phone": "+8613800138000", "code": code + "0"}},
    )
    by_code = await call(
        """mutation($input: LoginWithCodeInput!) { loginWithCode(input: $input) {
        accessToken refreshToken errors { code message } } }""",
        {"input": {"phone": "+8613800138000", "code": code}},
    )
    issued += [
        by_code["data"]["loginWithCode"]["accessToken"],
        by_code["data"]["loginWithCode"]["refreshToken"],
    ]
    refreshed = await call(
        """mutation($input: RefreshTokenInput!) { refreshToken(input: $input) {
        accessToken refreshToken errors { code message } } }""",
        {"input": {"refreshToken": tokens["refreshToken"]}},
    )
    issued += [
        refreshed["data"]["refreshToken"]["accessToken"],
        refreshed["data"]["refreshToken"]["refreshToken"],
    ]
    await call(
        """mutation($input: RefreshTokenInput!) { refreshToken(input: $input) {
        accessToken errors { code message } } }""",
        {"input": {"refreshToken": tokens["refreshToken"]}},
    )  # reuse: family revoked
    me = await call(
        "{ me { person { id idNumberLast4 } } }",
        {},
        token=by_code["data"]["loginWithCode"]["accessToken"],
    )
    await call(
        """mutation($input: ChangePasswordInput!) { changePassword(input: $input) {
        ok errors { code message } } }""",
        {"input": {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}},
        token=by_code["data"]["loginWithCode"]["accessToken"],
    )
    await call(
        """mutation($input: VerifyPersonInput!) { verifyPerson(input: $input) {
        person { idNumberLast4 } errors { code message } } }""",
        {"input": {"personId": me["data"]["me"]["person"]["id"], "idNumber": ID_NUMBER}},
        token=staff.token,
    )
    await call("{ me { account { id } } }", {}, token=tokens["accessToken"] + "x")
    await call(
        "{ auditLog(first: 50) { edges { node { action detail } } } }", {}, token=staff.token
    )

    secrets = {
        "ID number": ID_NUMBER,
        "ID number body": ID_NUMBER[:14],
        "password": PASSWORD,
        "new password": NEW_PASSWORD,
        "code": code,
        "registration code": registration_code,
        "staff token": staff.token,
        "staff refresh token": staff.refresh_token,
    }
    secrets.update({f"token {i}": token for i, token in enumerate(issued)})
    lines = [formatted(record) for record in caplog.records]
    assert len(lines) > 10  # the capture works
    for name, secret in secrets.items():
        assert not [line for line in lines if secret in line], f"{name} in a log line"
    for name, secret in {k: v for k, v in secrets.items() if not k.startswith("token")}.items():
        assert not [body for body in bodies if secret in body], f"{name} in a response"
    for token in issued:  # each token only in the one response that issued it
        assert sum(token in body for body in bodies) == 1
