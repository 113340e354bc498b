"""Health-service booking (社区卫生服务预约), DOMAIN.md B1–B12: the hook implementations.

The rooms every plugin has: models.py (tables and the settings declaration), rules/ (pure
rules: B1–B7 and B10 in its __init__, schedule.py, waitlist.py, ical.py), service/ (use
cases, demo data), api/ (GraphQL, the iCalendar route, the ``linli booking`` command),
migrations/, messages.json (loaded by core). rules/, service/ and api/ are packages because
each passes ~400 lines. Its models (models.py) and events (the EventTypes of service/) are
implied by the rooms (docs/plugins.md, "Implied hooks"): no hookimpl repeats them.
"""

from __future__ import annotations

from typing import Any

from linli import hookimpl
from linli.core.identity.access import Permission
from linli.core.plugins import Manifest
from linli.core.tasks import PeriodicTask

from .models import Settings

__version__ = "0.1.0"

TICK_SECONDS = 30.0


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(
        name="booking",
        version=__version__,
        core_versions=">=0.1,<0.2",
        settings=Settings,
        description="Community health-service booking: slots, waitlist, no-shows, calendar.",
    )


@hookimpl
def register_queries() -> list[type]:
    from .api.queries import BookingQuery
    from .api.types import BookingSettingsQuery

    return [BookingQuery, BookingSettingsQuery]


@hookimpl
def register_mutations() -> list[type]:
    from .api.mutations import BookingMutation
    from .api.types import BookingSettingsMutation

    return [BookingMutation, BookingSettingsMutation]


@hookimpl
def register_subscriptions() -> list[type]:
    from .api.subscriptions import BookingSubscription

    return [BookingSubscription]


@hookimpl
def register_types() -> list[type]:
    from .api import types

    return [types.Site, types.ServiceType, types.Slot, types.Appointment, types.Schedule]


@hookimpl
def register_permissions() -> list[Permission]:
    return [
        Permission(
            "booking.view",
            ("resident", "volunteer", "staff"),
            "See the community's health-service sites, services and slots.",
        ),
        Permission(
            "booking.manage",
            ("staff",),
            "Manage sites, services, schedules, slots and booking settings.",
        ),
        Permission(
            "booking.attend",
            ("staff",),
            "Run the day: arrivals, check-in, fulfilled, no-shows, waitlists.",
        ),
    ]


@hookimpl
def register_routes() -> list[Any]:
    from .routes import routes

    return list(routes)


@hookimpl
def register_commands() -> list[Any]:
    from .cli import app

    return [app]


@hookimpl
def register_periodic_tasks() -> list[PeriodicTask]:
    from .service import tick

    return [PeriodicTask("booking-tick", TICK_SECONDS, tick)]


@hookimpl
def register_demo_data() -> list[Any]:
    from .demo import seed_booking

    return [seed_booking]
