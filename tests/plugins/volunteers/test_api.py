"""The volunteers API over GraphQL (in-process app, SQLite by default): V1–V9 end to end.

Clock: Monday 2 March 2026, 09:00 Shanghai. Shifts default to Saturday 7 March 09:00–12:00.
"""

from __future__ import annotations

import datetime as dt

from volunteer_helpers import (
    ADD_SHIFT,
    APPROVE,
    CANCEL_SHIFT,
    CONSENT,
    CORRECT,
    CREATE,
    ISSUE,
    MY_HOURS,
    RECORD,
    REGISTER,
    SIGN_UP,
    VERIFY,
    WITHDRAW,
    codes,
    gid,
    sh,
)

from linli.testing import make_account, make_person, make_proxy


async def test_V1_register_once_and_read_profile(gql, world):
    me = await world.volunteer()
    got = await gql.mutate(
        REGISTER,
        {
            "skills": ["急救", " 急救 "],
            "availability": [{"weekday": 5, "start": "09:00", "end": "12:00"}],
        },
        token=me.token,
    )
    assert got["errors"] == [] and got["profile"]["skills"] == ["急救"]
    again = await gql.mutate(REGISTER, {}, token=me.token)
    assert codes(again) == ["ALREADY_REGISTERED"]
    data = await gql.query(
        "{ myVolunteerProfile { skills availability { weekday start } } }", token=me.token
    )
    assert data["myVolunteerProfile"]["availability"] == [{"weekday": 5, "start": "09:00:00"}]


async def test_V1_guardian_registers_a_minor_but_a_stranger_cannot(gql, world):
    parent = await world.volunteer()
    child = await make_person(world.community, birth_date=dt.date(2014, 5, 1))
    stranger = await world.volunteer()
    refused = await gql.mutate(
        REGISTER, {"personId": gid("Person", child.pk)}, token=stranger.token
    )
    assert codes(refused) == ["FORBIDDEN"]
    await make_proxy(parent, child, relation="parent")
    got = await gql.mutate(REGISTER, {"personId": gid("Person", child.pk)}, token=parent.token)
    assert got["errors"] == []


async def test_V2_only_staff_post_and_bad_shifts_are_coded(gql, world):
    resident = await world.volunteer(gql=gql)
    refused = await gql.mutate(
        CREATE, {"communityId": world.cid, "title": "x"}, token=resident.token
    )
    assert codes(refused) == ["FORBIDDEN"]
    aid = await world.activity(gql)
    start = sh(2026, 3, 7, 9)
    for extra, expected in (
        ({"end": (start - dt.timedelta(hours=1)).isoformat()}, "END_BEFORE_START"),
        ({"capacity": 0}, "INVALID_CAPACITY"),
        (
            {"start": sh(2026, 3, 1, 9).isoformat(), "end": sh(2026, 3, 1, 10).isoformat()},
            "IN_THE_PAST",
        ),
        ({"start": "2026-03-07T09:00:00", "end": "2026-03-07T10:00:00"}, "INVALID_INPUT"),
    ):
        base = {
            "activityId": aid,
            "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=2)).isoformat(),
            "capacity": 3,
        }
        got = await gql.mutate(ADD_SHIFT, {**base, **extra}, token=world.staff.token)
        assert codes(got) == [expected], (extra, got)
    other = await make_account("resident")
    got = await gql.mutate(
        ADD_SHIFT,
        {
            "activityId": aid,
            "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=2)).isoformat(),
            "capacity": 3,
        },
        token=other.token,
    )
    assert codes(got) == ["FORBIDDEN"]


async def test_V2_a_group_the_groups_module_refuses_is_ORGANISER_NOT_ACTIVE(gql, world):
    got = await gql.mutate(
        CREATE,
        {"communityId": world.cid, "title": "露天电影放映", "groupId": gid("Group", 987654)},
        token=world.staff.token,
    )
    assert codes(got) == ["ORGANISER_NOT_ACTIVE"]


