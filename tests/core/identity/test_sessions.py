"""Accounts and sessions: register, log in, refresh rotation and reuse, logout, expiry, codes."""

from __future__ import annotations

from datetime import timedelta

from linli.testing import TEST_PASSWORD, global_id, login_codes, make_account, make_community

LOGIN = """mutation($input: LoginInput!) { login(input: $input) {
  accessToken refreshToken account { id phone } errors { code field message } } }"""
REFRESH = """mutation($input: RefreshTokenInput!) { refreshToken(input: $input) {
  accessToken refreshToken errors { code field message } } }"""
REGISTER = """mutation($input: RegisterInput!) { register(input: $input) {
  accessToken refreshToken account { phone person { realName idNumberLast4 birthDate verified } }
  errors { code field message } } }"""
ME = "{ me { account { phone } person { realName } memberships { role roleLabel } } }"
LOGOUT = "mutation { logout { ok errors { code } } }"
REQUEST_CODE = """mutation($input: RequestLoginCodeInput!) { requestLoginCode(input: $input) {
  ok errors { code message } } }"""
CODE_LOGIN = """mutation($input: LoginWithCodeInput!) { loginWithCode(input: $input) {
  accessToken refreshToken errors { code field message } } }"""
CHANGE = """mutation($input: ChangePasswordInput!) { changePassword(input: $input) {
  ok errors { code field } } }"""

# A valid 18-character ID number (checksum correct), born 1 March 1950.
ID_NUMBER = "11010519500301018X"


async def test_register_then_me(gql, code_for):
    community = await make_community()
    payload = await gql.mutate(
        REGISTER,
        {
            "phone": "138 0013 8000",
            "code": await code_for("138 0013 8000"),
            "password": "long enough",
            "realName": "王芳",
            "communityId": global_id("Community", community.pk),
            "idNumber": ID_NUMBER,
        },
    )
    assert payload["errors"] == []
    account = payload["account"]
    assert account["phone"] == "+8613800138000"
    assert account["person"] is None  # the registering request itself is anonymous
    mine = await gql.query(
        "{ me { person { realName idNumberLast4 birthDate verified } } }",
        token=payload["accessToken"],
    )
    assert mine["me"]["person"] == {
        "realName": "王芳",
        "idNumberLast4": "018X",
        "birthDate": "1950-03-01",
        "verified": False,
    }
    me = await gql.query(ME, token=payload["accessToken"], locale="en")
    assert me["me"]["memberships"] == [{"role": "RESIDENT", "roleLabel": "Resident"}]
    me = await gql.query(ME, token=payload["accessToken"])
    assert me["me"]["memberships"][0]["roleLabel"] == "居民"


async def test_register_refusals(gql, code_for):
    community = await make_community()
    base = {
        "phone": "13800138001",
        "code": "000000",
        "password": "long enough",
        "realName": "王芳",
        "communityId": global_id("Community", community.pk),
    }
    # What the input itself says is answered before the code is tried (a typo costs no try).
    cases = [
        ({"phone": "12345"}, "INVALID_PHONE", ["phone"]),
        ({"password": "short"}, "PASSWORD_TOO_SHORT", ["password"]),
        ({"idNumber": "110105195003010021"}, "INVALID_ID_NUMBER", ["idNumber"]),
        ({"idNumber": ID_NUMBER, "birthDate": "1950-03-02"}, "BIRTH_DATE_MISMATCH", ["birthDate"]),
        ({"communityId": global_id("Community", 999999)}, "NOT_FOUND", ["communityId"]),
        ({"communityId": global_id("Person", 1)}, "INVALID_INPUT", ["communityId"]),
        ({}, "INVALID_CODE", ["code"]),
    ]
    for change, code, field in cases:
        payload = await gql.mutate(REGISTER, {**base, **change}, locale="en")
        assert payload["accessToken"] is None
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)], change
    ok = await gql.mutate(
        REGISTER, {**base, "idNumber": ID_NUMBER, "code": await code_for(base["phone"])}
    )
    assert ok["errors"] == []
    # A proved caller owns the phone: told it is registered (log in instead).
    taken = await gql.mutate(REGISTER, {**base, "code": await code_for(base["phone"])})
    assert taken["errors"][0]["code"] == "PHONE_TAKEN"
    assert taken["errors"][0]["message"] == "该手机号码已注册。"


