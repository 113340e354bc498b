"""Timed work (G3 deadline warnings, G6 renewal window and lapse), the organising question
other plugins ask through ``may_organise_from_group``, events, exports and the CLI."""

from __future__ import annotations

import asyncio
import datetime as dt
import io

import openpyxl
from groups_helpers import (
    CHANGE,
    DIRECTORY,
    GROUP,
    QUEUE,
    add_members,
    approved_group,
    file_group,
    gid,
    submit,
)

REVIEW_FEED = """subscription($c: ID!) { groupReviewUpdates(communityId: $c) {
  kind filing { id status } } }"""
MY_FEED = "subscription { myGroupUpdates { kind group { id status badge } } }"


def _pk(global_id: str) -> int:
    from strawberry.relay import from_base64

    return int(from_base64(global_id)[1])


async def tick():
    from linli.plugins.groups.service.tick import tick as run

    return await run()


async def may_organise(
    linli_app, group_id: int, community_id: int, day=None, person_id=None
) -> bool:
    """What another plugin (volunteers) does: ask the hook; nobody answering means no."""
    answer = linli_app.state.plugins.pm.hook.may_organise_from_group(
        group_id=group_id, community_id=community_id, day=day, person_id=person_id
    )
    return bool(await answer) if answer is not None else False


async def test_G3_overdue_warning_once_even_with_two_ticks_at_once(gql, world, clock):
    group = await file_group(gql, world)
    filing = await submit(gql, world, group["id"])
    assert (await tick()).overdue == 0
    await world.advance(clock, days=7)  # 2026-03-09: the deadline itself, still on time
    assert (await tick()).overdue == 0
    await world.advance(clock, days=1)  # (a socket closes when its token expires: open it now)
    async with gql.websocket(world.staff.token) as ws:
        op = await ws.subscribe(REVIEW_FEED, {"c": world.home_id})
        await asyncio.sleep(0.05)
        results = await asyncio.gather(tick(), tick())
        assert sum(r.overdue for r in results) == 1
        assert (await tick()).overdue == 0
        message = await ws.next(op)
        assert message["payload"]["data"]["groupReviewUpdates"] == {
            "kind": "OVERDUE",
            "filing": {"id": filing["id"], "status": "SUBMITTED"},
        }
    queue = await gql.query(QUEUE, {"c": world.home_id}, token=world.staff.token)
    assert queue["groupReviewQueue"][0]["overdue"] is True


async def test_G6_renewal_window_opens_and_lapse_the_day_after_expiry(gql, world, clock):
    group = await approved_group(gql, world)  # valid until 2027-03-02
    member = world.residents[0]
    assert await may_organise(gql.app, _pk(group["id"]), world.home.pk)
    await world.advance(clock, days=333)  # 2027-01-29, window opens 2027-01-31
    assert (await tick()).renewal_opened == 0
    await world.advance(clock, days=2)
    async with gql.websocket(member.token) as ws:
        op = await ws.subscribe(MY_FEED)
        await asyncio.sleep(0.05)
        results = await asyncio.gather(tick(), tick())
        assert sum(r.renewal_opened for r in results) == 1
        message = await ws.next(op)
        assert message["payload"]["data"]["myGroupUpdates"]["kind"] == "RENEWAL_OPEN"
    # 2027-03-02 23:30 in Shanghai (15:30 UTC): still the last valid local day
    clock.set(dt.datetime(2027, 3, 2, 15, 30, tzinfo=dt.UTC))
    assert (await tick()).lapsed == 0
    assert await may_organise(gql.app, _pk(group["id"]), world.home.pk)
    clock.set(dt.datetime(2027, 3, 2, 16, 30, tzinfo=dt.UTC))  # 00:30 on 3 March in Shanghai
    results = await asyncio.gather(tick(), tick())
    assert sum(r.lapsed for r in results) == 1
    assert not await may_organise(gql.app, _pk(group["id"]), world.home.pk)
    await world.advance(clock, minutes=1)
    read = await gql.query(GROUP, {"id": group["id"]}, token=world.leader.token)
    assert read["group"]["status"] == "LAPSED" and read["group"]["badge"] is False


async def test_G6_a_renewal_filed_in_time_holds_the_lapse(gql, world, clock):
    from linli.plugins.groups import service
    from linli.plugins.groups.models import Group

    group = await approved_group(gql, world)
    await world.advance(clock, days=360)
    leader = await _actor(world.leader)
    await service.renew(leader, _pk(group["id"]))
    await world.advance(clock, days=10)  # past expiry, renewal undecided
    assert (await tick()).lapsed == 0
    assert (await Group.get(pk=_pk(group["id"]))).status == "APPROVED"