async def test_V3_capacity_then_waitlist_then_promotion(gql, world):
    aid = await world.activity(gql)
    sid = await world.shift(gql, aid, capacity=1)
    a, b, c = [await world.volunteer(gql=gql) for _ in range(3)]
    first = await gql.mutate(SIGN_UP, {"shiftId": sid}, token=a.token)
    second = await gql.mutate(SIGN_UP, {"shiftId": sid}, token=b.token)
    third = await gql.mutate(SIGN_UP, {"shiftId": sid}, token=c.token)
    assert [x["signUp"]["status"] for x in (first, second, third)] == [
        "CONFIRMED",
        "WAITLISTED",
        "WAITLISTED",
    ]
    assert [second["signUp"]["waitlistPosition"], third["signUp"]["waitlistPosition"]] == [1, 2]
    again = await gql.mutate(SIGN_UP, {"shiftId": sid}, token=a.token)
    assert codes(again) == ["ALREADY_SIGNED_UP"]
    out = await gql.mutate(WITHDRAW, {"signUpId": first["signUp"]["id"]}, token=a.token)
    assert out["signUp"]["status"] == "WITHDRAWN"
    data = await gql.query(
        "query($id: ID!) { node(id: $id) { ... on VolunteerSignUp { status } } }",
        {"id": second["signUp"]["id"]},
        token=b.token,
    )
    assert data["node"]["status"] == "CONFIRMED"
    shift = await gql.query(
        "query($id: ID!) { volunteerShift(id: $id) { confirmed waitlisted fillLevel } }",
        {"id": sid},
        token=c.token,
    )
    assert shift["volunteerShift"] == {"confirmed": 1, "waitlisted": 1, "fillLevel": 1.0}


async def test_V3_skill_and_registration_are_checked(gql, world):
    aid = await world.activity(gql)
    sid = await world.shift(gql, aid, requiredSkills=["急救"])
    unregistered = await world.volunteer()
    assert codes(await gql.mutate(SIGN_UP, {"shiftId": sid}, token=unregistered.token)) == [
        "NOT_REGISTERED"
    ]
    no_skill = await world.volunteer(gql=gql)
    assert codes(await gql.mutate(SIGN_UP, {"shiftId": sid}, token=no_skill.token)) == [
        "SKILL_REQUIRED"
    ]
    medic = await world.volunteer(gql=gql, skills=["急救"])
    assert (await gql.mutate(SIGN_UP, {"shiftId": sid}, token=medic.token))["errors"] == []


async def test_V4_overlap_refused_back_to_back_allowed(gql, world):
    aid = await world.activity(gql)
    morning = await world.shift(gql, aid, start=sh(2026, 3, 7, 9), hours=3)
    overlapping = await world.shift(gql, aid, start=sh(2026, 3, 7, 11), hours=2)
    after = await world.shift(gql, aid, start=sh(2026, 3, 7, 12), hours=2)
    me = await world.volunteer(gql=gql)
    assert (await gql.mutate(SIGN_UP, {"shiftId": morning}, token=me.token))["errors"] == []
    assert codes(await gql.mutate(SIGN_UP, {"shiftId": overlapping}, token=me.token)) == ["OVERLAP"]
    assert (await gql.mutate(SIGN_UP, {"shiftId": after}, token=me.token))["errors"] == []


async def test_V5_minor_pending_until_a_guardian_consents(gql, world):
    aid = await world.activity(gql)
    sid = await world.shift(gql, aid, capacity=1)
    teen = await world.volunteer(birth_date=dt.date(2010, 1, 1), gql=gql)
    parent = await make_account("resident", world.community)
    got = await gql.mutate(SIGN_UP, {"shiftId": sid}, token=teen.token)
    assert got["signUp"]["status"] == "PENDING_CONSENT"
    adult = await world.volunteer(gql=gql)
    assert (await gql.mutate(SIGN_UP, {"shiftId": sid}, token=adult.token))["signUp"][
        "status"
    ] == "CONFIRMED"
    su = got["signUp"]["id"]
    # nobody but a verified guardian consents: not the minor, not staff, not a pending grant
    assert codes(await gql.mutate(CONSENT, {"signUpId": su}, token=teen.token)) == ["FORBIDDEN"]
    assert codes(await gql.mutate(CONSENT, {"signUpId": su}, token=world.staff.token)) == [
        "FORBIDDEN"
    ]
    await make_proxy(parent, teen.person, relation="parent", status="pending")
    assert codes(await gql.mutate(CONSENT, {"signUpId": su}, token=parent.token)) == [
        "PROXY_NOT_VERIFIED"
    ]
    guardian = await make_account("resident", world.community)
    await make_proxy(guardian, teen.person, relation="parent")
    done = await gql.mutate(CONSENT, {"signUpId": su}, token=guardian.token)
    assert done["signUp"]["status"] == "WAITLISTED"  # the seat went to the adult meanwhile


async def test_V5_under_14_needs_accompaniment_and_adults_only(gql, world):
    aid = await world.activity(gql)
    sid = await world.shift(gql, aid)
    adults = await world.shift(gql, aid, start=sh(2026, 3, 8, 9), adultsOnly=True)
    child = await world.volunteer(birth_date=dt.date(2015, 1, 1), gql=gql)
    assert codes(await gql.mutate(SIGN_UP, {"shiftId": adults}, token=child.token)) == [
        "ADULTS_ONLY"
    ]
    su = (await gql.mutate(SIGN_UP, {"shiftId": sid}, token=child.token))["signUp"]["id"]
    guardian = await make_account("resident", world.community)
    await make_proxy(guardian, child.person, relation="parent")
    assert codes(await gql.mutate(CONSENT, {"signUpId": su}, token=guardian.token)) == [
        "ACCOMPANIMENT_REQUIRED"
    ]
    done = await gql.mutate(CONSENT, {"signUpId": su, "accompanied": True}, token=guardian.token)
    assert done["signUp"] == {"id": su, "status": "CONFIRMED", "accompanied": True}


