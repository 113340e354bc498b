"""What a plugin package's rooms imply: the hooks it need not write.

A plugin package (``linli_notices``) that does not implement one of these hooks gets the
answer its rooms give, as if it had written the hookimpl:

- ``register_models``: ``["<package>.models"]`` when that module exists;
- ``register_queries`` / ``register_mutations`` / ``register_subscriptions``: the fields its
  ``api`` room (api.py, or the modules of api/) made with the kit's declarative decorators
  (``g.community_list``, ``g.mutation``, ``g.community_feed``), each for the root it names;
- ``register_events``: the ``EventType`` objects its ``service`` room (service.py, or the
  modules of service/) binds at module level.

A plugin that implements the hook answers it alone (return everything from it), so nothing is
ever registered twice. Plugins that are not packages (a test's module or object) imply
nothing. Why: the example plugin's ``__init__.py`` was half boilerplate saying what its rooms
already say (``return ["linli_notices.models"]``), and every plugin copies the example.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from types import ModuleType
from typing import Any

IMPLIED_HOOKS = (
    "register_models",
    "register_queries",
    "register_mutations",
    "register_subscriptions",
    "register_events",
)


def implied(plugin: Any, name: str, hook: str) -> list[Any] | None:
    """The answer the rooms of ``plugin`` (named ``name``) give to ``hook`` (None: nothing,
    or not a package)."""
    package = getattr(plugin, "__name__", None) if hasattr(plugin, "__path__") else None
    if package is None or hook not in IMPLIED_HOOKS:
        return None
    if hook == "register_models":
        return [f"{package}.models"] if _exists(f"{package}.models") else None
    if hook == "register_events":
        from linli.core.topics import EventType

        members = _members(package, "service")  # its own: an imported one has another prefix
        found = [v for v in members if isinstance(v, EventType) and v.plugin == name]
    else:
        from linli.core.graphql import ROOT_OF_HOOK

        root = ROOT_OF_HOOK[hook]
        found = [v for v in _members(package, "api") if getattr(v, "linli_root", None) == root]
    return found or None


def _exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _members(package: str, room: str) -> list[Any]:
    """The module-level values of the room (a module, or a package and its modules), each
    once, in the order they are defined."""
    name = f"{package}.{room}"
    if not _exists(name):
        return []
    modules: list[ModuleType] = [importlib.import_module(name)]
    path = getattr(modules[0], "__path__", None)
    if path is not None:
        for info in sorted(pkgutil.iter_modules(path), key=lambda m: m.name):
            modules.append(importlib.import_module(f"{name}.{info.name}"))
    seen: dict[int, Any] = {}
    for module in modules:
        for value in vars(module).values():
            seen.setdefault(id(value), value)
    return list(seen.values())