async def test_G6_may_organise_answers_from_the_database(gql, world):
    group = await approved_group(gql, world)
    pk = _pk(group["id"])
    assert await may_organise(gql.app, pk, world.home.pk)
    assert not await may_organise(gql.app, pk, world.sibling.pk)  # not active there
    assert not await may_organise(gql.app, pk, world.home.pk, dt.date(2027, 3, 3))
    assert not await may_organise(gql.app, 999_999, world.home.pk)
    street = await approved_group(gql, world, name="街道腰鼓队", level="STREET")
    assert await may_organise(gql.app, _pk(street["id"]), world.sibling.pk)
    await gql.mutate(CHANGE, {"groupId": group["id"], "venue": "新址"}, token=world.leader.token)
    assert not await may_organise(gql.app, pk, world.home.pk)  # G5: back to review


async def test_G6_may_organise_for_a_person_means_its_leader(gql, world):
    group = await approved_group(gql, world)
    pk = _pk(group["id"])
    member = world.residents[0]  # one of the members approved_group added
    assert await may_organise(gql.app, pk, world.home.pk, person_id=world.leader.person.pk)
    assert not await may_organise(gql.app, pk, world.home.pk, person_id=member.person.pk)
    # the leader of a group past its term organises nothing (G6)
    late = dt.date(2027, 3, 3)
    assert not await may_organise(gql.app, pk, world.home.pk, late, world.leader.person.pk)


async def test_G6_with_groups_disabled_nobody_organises(linli_settings, clock):
    from linli.core.app import create_app

    settings = linli_settings.model_copy(update={"disabled_plugins": ["groups"]})
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        assert (
            app.state.plugins.pm.hook.may_organise_from_group(
                group_id=1, community_id=1, day=None, person_id=None
            )
            is None
        )
        assert not await may_organise(app, 1, 1)


async def test_events_published_after_commit(gql, world):
    from linli.core.events import subscribe

    group = await file_group(gql, world)
    await add_members(gql, world, group["id"], 4)
    async with subscribe("groups.approved", "groups.changed", "groups.dissolved") as events:
        filing = await submit(gql, world, group["id"])
        await gql.mutate(
            """mutation($input: ReviewGroupFilingInput!) { reviewGroupFiling(input: $input) {
            errors { code } } }""",
            {"filingId": filing["id"], "decision": "APPROVE"},
            token=world.staff.token,
        )
        await gql.mutate(
            CHANGE, {"groupId": group["id"], "schedule": "周日上午"}, token=world.leader.token
        )
        await gql.mutate(
            """mutation($input: DissolveGroupInput!) { dissolveGroup(input: $input) {
            errors { code } } }""",
            {"groupId": group["id"]},
            token=world.leader.token,
        )
        seen = [await asyncio.wait_for(anext(events), 2) for _ in range(3)]
    assert [e.topic for e in seen] == ["groups.approved", "groups.changed", "groups.dissolved"]
    assert all(
        e.payload == {"group_id": _pk(group["id"]), "community_id": world.home.pk} for e in seen
    )


