"""seed-demo: the film night is the groups demo's 志愿服务队's activity (found through the
``group_named`` hook, allowed through ``may_organise_from_group``); staff run the others;
王小明 has approved hours and a certificate; the time bank is on; a second run adds nothing."""

from __future__ import annotations

import io


async def seed(console) -> None:
    """What ``linli seed-demo`` runs, in its order (core, then plugins in load order)."""
    from linli.core import runtime

    for _, steps in runtime.current().plugins.per_plugin("register_demo_data"):
        for step in steps:
            result = step(console)
            if result is not None:
                await result


async def test_seed_demo_film_night_is_the_volunteer_teams(linli_app):
    from rich.console import Console

    from linli.core import kit
    from linli.core.identity.models import Account, Community
    from linli.plugins.groups.models import Group
    from linli.plugins.volunteers.models import Activity, Certificate, HoursRecord, Settings, Shift

    console = Console(file=io.StringIO())
    await seed(console)
    community = await Community.get(code="XHL-FYL")
    team = await Group.get(community_id=community.pk, name="志愿服务队")
    assert team.status == "APPROVED"
    film = await Activity.get(code="FYL-V-FILM")
    assert film.group_id == team.pk and film.status == "PUBLISHED"
    shifts = await Shift.filter(activity_id=film.pk).order_by("start")
    assert [s.title for s in shifts] == ["布场", "引导员", "清场"]
    for code in ("FYL-V-DISINFECT", "FYL-V-VISIT"):
        assert (await Activity.get(code=code)).group_id is None  # staff's own
    me = await Account.get(phone="+8613900000012")  # 王小明
    approved = await HoursRecord.filter(person_id=me.person_id, status="APPROVED")
    assert sum(r.minutes for r in approved) == 180
    assert await Certificate.filter(person_id=me.person_id).count() == 1
    assert (await kit.settings_of(Settings, community.pk)).time_bank
    counts = (await Activity.all().count(), await Shift.all().count(), await Group.all().count())
    await seed(console)
    after = (await Activity.all().count(), await Shift.all().count(), await Group.all().count())
    assert after == counts