async def test_register_does_not_tell_an_unproved_caller_what_is_registered(gql, code_for):
    """Issue 8, finding 6: register answered PHONE_TAKEN and ID_NUMBER_TAKEN to anyone."""
    from linli.core.identity.models import Account, Person
    from linli.core.models import AuditEntry

    community = await make_community()
    owner = await make_account("resident", community)
    base = {
        "password": "long enough",
        "realName": "王芳",
        "communityId": global_id("Community", community.pk),
        "idNumber": ID_NUMBER,
    }
    first = await gql.mutate(
        REGISTER, {**base, "phone": "13800138005", "code": await code_for("13800138005")}
    )
    assert first["errors"] == []
    # Without the phone's code: the same answer for a registered and a free phone, and for an
    # ID number on record or not; nothing is created.
    answers = [
        await gql.mutate(REGISTER, {**base, "phone": phone, "code": code, "idNumber": number})
        for phone in (owner.phone, "13800138006")
        for number in (ID_NUMBER, None)
        for code in ("123456", "")
    ]
    assert all(answer == answers[0] for answer in answers), answers
    assert [e["code"] for e in answers[0]["errors"]] == ["INVALID_CODE"]
    assert not await Account.exists(phone="+8613800138006")
    # Asking for a code says the same for both phones, and both phones get one.
    sent = [await code_for(phone) for phone in (owner.phone, "13800138006")]
    assert all(sent)
    # The free phone, proved, registers even with an ID number on record for someone else:
    # the answer is a success like any other, the number stays unbound (last 4 kept) and the
    # pair goes to the admins' audit log; the first holder keeps it.
    again = await gql.mutate(REGISTER, {**base, "phone": "13800138006", "code": sent[1]})
    assert again["errors"] == [] and again["accessToken"]
    assert again.keys() == first.keys() and again["account"]["person"] == first["account"]["person"]
    newcomer = await Person.get(accounts__phone="+8613800138006")
    assert newcomer.id_number_hash is None and newcomer.id_number_last4 == ID_NUMBER[-4:]
    holder = await Person.get(accounts__phone="+8613800138005")
    assert holder.id_number_hash is not None
    conflict = await AuditEntry.get(action="core.person.id_number_conflict")
    assert conflict.community_id is None and conflict.detail["holder_person_id"] == holder.pk
    # A code sent to a phone without an account logs nobody in.
    code = await code_for("13800138007")
    login = await gql.mutate(CODE_LOGIN, {"phone": "13800138007", "code": code})
    assert [e["code"] for e in login["errors"]] == ["INVALID_CODE"]


async def test_login_wrong_password_and_unknown_phone_look_alike(gql):
    user = await make_account()
    wrong = await gql.mutate(LOGIN, {"phone": user.phone, "password": "nope nope"})
    unknown = await gql.mutate(LOGIN, {"phone": "+8613700000000", "password": "nope nope"})
    assert wrong["errors"] == unknown["errors"]
    assert wrong["errors"][0]["code"] == "INVALID_CREDENTIALS"
    ok = await gql.mutate(LOGIN, {"phone": user.phone, "password": TEST_PASSWORD})
    assert ok["errors"] == [] and ok["accessToken"] and ok["refreshToken"]


async def test_access_token_expires_after_15_minutes(gql, clock):
    user = await make_account()
    assert (await gql.execute(ME, token=user.token)).errors is None
    clock.advance(minutes=14, seconds=59)
    assert (await gql.execute(ME, token=user.token)).errors is None
    clock.advance(seconds=1)
    result = await gql.execute(ME, token=user.token)
    assert result.codes == ["UNAUTHENTICATED"]
    # A forged or garbled token is the same.
    assert (await gql.execute(ME, token=user.token[:-2] + "xx")).codes == ["UNAUTHENTICATED"]
    assert (await gql.execute(ME)).codes == ["UNAUTHENTICATED"]


async def test_refresh_rotates_and_reuse_revokes_the_family(gql, clock):
    user = await make_account()
    first = await gql.mutate(REFRESH, {"refreshToken": user.refresh_token})
    assert first["errors"] == []
    assert first["refreshToken"] != user.refresh_token
    clock.advance(minutes=1)
    second = await gql.mutate(REFRESH, {"refreshToken": first["refreshToken"]})
    assert second["errors"] == []
    assert (await gql.execute(ME, token=second["accessToken"])).errors is None
    # The first refresh token, presented again: refused, and the whole session ends.
    replay = await gql.mutate(REFRESH, {"refreshToken": user.refresh_token})
    assert replay["errors"][0]["code"] == "INVALID_TOKEN" and replay["accessToken"] is None
    assert (await gql.execute(ME, token=second["accessToken"])).codes == ["UNAUTHENTICATED"]
    latest = await gql.mutate(REFRESH, {"refreshToken": second["refreshToken"]})
    assert latest["errors"][0]["code"] == "INVALID_TOKEN"
    # Another session of the same account is untouched.
    other = await gql.mutate(LOGIN, {"phone": user.phone, "password": TEST_PASSWORD})
    assert (await gql.execute(ME, token=other["accessToken"])).errors is None


