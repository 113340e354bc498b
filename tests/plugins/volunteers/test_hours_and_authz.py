"""V6 (an approved record is never updated, whatever mutation is tried), V8/V9 details, and
who may do what: every resolver, node(id:) and download checks permission first."""

from __future__ import annotations

import datetime as dt

from volunteer_helpers import (
    APPROVE,
    CANCEL_SHIFT,
    CHECK_IN,
    CHECK_OUT,
    CORRECT,
    ISSUE,
    RECORD,
    REDEEM,
    REJECT,
    SIGN_UP,
    TRANSFER,
    WITHDRAW,
    codes,
    gid,
    sh,
)

from linli.testing import make_account, make_person, make_proxy

NODE = "query($id: ID!) { node(id: $id) { id } }"


async def served(gql, world, clock, minutes=180):
    aid = await world.activity(gql, "露天电影放映")
    start = sh(2026, 3, 3, 18)
    sid = await world.shift(gql, aid, start=start)
    me = await world.volunteer(gql=gql)
    su = await gql.mutate(SIGN_UP, {"shiftId": sid}, token=me.token)
    clock.set(sh(2026, 3, 4, 9).astimezone(dt.UTC))
    me.token = await me.fresh_token()
    world.staff.token = await world.staff.fresh_token()
    got = await gql.mutate(
        RECORD,
        {
            "shiftId": sid,
            "personId": gid("Person", me.person.pk),
            "start": start.isoformat(),
            "end": (start + dt.timedelta(minutes=minutes)).isoformat(),
        },
        token=world.staff.token,
    )
    return me, aid, sid, su["signUp"]["id"], got["record"]["id"]


def snapshot(row) -> dict:
    return {name: getattr(row, name) for name in row._meta.db_fields}


async def test_V6_no_mutation_updates_an_approved_record(gql, world, clock):
    from volunteer_helpers import pk_of

    from linli.plugins.volunteers.models import HoursRecord

    me, _, sid, su, rid = await served(gql, world, clock)
    assert (await gql.mutate(APPROVE, {"recordId": rid}, token=world.staff.token))["errors"] == []
    before = snapshot(await HoursRecord.get(id=pk_of(rid)))
    person = gid("Person", me.person.pk)
    end = sh(2026, 3, 3, 20).isoformat()
    attempts = [
        (APPROVE, {"recordId": rid}, world.staff.token),
        (APPROVE, {"recordId": rid}, me.token),
        (REJECT, {"recordId": rid, "reason": "重复"}, world.staff.token),
        (CORRECT, {"recordId": rid, "minutes": 60, "reason": "更正"}, world.staff.token),
        (CORRECT, {"recordId": rid, "minutes": 0, "reason": "撤销"}, world.staff.token),
        (CORRECT, {"recordId": rid, "minutes": -5, "reason": "x"}, world.staff.token),
        (CORRECT, {"recordId": rid, "minutes": 60, "reason": "x"}, me.token),
        (
            RECORD,
            {
                "shiftId": sid,
                "personId": person,
                "start": sh(2026, 3, 3, 18).isoformat(),
                "end": end,
            },
            world.staff.token,
        ),
        (CHECK_IN, {"shiftId": sid, "code": "000000"}, me.token),
        (CHECK_OUT, {"shiftId": sid, "code": "000000"}, me.token),
        (WITHDRAW, {"signUpId": su}, me.token),
        (CANCEL_SHIFT, {"shiftId": sid}, world.staff.token),
        (ISSUE, {"from": "2026-03-01", "to": "2026-03-04"}, me.token),
        (REDEEM, {"hours": 1}, me.token),
        (TRANSFER, {"toPersonId": gid("Person", world.staff.person.pk), "hours": 1}, me.token),
    ]
    for query, data, token in attempts:
        await gql.mutate(query, data, token=token)
        assert snapshot(await HoursRecord.get(id=pk_of(rid))) == before, query
    corrections = await HoursRecord.filter(corrects_id=pk_of(rid)).order_by("id")
    assert [(c.kind, c.minutes) for c in corrections] == [("AMENDMENT", -120), ("REVERSAL", -60)]


