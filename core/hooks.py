"""Core's own hook implementations: core is registered as the plugin named ``core``."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from linli import hookimpl
from linli.core.api import CoreQuery
from linli.core.identity import access

if TYPE_CHECKING:
    from starlette.requests import HTTPConnection

    from linli.core.actor import Actor


@hookimpl
def register_models() -> list[str]:
    return ["linli.core.models", "linli.core.identity.models", "linli.core.kit.models"]


@hookimpl
def register_queries() -> list[type]:
    from linli.core.identity.api import IdentityQuery

    return [CoreQuery, IdentityQuery]


@hookimpl
def register_mutations() -> list[type]:
    from linli.core.identity.mutations import IdentityMutation

    return [IdentityMutation]


@hookimpl
def register_subscriptions() -> list[type]:
    from linli.core.identity.api import IdentitySubscription

    return [IdentitySubscription]


@hookimpl
def register_types() -> list[type]:
    from linli.core.identity.nodes import NODE_TYPES

    return list(NODE_TYPES)


@hookimpl
def register_permissions() -> list[access.Permission]:
    P = access.Permission
    return [
        P("core.community.create", ("admin",), "Create street offices, communities and areas."),
        P("core.person.read", ("staff",), "See the personal fields of the community's people."),
        P("core.person.verify", ("staff",), "Verify a person's identity (ID card seen)."),
        P("core.proxy.verify", ("staff",), "Verify or end a proxy grant for a person."),
        P("core.act_for", ("staff",), "Act for anyone in the community (home service)."),
        P("core.member.add", ("staff",), "Add an account to the community."),
        P("core.role.set", ("staff",), "Give or take roles (staff and admin need an admin)."),
        P("core.audit.read", ("staff",), "Read the community's audit log."),
    ]


@hookimpl
def register_events() -> list[Any]:
    from linli.core.topics import CORE_EVENTS

    return list(CORE_EVENTS)


@hookimpl
def actor_from_request(request: HTTPConnection, token: str) -> Awaitable[Actor | None] | None:
    # Core is asked first (as for every hook): None, decided without I/O, when the token is
    # not one of core's valid access tokens, so a plugin's own tokens reach that plugin.
    from linli.core.identity import tokens
    from linli.core.identity.sessions import actor_from_token

    if not token or tokens.decode_access_token(token) is None:
        return None
    return actor_from_token(token)


@hookimpl
def startup(app: Any) -> None:
    from linli.core.identity import throttle

    settings = app.state.settings
    throttle.start(settings.redis_url, settings.database_url, settings.redis_prefix)


@hookimpl
def shutdown(app: Any) -> Any:
    from linli.core.identity import throttle

    return throttle.stop()


@hookimpl
def register_demo_data() -> list[Any]:
    from linli.core.identity.demo import seed_identity

    return [seed_identity]