async def test_refresh_token_expires(gql, clock):
    user = await make_account()
    clock.advance(days=30)
    payload = await gql.mutate(REFRESH, {"refreshToken": user.refresh_token})
    assert payload["errors"][0]["code"] == "INVALID_TOKEN"
    garbage = await gql.mutate(REFRESH, {"refreshToken": "not-a-token"})
    assert garbage["errors"][0]["code"] == "INVALID_TOKEN"


async def test_logout_revokes_access_and_refresh(gql):
    user = await make_account()
    payload = await gql.mutate(LOGOUT, token=user.token)
    assert payload == {"ok": True, "errors": []}
    assert (await gql.execute(ME, token=user.token)).codes == ["UNAUTHENTICATED"]
    refreshed = await gql.mutate(REFRESH, {"refreshToken": user.refresh_token})
    assert refreshed["errors"][0]["code"] == "INVALID_TOKEN"
    assert (await gql.execute(LOGOUT)).codes == ["UNAUTHENTICATED"]


async def test_change_password_ends_other_sessions(gql):
    user = await make_account()
    other = await gql.mutate(LOGIN, {"phone": user.phone, "password": TEST_PASSWORD})
    wrong = await gql.mutate(
        CHANGE, {"currentPassword": "bad password", "newPassword": "n" * 10}, token=user.token
    )
    assert wrong["errors"] == [{"code": "INVALID_CREDENTIALS", "field": ["currentPassword"]}]
    short = await gql.mutate(
        CHANGE, {"currentPassword": TEST_PASSWORD, "newPassword": "n"}, token=user.token
    )
    assert short["errors"] == [{"code": "PASSWORD_TOO_SHORT", "field": ["newPassword"]}]
    ok = await gql.mutate(
        CHANGE,
        {"currentPassword": TEST_PASSWORD, "newPassword": "a new password"},
        token=user.token,
    )
    assert ok == {"ok": True, "errors": []}
    assert (await gql.execute(ME, token=user.token)).errors is None
    assert (await gql.execute(ME, token=other["accessToken"])).codes == ["UNAUTHENTICATED"]
    old = await gql.mutate(LOGIN, {"phone": user.phone, "password": TEST_PASSWORD})
    assert old["errors"][0]["code"] == "INVALID_CREDENTIALS"
    new = await gql.mutate(LOGIN, {"phone": user.phone, "password": "a new password"})
    assert new["errors"] == []


async def test_login_with_code(gql, clock):
    user = await make_account()
    sent = await gql.mutate(REQUEST_CODE, {"phone": user.phone})
    assert sent == {"ok": True, "errors": []}
    (code,) = login_codes(user.phone)
    assert len(code) == 6 and code.isdigit()
    wrong = "000000" if code != "000000" else "111111"
    bad = await gql.mutate(CODE_LOGIN, {"phone": user.phone, "code": wrong})
    assert bad["errors"][0]["code"] == "INVALID_CODE"
    ok = await gql.mutate(CODE_LOGIN, {"phone": user.phone, "code": code})
    assert ok["errors"] == [] and ok["accessToken"]
    again = await gql.mutate(CODE_LOGIN, {"phone": user.phone, "code": code})
    assert again["errors"][0]["code"] == "INVALID_CODE"  # used once only


async def test_login_code_expires_after_5_minutes(gql, clock):
    user = await make_account()
    await gql.mutate(REQUEST_CODE, {"phone": user.phone})
    (code,) = login_codes(user.phone)
    clock.advance(minutes=5)
    late = await gql.mutate(CODE_LOGIN, {"phone": user.phone, "code": code})
    assert late["errors"][0]["code"] == "INVALID_CODE"


async def test_code_for_unknown_phone_says_the_same_and_sends_one_for_registering(gql):
    user = await make_account()
    unknown = await gql.mutate(REQUEST_CODE, {"phone": "+8613711112222"})
    known = await gql.mutate(REQUEST_CODE, {"phone": user.phone})
    assert unknown == known == {"ok": True, "errors": []}
    # The same work either way: a code goes to each (an unregistered phone's proves it for
    # register; it logs nobody in).
    assert len(login_codes("+8613711112222")) == len(login_codes(user.phone)) == 1


async def test_expired_token_on_login_is_ignored(gql, clock):
    user = await make_account()
    clock.advance(timedelta(hours=1))
    ok = await gql.mutate(LOGIN, {"phone": user.phone, "password": TEST_PASSWORD}, token=user.token)
    assert ok["errors"] == []
