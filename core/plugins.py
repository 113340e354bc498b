"""Finding, checking and calling plugins.

Built-in and third-party plugins take the same path: each is a module registered under the
entry-point group ``linli.plugins`` (linli's own pyproject.toml lists the built-ins), so core
never imports a plugin and a plugin on PyPI is a first-class citizen. Core's own hooks are
registered under the name ``core``.
"""

from __future__ import annotations

import contextvars
import functools
import importlib.metadata
import inspect
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

import linli
from linli.core import hookspecs, rooms, topics
from linli.core.settings import Settings

log = logging.getLogger("linli.plugins")

ENTRY_POINT_GROUP = "linli.plugins"


class PluginError(Exception):
    """A plugin cannot be loaded; the message names the plugin."""


@dataclass(frozen=True)
class Manifest:
    name: str
    version: str
    core_versions: str = ">=0.1"
    requires: tuple[str, ...] = ()
    settings: type | None = None
    description: str = ""


@dataclass
class Plugins:
    """The plugin manager of one running instance, with the calls core makes on it.

    A plugin package may leave some ``register_*`` hooks implied by its rooms (its models
    module, the kit-made fields of its api, the events its service declares): ``per_plugin``
    answers them as if it had written them (``linli.core.rooms``).

    Every hook is called through ``pm.hook``, so pluggy decides the order and ``tryfirst`` /
    ``trylast`` behave as pluggy documents. The order, the same for every hook: core first,
    then the plugins in the order they load (entry points sorted by name, then the ``extra``
    ones), each moved by its ``tryfirst``/``trylast``. Linli registers them in the reverse of
    that order because pluggy calls the last registered first.
    """

    pm: pluggy.PluginManager
    manifests: dict[str, Manifest] = field(default_factory=dict)
    _callers: dict[str, list[tuple[str, pluggy.HookCaller]]] = field(default_factory=dict)
    _implied: dict[tuple[str, str], list[Any] | None] = field(default_factory=dict)

    def names(self) -> list[str]:
        return list(self.manifests)

    def module(self, name: str) -> ModuleType | Any:
        return self.pm.get_plugin(name)

    def per_plugin(self, hook: str, **kwargs: Any) -> Iterator[tuple[str, Any]]:
        """Call one hook through pluggy, yielding (plugin name, its answer) in call order for
        each plugin that answered something other than None."""
        answers: list[tuple[str, Any]] = []
        token = _answers.set(answers)
        try:
            getattr(self.pm.hook, hook)(**kwargs)
        finally:
            _answers.reset(token)
        yield from self._with_implied(hook, answers) if hook in rooms.IMPLIED_HOOKS else answers

    def _with_implied(self, hook: str, answers: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        """``answers`` and the answers the rooms imply (``linli.core.rooms``) for each plugin
        that does not implement ``hook``, each in its plugin's place in the load order."""
        implementing = {impl.plugin_name for impl in getattr(self.pm.hook, hook).get_hookimpls()}
        position = {name: n for n, name in enumerate(self.manifests)}
        implied: list[tuple[str, Any]] = []
        for name in self.manifests:
            if name != "core" and name not in implementing:
                key = (name, hook)
                if key not in self._implied:
                    self._implied[key] = rooms.implied(self.module(name), name, hook)
                if self._implied[key]:
                    implied.append((name, self._implied[key]))
        merged: list[tuple[str, Any]] = []
        for answer in answers:
            while implied and position[implied[0][0]] < position.get(answer[0], -1):
                merged.append(implied.pop(0))
            merged.append(answer)
        return merged + implied

    def gather(self, hook: str, **kwargs: Any) -> list[Any]:
        """Flatten the lists that a ``register_*`` hook returns from every plugin."""
        return [item for _, items in self.per_plugin(hook, **kwargs) for item in items]

    async def call_async(self, hook: str, **kwargs: Any) -> None:
        """Call a hook on every plugin, awaiting, in call order, the answers that are
        awaitable (``startup``, ``shutdown``, ``extend_context``)."""
        for _, result in self.per_plugin(hook, **kwargs):
            if inspect.isawaitable(result):
                await result

    def each_plugin(self, hook: str) -> list[tuple[str, pluggy.HookCaller]]:
        """One hook caller per plugin implementing ``hook``, in the call order: calling
        ``caller(**kwargs)`` runs that plugin's hookimpl through pluggy (``pm.hook``'s own
        caller with every other plugin removed: ``PluginManager.subset_hook_caller``), so
        core can wrap each plugin's call in its own isolation (``on_event``: a transaction
        and a processed-event record) and the call still goes through pluggy."""
        cached = self._callers.get(hook)
        if cached is None:
            caller = getattr(self.pm.hook, hook)
            impls = caller.get_hookimpls()  # pluggy calls them last to first
            everyone = {impl.plugin for impl in impls}
            cached = [
                (impl.plugin_name, self.pm.subset_hook_caller(hook, everyone - {impl.plugin}))
                for impl in reversed(impls)
            ]
            self._callers[hook] = cached
        return cached

    async def deliver_event(self, event: Any) -> None:
        """``on_event`` to every plugin, each through its own pluggy call (``each_plugin``);
        one that raises (or whose awaitable raises) is logged and the rest still get it."""
        for plugin, caller in self.each_plugin("on_event"):
            await isolated(plugin, event, caller)

    def hooks_of(self, name: str) -> list[str]:
        plugin = self.pm.get_plugin(name)
        return sorted(impl.name for impl in self.pm.get_hookcallers(plugin) or ())


# The answers of the hook call running in this context, by plugin (see Plugins.per_plugin).
_answers: contextvars.ContextVar[list[tuple[str, Any]] | None] = contextvars.ContextVar(
    "linli_hook_answers", default=None
)


async def isolated(plugin: str, event: Any, caller: pluggy.HookCaller) -> bool:
    """Run one plugin's ``on_event`` (``caller`` from ``Plugins.each_plugin``) and await what
    it returns; an exception, raised or awaited, is logged (``linli.plugins``) and answered
    False, never raised: the event committed, and the other plugins must still get it."""
    try:
        await call_and_await(caller, event=event)
    except Exception:
        log.exception("plugin %s failed in on_event(%s)", plugin, event.topic)
        return False
    return True


async def call_and_await(caller: pluggy.HookCaller, **kwargs: Any) -> None:
    """Call a hook (through pluggy) and await each answer that is awaitable, in order."""
    for result in caller(**kwargs):
        if inspect.isawaitable(result):
            await result


def _attribute(impl: pluggy.HookImpl) -> None:
    """Make one hookimpl tell ``per_plugin`` what it answered (pluggy still calls it, in its
    order, with its arguments)."""
    function, plugin = impl.function, impl.plugin_name

    @functools.wraps(function)
    def answer(*args: Any) -> Any:
        result = function(*args)
        answers = _answers.get()
        if answers is not None and result is not None:
            answers.append((plugin, result))
        return result

    impl.function = answer


def _register(pm: pluggy.PluginManager, plugin: Any, name: str) -> None:
    """Register one plugin; a wrapper hookimpl is refused (core collects each plugin's own
    answer, by name, which a wrapper would hide)."""
    try:
        pm.register(plugin, name=name)
    except ValueError as exc:
        raise PluginError(f"plugin {name}: {exc}") from exc
    for caller in pm.get_hookcallers(plugin) or ():
        for impl in caller.get_hookimpls():
            if impl.plugin is not plugin:
                continue
            if impl.wrapper or impl.hookwrapper:
                raise PluginError(
                    f"plugin {name}: {caller.name} is a wrapper hookimpl (wrapper=True or "
                    "hookwrapper=True), which Linli does not support: core collects each "
                    "plugin's answer by name; order your hookimpl with tryfirst/trylast"
                )
            _attribute(impl)


def _entry_points() -> list[importlib.metadata.EntryPoint]:
    return sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)