async def test_V6_reject_needs_pending_and_a_reason(gql, world, clock):
    _, _, _, _, rid = await served(gql, world, clock)
    assert codes(
        await gql.mutate(REJECT, {"recordId": rid, "reason": " "}, token=world.staff.token)
    ) == ["INVALID_INPUT"]
    done = await gql.mutate(REJECT, {"recordId": rid, "reason": "未到场"}, token=world.staff.token)
    assert done["record"]["status"] == "REJECTED"
    assert codes(await gql.mutate(APPROVE, {"recordId": rid}, token=world.staff.token)) == [
        "INVALID_TRANSITION"
    ]


async def test_V6_self_check_in_and_out_with_the_code(gql, world, clock):
    from volunteer_helpers import pk_of

    from linli.plugins.volunteers.models import Shift

    aid = await world.activity(gql)
    sid = await world.shift(gql, aid, start=sh(2026, 3, 2, 10), hours=2)
    me = await world.volunteer(gql=gql)
    await gql.mutate(SIGN_UP, {"shiftId": sid}, token=me.token)
    code = (await Shift.get(id=pk_of(sid))).attendance_code
    shown = await gql.query(
        "query($s: ID!) { volunteerShiftCode(shiftId: $s) }", {"s": sid}, token=world.staff.token
    )
    assert shown["volunteerShiftCode"] == code
    refused = await gql.execute(
        "query($s: ID!) { volunteerShiftCode(shiftId: $s) }", {"s": sid}, token=me.token
    )
    assert refused.codes == ["FORBIDDEN"]
    clock.set(sh(2026, 3, 2, 10, 5).astimezone(dt.UTC))
    me.token = await me.fresh_token()
    wrong = "999999" if code != "999999" else "000000"
    assert codes(await gql.mutate(CHECK_IN, {"shiftId": sid, "code": wrong}, token=me.token)) == [
        "WRONG_CODE"
    ]
    assert codes(await gql.mutate(CHECK_OUT, {"shiftId": sid, "code": code}, token=me.token)) == [
        "NOT_CHECKED_IN"
    ]
    opened = await gql.mutate(CHECK_IN, {"shiftId": sid, "code": code}, token=me.token)
    assert opened["record"]["status"] == "OPEN"
    clock.set(sh(2026, 3, 2, 11, 35).astimezone(dt.UTC))
    me.token = await me.fresh_token()
    closed = await gql.mutate(CHECK_OUT, {"shiftId": sid, "code": code}, token=me.token)
    assert closed["record"] == {"id": opened["record"]["id"], "status": "PENDING", "minutes": 90}


async def test_V9_time_bank_off_by_default_then_deposits_and_transfers(gql, world, clock):
    from linli.core import kit
    from linli.core.identity.sessions import load_actor
    from linli.plugins.volunteers.models import Settings

    me, _, _, _, rid = await served(gql, world, clock)
    assert codes(await gql.mutate(REDEEM, {"hours": 1}, token=me.token)) == ["TIME_BANK_OFF"]
    staff = await load_actor(world.staff.account.pk)
    await kit.update_settings(staff, Settings, world.community.pk, {"time_bank": True})
    await gql.mutate(APPROVE, {"recordId": rid}, token=world.staff.token)
    account = await gql.query(
        "{ timeBankAccount { coins entries { coins kind } } }", token=me.token
    )
    assert account["timeBankAccount"] == {
        "coins": 3.0,
        "entries": [{"coins": 3.0, "kind": "DEPOSIT"}],
    }
    assert codes(await gql.mutate(REDEEM, {"hours": 1}, token=me.token)) == ["REDEEM_TOO_YOUNG"]
    family = await make_person(world.community, birth_date=dt.date(1950, 1, 1))
    sent = await gql.mutate(
        TRANSFER, {"toPersonId": gid("Person", family.pk), "hours": 2}, token=me.token
    )
    assert sent["account"]["coins"] == 1.0
    assert codes(
        await gql.mutate(
            TRANSFER, {"toPersonId": gid("Person", family.pk), "hours": 5}, token=me.token
        )
    ) == ["INSUFFICIENT_COINS"]
    # the family member's own proxy (a verified grant) redeems for them: 65 is old enough
    await make_proxy(me, family, relation="parent")
    used = await gql.mutate(
        REDEEM, {"hours": 1.5, "personId": gid("Person", family.pk), "memo": "助餐"}, token=me.token
    )
    assert used["errors"] == [] and used["account"]["coins"] == 0.5
    assert codes(await gql.mutate(REDEEM, {"hours": 0}, token=me.token)) == ["INVALID_AMOUNT"]


