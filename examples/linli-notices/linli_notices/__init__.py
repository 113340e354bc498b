"""Notices (居务公开): staff post announcements to their community; residents read them live.

Each hookimpl below adds one thing; the other rooms are models.py, rules.py, service.py,
api.py, messages.json (loaded by core) and migrations/ (``linli makemigrations notices``).
"""

from linli import EventType, Manifest, Permission, hookimpl
from linli_notices import api, service


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(name="notices", version="0.1.0", core_versions=">=0.1,<0.2")


@hookimpl
def register_models() -> list[str]:
    return ["linli_notices.models"]


@hookimpl
def register_permissions() -> list[Permission]:
    post = Permission("notices.post", ("staff",), "Post a notice to the community")
    return [post, Permission("notices.read", ("resident", "volunteer", "staff"), "Read notices")]


@hookimpl
def register_queries() -> list[object]:
    return [api.notices]


@hookimpl
def register_mutations() -> list[object]:
    return [api.post_notice]


@hookimpl
def register_subscriptions() -> list[object]:
    return [api.notice_posted]


@hookimpl
def register_events() -> list[EventType]:
    return [service.POSTED]