def builtin_plugin_names() -> list[str]:
    """The built-in plugins: the ``linli.plugins`` entry points that live in linli itself."""
    return [ep.name for ep in _entry_points() if ep.value.startswith("linli.")]


def load_plugins(settings: Settings, extra: dict[str, object] | None = None) -> Plugins:
    """Register core, the enabled entry-point plugins and ``extra`` ones, then check them all.

    ``extra`` (name → module or object) is how tests add a plugin that is not installed.
    """
    from linli.core import hooks as core_hooks

    pm = pluggy.PluginManager("linli")
    pm.add_hookspecs(hookspecs)
    candidates: dict[str, Any] = {}
    for ep in _entry_points():
        if settings.plugin_enabled(ep.name):
            try:
                candidates[ep.name] = ep.load()
            except Exception as exc:
                raise PluginError(f"plugin {ep.name}: cannot be imported: {exc}") from exc
    for name, plugin in (extra or {}).items():
        if settings.plugin_enabled(name):
            candidates[name] = plugin
    # pluggy calls the last registered first: register in reverse so the order is core,
    # then the plugins in load order.
    for name, plugin in reversed(candidates.items()):
        _register(pm, plugin, name)
    _register(pm, core_hooks, "core")
    for name, plugin in candidates.items():
        _load_messages(name, plugin)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {pm.get_name(exc.plugin)}: {exc}") from exc
    plugins = Plugins(pm)
    plugins.manifests = {name: _manifest(pm, name) for name in ["core", *candidates]}
    _check_requirements(plugins.manifests)
    _check_settings(plugins.manifests)
    try:
        topics.install(plugins.per_plugin("register_events"))
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
    return plugins


