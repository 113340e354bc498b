"""Volunteer service (志愿服务), DOMAIN.md V1–V10: the hook implementations.

The rooms every plugin has: models.py (tables and the settings declaration), rules/ (pure
rules: V1–V5 in its __init__, hours.py V6–V7, certificate.py V8, ledger.py V9, ical.py),
service/ (use cases, timed work), api/ (GraphQL), routes.py (the iCalendar and certificate
downloads), cli.py (``linli volunteers tick``), demo.py (``linli seed-demo``), migrations/,
messages.json (loaded by core).
"""

from __future__ import annotations

from typing import Any

from linli import hookimpl
from linli.core.identity.access import Permission
from linli.core.plugins import Manifest
from linli.core.tasks import PeriodicTask

from .models import Settings

__version__ = "0.1.0"

TICK_SECONDS = 60.0


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(
        name="volunteers",
        version=__version__,
        core_versions=">=0.1,<0.2",
        settings=Settings,
        description="Volunteer service: shifts, waitlists, hours, certificates, time bank.",
    )


@hookimpl
def register_models() -> list[str]:
    return ["linli.plugins.volunteers.models"]


@hookimpl
def register_queries() -> list[type]:
    from .api.queries import VolunteerQuery
    from .api.types import VolunteersSettingsQuery

    return [VolunteerQuery, VolunteersSettingsQuery]


@hookimpl
def register_mutations() -> list[Any]:
    from .api import hours_mutations, mutations
    from .api.types import VolunteersSettingsMutation

    return [*mutations.MUTATIONS, *hours_mutations.MUTATIONS, VolunteersSettingsMutation]


@hookimpl
def register_subscriptions() -> list[type]:
    from .api.subscriptions import VolunteerSubscription

    return [VolunteerSubscription]


@hookimpl
def register_types() -> list[type]:
    from .api import types

    return [
        types.VolunteerProfile,
        types.VolunteerActivity,
        types.VolunteerShift,
        types.VolunteerSignUp,
        types.VolunteerHoursRecord,
        types.VolunteerCertificate,
    ]


@hookimpl
def register_permissions() -> list[Permission]:
    return [
        Permission(
            "volunteers.view",
            ("resident", "volunteer", "staff"),
            "See the community's volunteer activities and shifts.",
        ),
        Permission(
            "volunteers.organise",
            ("staff",),
            "Organise activities and shifts, keep attendance, approve hours, issue certificates.",
        ),
        Permission(
            "volunteers.manage",
            ("staff",),
            "Change the community's volunteer settings (stars, time bank).",
        ),
    ]


@hookimpl
def register_events() -> list[Any]:
    from .service.common import EVENTS

    return list(EVENTS)


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

    return [PeriodicTask("volunteers-tick", TICK_SECONDS, tick)]


@hookimpl
def register_demo_data() -> list[Any]:
    from .demo import seed_volunteers

    return [seed_volunteers]
