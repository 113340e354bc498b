"""Booking fixtures: ``world`` is a community with a health centre, two services and staff.

The clock is linli.testing's DEFAULT_NOW: Monday 2 March 2026, 09:00 in Shanghai.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from booking_helpers import World

from linli.testing import make_account, make_community


@pytest.fixture
async def world(linli_app: Any) -> World:
    from linli.core import runtime
    from linli.plugins.booking.models import ServiceType, Site

    now = runtime.current().clock.now()
    community = await make_community("番禺路社区")
    staff = await make_account("staff", community)
    site = await Site.create(
        community=community,
        name="社区卫生服务中心",
        kind="centre",
        address="番禺路 100 号",
        created_at=now,
    )
    service = await ServiceType.create(
        site=site,
        community_id=community.pk,
        name="预防接种",
        category="public_health",
        created_at=now,
    )
    elderly = await ServiceType.create(
        site=site,
        community_id=community.pk,
        name="老年人年度体检",
        category="public_health",
        min_age=65,
        created_at=now,
    )
    return World(community, staff, site, service, elderly)