async def test_exports_open_in_openpyxl_with_chinese_headings(gql, world):
    group = await approved_group(gql, world, members=2, name='=HYPERLINK("x")舞队')
    pk = _pk(group["id"])
    auth = {"authorization": f"Bearer {world.leader.token}"}
    xlsx = await gql.get(f"/groups/{pk}/roster.xlsx", headers=auth)
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith(
        "application/vnd.openxmlformats"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("序号", "姓名", "角色", "联系电话", "入队日期", "离队日期")
    assert [r[2] for r in rows[1:]] == ["负责人", "成员", "成员"]
    assert rows[1][3] == world.leader.phone
    csv = await gql.get(f"/groups/{pk}/roster.csv?asOf=2026-03-01", headers=auth)
    assert csv.content.decode("utf-8-sig").splitlines() == [
        "序号,姓名,角色,联系电话,入队日期,离队日期"
    ]
    form = await gql.get(f"/groups/{pk}/filing.xlsx", headers=auth)
    cells = dict(
        openpyxl.load_workbook(io.BytesIO(form.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    )
    assert cells["团队名称"] == '\'=HYPERLINK("x")舞队'  # never a formula
    assert cells["状态"] == "已备案" and cells["团队类别"] == "文体类" and cells["团队人数"] == 3
    street = {"authorization": f"Bearer {world.street_staff.token}"}
    summary = await gql.get(
        f"/groups/summary.xlsx?communityId={gid('Community', world.street.pk)}", headers=street
    )
    rows = list(
        openpyxl.load_workbook(io.BytesIO(summary.content)).active.iter_rows(values_only=True)
    )
    assert rows[0][:3] == ("序号", "团队名称", "所属社区")
    assert [(r[2], r[7]) for r in rows[1:]] == [("番禺路社区", "已备案")]
    # who may not: 404 as if it did not exist, 401 without a token
    for token in (world.sibling_staff.token, world.residents[0].token):
        refused = await gql.get(
            f"/groups/{pk}/roster.xlsx", headers={"authorization": f"Bearer {token}"}
        )
        assert refused.status_code == 404
    assert (await gql.get(f"/groups/{pk}/roster.csv")).status_code == 401
    staff_summary = await gql.get(
        f"/groups/summary.xlsx?communityId={gid('Community', world.street.pk)}",
        headers={"authorization": f"Bearer {world.staff.token}"},
    )
    assert staff_summary.status_code == 404  # community staff: not the street's summary
    bad = await gql.get(f"/groups/{pk}/roster.csv?asOf=yesterday", headers=auth)
    assert bad.status_code == 400 and "yesterday" not in bad.text
    assert (await gql.get("/groups/" + "9" * 30 + "/roster.csv", headers=auth)).status_code == 404
    assert (await gql.get(f"/groups/{pk}/roster.pdf", headers=auth)).status_code == 404
    assert (await gql.get(f"/groups/{pk}/filing.csv?number=²", headers=auth)).status_code == 400
    overflow = gid("Community", "9" * 30)
    huge = await gql.get(f"/groups/summary.xlsx?communityId={overflow}", headers=street)
    assert huge.status_code == 400


async def test_directory_uses_the_communitys_day(gql, world, clock):
    await approved_group(gql, world, members=0)  # valid until 2027-03-02
    resident = await world.resident()
    clock.set(dt.datetime(2027, 3, 2, 16, 30, tzinfo=dt.UTC))  # 3 March in Shanghai
    from linli.core.identity.sessions import start_session

    token = (await start_session(resident.account)).access_token
    page = await gql.query(DIRECTORY, {"c": world.home_id}, token=token)
    assert page["groups"]["edges"] == []  # expired locally, even before the tick lapses it


async def _actor(made):
    from linli.core.identity.sessions import load_actor

    return await load_actor(made.account.pk)


async def test_seed_demo_groups_in_their_states_and_idempotent(linli_app):
    from rich.console import Console

    from linli.core.identity.demo import seed_identity
    from linli.core.identity.models import Community
    from linli.plugins.groups.demo import seed_groups
    from linli.plugins.groups.models import Filing, Group, RosterEntry

    console = Console(file=io.StringIO())
    await seed_identity(console)
    await seed_groups(console)
    community = await Community.get(code="XHL-FYL")
    groups = {g.name: g for g in await Group.filter(community_id=community.pk)}
    names = {"广场舞队", "老年合唱团", "书画社", "志愿服务队", "环保宣传队", "太极拳队"}
    assert set(groups) == names
    assert groups["广场舞队"].status == "APPROVED"
    assert groups["太极拳队"].status == "LAPSED"
    assert groups["书画社"].status == "SUBMITTED"  # a venue change under review
    assert groups["志愿服务队"].status == "APPROVED"  # it organises the volunteers' film night
    assert groups["环保宣传队"].status == "SUBMITTED"
    waiting = await Filing.filter(status="SUBMITTED").order_by("deadline")
    assert len(waiting) == 2 and waiting[0].overdue_announced_at is not None  # 环保宣传队
    assert waiting[1].overdue_announced_at is None
    choir = groups["老年合唱团"]
    assert choir.renewal_announced_for == choir.approved_until
    assert await RosterEntry.filter(group_id=groups["老年合唱团"].pk, until=None).count() == 11
    counts = (
        await Group.all().count(),
        await RosterEntry.all().count(),
        await Filing.all().count(),
    )
    await seed_identity(console)
    await seed_groups(console)
    assert (
        await Group.all().count(),
        await RosterEntry.all().count(),
        await Filing.all().count(),
    ) == counts


async def test_G3_linli_groups_tick_from_the_command_line(gql, world, linli_settings, tmp_path):
    """``linli groups tick`` beside the data (the wall clock: long past the deadline), twice:
    the warning is given once."""
    import os
    import subprocess
    import sys

    group = await file_group(gql, world)
    await submit(gql, world, group["id"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINLI_")}
    env.update(LINLI_DATABASE_URL=linli_settings.database_url, COLUMNS="1000", NO_COLOR="1")
    if linli_settings.redis_url:
        env.update(LINLI_REDIS_URL=linli_settings.redis_url)

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "linli.core.cli", "groups", "tick"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    first = await asyncio.to_thread(run)
    assert "overdue warnings: 1" in first
    assert "overdue warnings: 0" in await asyncio.to_thread(run)
