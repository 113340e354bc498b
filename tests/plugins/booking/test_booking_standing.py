"""One standing row per person (B9's ban and B10's contract live there), held by the database:
requests that each create it at once make one row, never two, and never a 500."""

from __future__ import annotations

import asyncio

import pytest
from booking_helpers import gid
from tortoise.exceptions import IntegrityError


async def test_B9_the_database_holds_one_standing_row_per_person(world):
    from linli.plugins.booking.models import PersonStanding

    resident = await world.resident()
    await PersonStanding.create(person_id=resident.person.pk)
    with pytest.raises(IntegrityError):
        await PersonStanding.create(person_id=resident.person.pk)


CONTRACT = """mutation C($input: SetFamilyDoctorContractInput!) {
  setFamilyDoctorContract(input: $input) { contract errors { code } } }"""


async def test_B10_contracts_recorded_at_once_for_a_new_person_make_one_standing_row(gql, world):
    """Each staff request finds no standing row and creates one: the unique index makes the
    losers read the winner's row (kit.get_or_create_row) instead of adding a second."""
    from linli.plugins.booking.models import PersonStanding

    resident = await world.resident()
    variables = {"input": {"personId": gid("Person", resident.person.pk), "contract": True}}
    results = await asyncio.gather(
        *(gql.execute(CONTRACT, variables, token=world.staff.token) for _ in range(8))
    )
    assert [r.status for r in results] == [200] * 8
    assert [r.errors for r in results] == [None] * 8
    assert [r.data["setFamilyDoctorContract"]["errors"] for r in results] == [[]] * 8
    rows = await PersonStanding.filter(person_id=resident.person.pk)
    assert len(rows) == 1 and rows[0].family_doctor_contract is True
