"""Notices (居务公开): staff post announcements to their community; residents read them live.

Each hookimpl below adds one thing; the other rooms are models.py, rules.py, service.py,
api.py and migrations/ (written by ``linli makemigrations notices``).
"""

from linli import hookimpl
from linli.core.identity.access import Permission
from linli.core.plugins import Manifest
from linli_notices import api


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(
        name="notices",
        version="0.1.0",
        core_versions=">=0.1,<0.2",
        description="居务公开: community notices",
    )


@hookimpl
def register_models() -> list[str]:
    return ["linli_notices.models"]


@hookimpl
def register_permissions() -> list[Permission]:
    return [
        Permission("notices.post", ("staff",), "Post a notice to the community"),
        Permission("notices.read", ("resident", "volunteer", "staff"), "Read its notices"),
    ]


@hookimpl
def register_queries() -> list[type]:
    return [api.NoticeQuery]


@hookimpl
def register_mutations() -> list[type]:
    return [api.NoticeMutation]


@hookimpl
def register_subscriptions() -> list[type]:
    return [api.NoticeSubscription]