def _load_messages(name: str, plugin: Any) -> None:
    """A plugin package's ``messages.json`` (``{"CODE": {"zh-CN": …, "en": …}}``), if it has
    one, into the plugin's own namespace (see linli.core.i18n)."""
    from linli.core.i18n import MessageConflict, load_json

    module_file = getattr(plugin, "__file__", None)
    path = Path(module_file).with_name("messages.json") if module_file else None
    if path is not None and path.is_file():
        try:
            load_json(path, plugin=name, package=getattr(plugin, "__name__", None))
        except MessageConflict as exc:
            raise PluginError(str(exc)) from exc
        except (OSError, ValueError) as exc:
            raise PluginError(f"plugin {name}: bad messages.json: {exc}") from exc


def _manifest(pm: pluggy.PluginManager, name: str) -> Manifest:
    plugin = pm.get_plugin(name)
    if name == "core":
        return Manifest(name="core", version=linli.__version__, core_versions="")
    impl = getattr(plugin, "plugin_manifest", None)
    if impl is None:
        raise PluginError(f"plugin {name}: has no plugin_manifest() hook")
    manifest = impl()
    if not isinstance(manifest, Manifest):
        raise PluginError(f"plugin {name}: plugin_manifest() must return a linli Manifest")
    if manifest.name != name:
        raise PluginError(f"plugin {name}: its manifest calls it {manifest.name!r}")
    try:
        supported = SpecifierSet(manifest.core_versions)
    except InvalidSpecifier as exc:
        raise PluginError(f"plugin {name}: bad core_versions {manifest.core_versions!r}") from exc
    if Version(linli.__version__) not in supported:
        raise PluginError(
            f"plugin {name} {manifest.version} supports linli {manifest.core_versions}, "
            f"this is linli {linli.__version__}"
        )
    return manifest


def _check_settings(manifests: dict[str, Manifest]) -> None:
    from linli.core.kit.settings import declared

    for manifest in manifests.values():
        problem = declared(manifest.name, manifest.settings)
        if problem:
            raise PluginError(f"plugin {manifest.name}: {problem}")


def _check_requirements(manifests: dict[str, Manifest]) -> None:
    for manifest in manifests.values():
        missing = [req for req in manifest.requires if req not in manifests]
        if missing:
            raise PluginError(
                f"plugin {manifest.name} requires {', '.join(missing)}, which is not enabled"
            )