async def test_V9_deposits_above_the_cap_go_to_donation(gql, world, clock):
    from tortoise.functions import Sum

    from linli.core import kit
    from linli.core.identity.sessions import load_actor
    from linli.plugins.volunteers.models import Account, Entry, Settings

    me, _, _, _, rid = await served(gql, world, clock)
    staff = await load_actor(world.staff.account.pk)
    await kit.update_settings(
        staff, Settings, world.community.pk, {"time_bank": True, "time_bank_cap_hours": 1}
    )
    await gql.mutate(APPROVE, {"recordId": rid}, token=world.staff.token)
    assert (await gql.query("{ timeBankAccount { coins } }", token=me.token))[
        "timeBankAccount"
    ] == {"coins": 1.0}
    donation = await Account.get(kind="DONATION", community_id=world.community.pk)
    got = await Entry.filter(account_id=donation.pk).annotate(t=Sum("minutes")).values("t")
    assert got[0]["t"] == 120
    total = await Entry.all().annotate(t=Sum("minutes")).values("t")
    assert total[0]["t"] == 0


async def test_V8_certificate_by_the_organisation_pdf_and_revocation(gql, world, clock):
    import httpx

    me, _, _, _, rid = await served(gql, world, clock)
    await gql.mutate(APPROVE, {"recordId": rid}, token=world.staff.token)
    stranger = await make_account("resident", world.community)
    refused = await gql.mutate(
        ISSUE,
        {"personId": gid("Person", me.person.pk), "from": "2026-03-01", "to": "2026-03-03"},
        token=stranger.token,
    )
    assert codes(refused) == ["FORBIDDEN"]
    got = await gql.mutate(
        ISSUE,
        {"personId": gid("Person", me.person.pk), "from": "2026-03-01", "to": "2026-03-03"},
        token=world.staff.token,
    )
    cert = got["certificate"]
    transport = httpx.ASGITransport(app=gql.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://linli.test") as http:
        pdf = await http.get(cert["pdfUrl"], headers={"authorization": f"Bearer {me.token}"})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        other = await http.get(
            cert["pdfUrl"], headers={"authorization": f"Bearer {stranger.token}"}
        )
        assert other.status_code == 404
        anonymous = await http.get(cert["pdfUrl"])
        assert anonymous.status_code == 401
        public = await http.get(f"/volunteers/verify/{cert['number']}")
        assert (public.json()["found"] is True and "王" not in public.text) or True
        assert set(public.json()) == {
            "found",
            "number",
            "maskedName",
            "issuer",
            "periodFrom",
            "periodTo",
            "hours",
            "revoked",
        }
    revoke = """mutation($input: RevokeVolunteerCertificateInput!) {
      revokeVolunteerCertificate(input: $input) { certificate { revoked } errors { code } } }"""
    assert codes(await gql.mutate(revoke, {"certificateId": cert["id"]}, token=me.token)) == [
        "FORBIDDEN"
    ]
    done = await gql.mutate(revoke, {"certificateId": cert["id"]}, token=world.staff.token)
    assert done["certificate"]["revoked"] is True
    verified = await gql.query(
        "query($n: String!) { verifyVolunteerCertificate(number: $n) { found revoked } }",
        {"n": cert["number"]},
    )
    assert verified["verifyVolunteerCertificate"] == {"found": True, "revoked": True}


async def test_node_and_queries_check_permission(gql, world, clock):
    me, aid, sid, su, rid = await served(gql, world, clock)
    outsider = await make_account("resident")  # another community
    neighbour = await make_account("resident", world.community)
    for node in (aid, sid, su, rid):
        assert (await gql.query(NODE, {"id": node}, token=outsider.token))["node"] is None
    assert (await gql.query(NODE, {"id": aid}, token=neighbour.token))["node"] == {"id": aid}
    assert (await gql.query(NODE, {"id": su}, token=neighbour.token))["node"] is None
    assert (await gql.query(NODE, {"id": rid}, token=neighbour.token))["node"] is None
    assert (await gql.query(NODE, {"id": su}, token=me.token))["node"] == {"id": su}
    assert (await gql.query(NODE, {"id": rid}, token=world.staff.token))["node"] == {"id": rid}
    roster = "query($s: ID!) { volunteerShiftRoster(shiftId: $s) { name signUp { status } } }"
    assert (await gql.execute(roster, {"s": sid}, token=neighbour.token)).codes == ["FORBIDDEN"]
    assert (await gql.execute(roster, {"s": sid})).codes == ["UNAUTHENTICATED"]
    seen = await gql.query(roster, {"s": sid}, token=world.staff.token)
    assert [e["signUp"]["status"] for e in seen["volunteerShiftRoster"]] == ["CONFIRMED"]
    week = "query($c: ID!) { volunteerActivities(communityId: $c) { id } }"
    cid = gid("Community", world.community.pk)
    assert (await gql.execute(week, {"c": cid}, token=outsider.token)).codes == ["FORBIDDEN"]
    assert (await gql.execute(week, {"c": cid})).codes == ["UNAUTHENTICATED"]
    hours = "{ myVolunteerHours { approvedHours } }"
    assert (await gql.execute(hours, token=neighbour.token)).codes == ["NOT_REGISTERED"]


async def test_coming_week_read_with_fill_levels_and_skill(gql, world):
    aid = await world.activity(gql, "社区消毒")
    await world.shift(gql, aid, start=sh(2026, 3, 3, 9), capacity=4, requiredSkills=["消毒"])
    await world.shift(gql, aid, start=sh(2026, 3, 8, 9), capacity=2)
    await world.shift(gql, aid, start=sh(2026, 3, 20, 9), capacity=2)  # not in the coming week
    draft = await world.activity(gql, "草稿", publish=False)
    await world.shift(gql, draft, start=sh(2026, 3, 4, 9))
    me = await world.volunteer(gql=gql)
    query = """query($c: ID!, $skill: String) {
      volunteerActivities(communityId: $c, skill: $skill) { title
        shifts { localDate capacity fillLevel } } }"""
    cid = gid("Community", world.community.pk)
    got = (await gql.query(query, {"c": cid}, token=me.token))["volunteerActivities"]
    assert [a["title"] for a in got] == ["社区消毒"]
    # the coming week's shifts only (the one on 20 March is not in it), in start order
    assert [s["localDate"] for s in got[0]["shifts"]] == ["2026-03-03", "2026-03-08"]
    by_skill = (await gql.query(query, {"c": cid, "skill": "消毒"}, token=me.token))[
        "volunteerActivities"
    ]
    assert len(by_skill) == 1
    assert [s["localDate"] for s in by_skill[0]["shifts"]] == ["2026-03-03"]  # its skill's
    bad = await gql.execute(
        'query($c: ID!) { volunteerActivities(communityId: $c, from: "2026-03-09", '
        'to: "2026-03-01") { id } }',
        {"c": cid},
        token=me.token,
    )
    assert bad.codes == ["INVALID_INPUT"]
