"""Committee elections (居委会选举), DOMAIN.md E1–E17: the hook implementations.

The rooms every plugin has: models/ (part I ``election`` and ``roll``, part II ``ballots``),
rules/ (pure: the roll, windows and phases, posts, nominations, slate, proxies, ballots, the
count, rounds, the bundle), service/ (use cases), api/ (GraphQL), migrations/, messages.json.
``verify.py`` is the standalone verifier of a published bundle: one file of the standard
library on purpose (issue 13), runnable without linli.
"""

from __future__ import annotations

from typing import Any

from linli import hookimpl
from linli.core.identity.access import Permission
from linli.core.plugins import Manifest
from linli.core.tasks import PeriodicTask

from .models import Settings

__version__ = "0.1.0"

TICK_SECONDS = 60.0  # phases move by local days: a minute is plenty


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(
        name="elections",
        version=__version__,
        core_versions=">=0.1,<0.2",
        settings=Settings,
        description="Residents' committee elections: roll, nominations, slate, ballots, count.",
    )


@hookimpl
def register_models() -> list[str]:
    return ["linli.plugins.elections.models"]


@hookimpl
def register_queries() -> list[Any]:
    from . import api

    return list(api.QUERIES)


@hookimpl
def register_mutations() -> list[Any]:
    from . import api

    return list(api.MUTATIONS)


@hookimpl
def register_subscriptions() -> list[Any]:
    from . import api

    return list(api.SUBSCRIPTIONS)


@hookimpl
def register_types() -> list[Any]:
    from . import api

    return list(api.TYPES)


@hookimpl
def register_permissions() -> list[Permission]:
    return [
        Permission(
            "elections.view",
            ("resident", "volunteer", "staff"),
            "See the community's elections: posts, roll, nominations, slate, proxies.",
        ),
        Permission(
            "elections.manage",
            ("staff",),
            "Run an election: create it, publish the roll and slate, decide objections, "
            "record written proxies (the election committee does these for its election too).",
        ),
    ]


@hookimpl
def register_events() -> list[Any]:
    from .service.events import EVENTS
    from .service.turnout import BALLOT_EVENTS

    return [*EVENTS, *BALLOT_EVENTS]


@hookimpl
def register_periodic_tasks() -> list[PeriodicTask]:
    from .service import tick
    from .service.count import RESEAL_SECONDS, reseal_open_rounds

    return [PeriodicTask("elections-tick", TICK_SECONDS, tick),
            PeriodicTask("elections-reseal", RESEAL_SECONDS, reseal_open_rounds)]


@hookimpl
def register_demo_data() -> list[Any]:
    from .demo import seed_elections
    from .demo.counted import seed_counted_election

    # Part II's counted twin comes after part I's demo elections.
    return [seed_elections, seed_counted_election]


@hookimpl
def register_routes() -> list[Any]:
    from .routes import routes

    return list(routes)


@hookimpl
def register_commands() -> list[Any]:
    from .cli import app

    return [app]
