"""Group registry (群众团队核准备案), DOMAIN.md G1–G8: the hook implementations.

The rooms: models.py, rules/ (pure), service/ (use cases), api/ (GraphQL), routes.py
(XLSX/CSV exports), cli.py (``linli groups tick``), demo.py (``linli seed-demo``),
messages.json, migrations/.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from linli import Manifest, Permission, hookimpl
from linli.core.tasks import PeriodicTask

from .models import Settings

__version__ = "0.1.0"

TICK_SECONDS = 300.0


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(
        name="groups",
        version=__version__,
        core_versions=">=0.1,<0.2",
        settings=Settings,
        description="Residents' activity groups: filing, review, rosters, renewal.",
    )


@hookimpl
def register_models() -> list[str]:
    return ["linli.plugins.groups.models"]


@hookimpl
def register_permissions() -> list[Permission]:
    return [
        Permission(
            "groups.browse",
            ("resident", "volunteer", "staff"),
            "See the directory of approved groups and ask to join.",
        ),
        Permission("groups.file", ("resident", "volunteer", "staff"), "File a residents' group."),
        Permission(
            "groups.review",
            ("staff",),
            "Review group filings, see rosters and exports (the reviewing community's staff).",
        ),
        Permission(
            "groups.manage",
            ("staff",),
            "Change the community's groups settings (deadlines, term, minimum members).",
        ),
    ]


@hookimpl
def register_events() -> list[Any]:
    from .service.common import EVENTS

    return list(EVENTS)


@hookimpl
def register_queries() -> list[type]:
    from .api.queries import GroupsQuery
    from .api.types import GroupsSettingsQuery

    return [GroupsQuery, GroupsSettingsQuery]


@hookimpl
def register_mutations() -> list[type]:
    from .api.mutations import GroupsMutation
    from .api.types import GroupsSettingsMutation

    return [GroupsMutation, GroupsSettingsMutation]


@hookimpl
def register_subscriptions() -> list[type]:
    from .api.subscriptions import GroupsSubscription

    return [GroupsSubscription]


@hookimpl
def register_types() -> list[type]:
    from .api.types import NODE_TYPES

    return list(NODE_TYPES)


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
    from .service.tick import tick

    return [PeriodicTask("groups-tick", TICK_SECONDS, tick)]


@hookimpl
def register_demo_data() -> list[Any]:
    from .demo import seed_groups

    return [seed_groups]


@hookimpl
def may_organise_from_group(
    group_id: int, community_id: int, day: date | None, person_id: int | None
) -> Any:
    from .service.changes import may_organise

    return may_organise(group_id, community_id, day, person_id)


@hookimpl
def group_named(community_id: int, name: str) -> Any:
    from .service.changes import group_named as named

    return named(community_id, name)
