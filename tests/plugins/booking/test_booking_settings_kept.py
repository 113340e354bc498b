"""A community's settings, kept per instance (core/kit/settings.py): read from the database
once, and a change made through updateBookingSettings is what the very next request sees."""

from __future__ import annotations

from booking_helpers import gid

READ = """query R($c: ID!) { bookingSettings(communityId: $c) { minDaysAhead maxDaysAhead } }"""
UPDATE = """mutation U($input: UpdateBookingSettingsInput!) { updateBookingSettings(input: $input) {
  errors { code } } }"""


def kept():
    from linli.core.kit import settings

    return settings._kept


async def test_settings_are_read_once_then_kept(gql, world):
    community = gid("Community", world.community.pk)
    reads = kept().reads
    for _ in range(3):
        data = await gql.query(READ, {"c": community}, token=world.staff.token)
        assert data["bookingSettings"]["minDaysAhead"] == 1
    assert kept().reads == reads + 1


async def test_a_change_is_seen_by_the_next_request(gql, world):
    community = gid("Community", world.community.pk)
    await gql.query(READ, {"c": community}, token=world.staff.token)
    changed = await gql.mutate(
        UPDATE, {"communityId": community, "minDaysAhead": 3}, token=world.staff.token
    )
    assert changed["errors"] == []
    data = await gql.query(READ, {"c": community}, token=world.staff.token)
    assert data["bookingSettings"]["minDaysAhead"] == 3


async def test_a_row_saved_through_the_orm_is_seen_too(gql, world):
    from linli.core.kit.models import CommunitySetting

    community = gid("Community", world.community.pk)
    await gql.mutate(UPDATE, {"communityId": community, "minDaysAhead": 2}, token=world.staff.token)
    await gql.query(READ, {"c": community}, token=world.staff.token)
    row = await CommunitySetting.get(community_id=world.community.pk, plugin="booking")
    row.values = {**row.values, "min_days_ahead": 4}
    await row.save()
    data = await gql.query(READ, {"c": community}, token=world.staff.token)
    assert data["bookingSettings"]["minDaysAhead"] == 4