async def _served(gql, world, clock, minutes=180):
    """A volunteer confirmed on a shift that is over, with recorded (pending) hours."""
    aid = await world.activity(gql, "露天电影放映")
    start = sh(2026, 3, 3, 18)
    sid = await world.shift(gql, aid, start=start)
    me = await world.volunteer(gql=gql)
    await gql.mutate(SIGN_UP, {"shiftId": sid}, token=me.token)
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
    assert got["errors"] == [], got
    return me, sid, got["record"]["id"]


async def test_V6_V7_approve_then_correct_with_new_records(gql, world, clock):
    me, _, rid = await _served(gql, world, clock)
    hours = (await gql.query(MY_HOURS, token=me.token))["myVolunteerHours"]
    assert hours["approvedHours"] == 0 and hours["records"][0]["status"] == "PENDING"
    assert (await gql.mutate(APPROVE, {"recordId": rid}, token=me.token))["errors"][0][
        "code"
    ] == "FORBIDDEN"
    assert (await gql.mutate(APPROVE, {"recordId": rid}, token=world.staff.token))["record"][
        "status"
    ] == "APPROVED"
    fix = await gql.mutate(
        CORRECT, {"recordId": rid, "minutes": 120, "reason": "提前离开"}, token=world.staff.token
    )
    assert fix["record"]["kind"] == "AMENDMENT" and fix["record"]["minutes"] == -60
    assert fix["record"]["correctsId"] == rid
    hours = (await gql.query(MY_HOURS, token=me.token))["myVolunteerHours"]
    assert hours["approvedHours"] == 2.0 and hours["stars"] == 0 and hours["nextStarAtHours"] == 100
    # a correction of a correction is refused: corrections point at the attendance
    again = await gql.mutate(
        CORRECT,
        {"recordId": fix["record"]["id"], "minutes": 0, "reason": "x"},
        token=world.staff.token,
    )
    assert codes(again) == ["NOT_APPROVED"]


async def test_V8_certificate_issue_and_verify_without_login(gql, world, clock):
    me, _, rid = await _served(gql, world, clock)
    await gql.mutate(APPROVE, {"recordId": rid}, token=world.staff.token)
    future = await gql.mutate(ISSUE, {"from": "2026-03-01", "to": "2026-03-31"}, token=me.token)
    assert codes(future) == ["PERIOD_IN_FUTURE"]
    got = await gql.mutate(ISSUE, {"from": "2026-03-01", "to": "2026-03-04"}, token=me.token)
    cert = got["certificate"]
    assert cert["hours"] == 3.0 and cert["lines"] == [
        {"activityTitle": "露天电影放映", "hours": 3.0}
    ]
    seen = await gql.query(VERIFY, {"n": cert["number"]})
    assert seen["verifyVolunteerCertificate"]["found"] is True
    assert seen["verifyVolunteerCertificate"]["maskedName"].endswith("*")
    assert seen["verifyVolunteerCertificate"]["issuer"] == "番禺路社区"
    for unknown in ("LV-2026-0000000000", "nonsense", "' OR 1=1 --", "x" * 500):
        assert (await gql.query(VERIFY, {"n": unknown}))["verifyVolunteerCertificate"] == {
            "found": False,
            "number": None,
            "maskedName": None,
            "issuer": None,
            "periodFrom": None,
            "periodTo": None,
            "hours": None,
            "revoked": None,
        }


async def test_V10_cancel_shift_cancels_every_sign_up(gql, world):
    aid = await world.activity(gql)
    sid = await world.shift(gql, aid, capacity=1)
    a, b = await world.volunteer(gql=gql), await world.volunteer(gql=gql)
    await gql.mutate(SIGN_UP, {"shiftId": sid}, token=a.token)
    await gql.mutate(SIGN_UP, {"shiftId": sid}, token=b.token)
    assert codes(await gql.mutate(CANCEL_SHIFT, {"shiftId": sid}, token=a.token)) == ["FORBIDDEN"]
    assert (await gql.mutate(CANCEL_SHIFT, {"shiftId": sid}, token=world.staff.token))["shift"][
        "cancelled"
    ]
    mine = await gql.query("{ myVolunteerShifts { status } }", token=b.token)
    assert mine["myVolunteerShifts"] == [{"status": "CANCELLED"}]
    assert codes(await gql.mutate(SIGN_UP, {"shiftId": sid}, token=b.token)) == ["SHIFT_CANCELLED"]
