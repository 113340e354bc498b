"""Notices (居务公开): staff post announcements to their community; residents read them live.

The hookimpls below are what the rooms cannot say. The rest is implied by the rooms
(docs/plugins.md, "Implied hooks"): the tables of models.py, the fields api.py makes with
the kit's decorators, the events service.py declares. The other rooms are rules.py,
messages.json (loaded by core) and migrations/ (``linli makemigrations notices``).
"""

from linli import Manifest, Permission, hookimpl


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(name="notices", version="0.1.0", core_versions=">=0.1,<0.2")


@hookimpl
def register_permissions() -> list[Permission]:
    post = Permission("notices.post", ("staff",), "Post a notice to the community")
    return [post, Permission("notices.read", ("resident", "volunteer", "staff"), "Read notices")]
