"""Localized messages: zh-CN (the default) and en, chosen per request by Accept-Language.

Messages are namespaced per plugin. Core's catalogue (``locale/core.json``) is the namespace
``core``; each plugin's ``messages.json`` (``{"CODE": {"zh-CN": …, "en": …}}``, beside its
package's ``__init__.py``) is loaded by core into the plugin's own namespace when the plugin
loads. A code's message is looked up in the namespace of the plugin that asks (the plugin
whose package holds the error type, resolver or route), then in core's: so two plugins may
both have a ``NOT_ELIGIBLE`` with different messages, and no plugin changes what core's codes
say. A plugin that gives one of core's codes a different message is a start-up error naming
both. A text may name parameters in ``{braces}``. Codes are the same in every locale: clients
switch on codes and show messages.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from babel import Locale, UnknownLocaleError

log = logging.getLogger("linli.i18n")

SUPPORTED = ("zh-CN", "en")
DEFAULT = "zh-CN"
CORE = "core"

# namespace (plugin name) -> code -> locale -> text
_catalogues: dict[str, dict[str, dict[str, str]]] = {CORE: {}}
# a plugin's package (dotted module name) -> its namespace
_packages: dict[str, str] = {"linli.core": CORE}


class MessageConflict(ValueError):
    """A plugin gives one of core's codes another message."""


def register_messages(catalogue: Mapping[str, Mapping[str, str]], plugin: str = CORE) -> None:
    """Set the ``code -> {locale: text}`` catalogue of ``plugin`` (replacing what it had).

    Raises MessageConflict when a plugin's text for one of core's codes differs from core's.
    """
    if plugin != CORE:
        core = _catalogues[CORE]
        for code, texts in catalogue.items():
            if code in core and any(core[code].get(loc) != text for loc, text in texts.items()):
                raise MessageConflict(
                    f"plugin {plugin} redefines the message of {code}, which plugin core "
                    "defines: use core's code as it is, or a code of your own"
                )
        _catalogues[plugin] = {code: dict(texts) for code, texts in catalogue.items()}
        return
    for code, texts in catalogue.items():
        _catalogues[CORE].setdefault(code, {}).update(texts)


def load_json(path: Path, plugin: str = CORE, package: str | None = None) -> None:
    """Register the catalogue in ``path`` as ``plugin``'s; ``package`` (its dotted module
    name) is where that plugin's code lives, so its error types find their messages."""
    register_messages(json.loads(path.read_text(encoding="utf-8")), plugin)
    if package:
        _packages[package] = plugin


def plugin_of(module: str | None) -> str:
    """The namespace of the plugin whose package holds ``module`` (core when none does)."""
    name = module or ""
    while name:
        if name in _packages:
            return _packages[name]
        name = name.rpartition(".")[0]
    return CORE


def caller_plugin(depth: int = 1) -> str:
    """The namespace of the module calling the function that calls this (``depth`` frames up)."""
    return plugin_of(sys._getframe(depth + 1).f_globals.get("__name__"))


def negotiate(accept_language: str | None, default: str = DEFAULT) -> str:
    """The supported locale that best fits an Accept-Language header."""
    if not accept_language:
        return default
    wanted = []
    for part in accept_language.split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if tag and weight > 0:
            wanted.append((weight, tag.strip()))
    wanted.sort(key=lambda item: -item[0])
    preferences = [tag.replace("-", "_") for _, tag in wanted]
    available = [loc.replace("-", "_") for loc in SUPPORTED]
    chosen = Locale.negotiate(preferences, available, sep="_")
    if chosen is None:
        # "zh-Hans", "zh-TW" and bare "zh" still mean Chinese to our readers.
        for tag in preferences:
            try:
                if Locale.parse(tag).language == "zh":
                    return "zh-CN"
                if Locale.parse(tag).language == "en":
                    return "en"
            except (ValueError, UnknownLocaleError):
                continue
        return default
    return "zh-CN" if chosen.language == "zh" else "en"


def translate(code: str, locale: str = DEFAULT, *, plugin: str = CORE, **params: object) -> str:
    """``code``'s message in ``locale``: ``plugin``'s own first, then core's."""
    texts = _catalogues.get(plugin, {}).get(code) or _catalogues[CORE].get(code)
    if not texts:
        log.warning("no message for code %s (plugin %s)", code, plugin)
        return code
    text = texts.get(locale) or texts.get(DEFAULT) or next(iter(texts.values()))
    blank = _Blank(params)
    try:
        message = text.format_map(blank)
    except (IndexError, ValueError, AttributeError):
        message, blank.missed = _PLACEHOLDER.sub("", text), True
    # A parameter the caller did not give leaves no "{detail}" and no dangling colon.
    return re.sub(r"\s{2,}", " ", message).rstrip(" :\uff1a") if blank.missed else message


class _Blank(dict):  # type: ignore[type-arg]
    """Format parameters where a missing one is blank, never a raw placeholder."""

    missed = False

    def __missing__(self, key: str) -> str:
        self.missed = True
        return ""


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def messages_of(plugin: str) -> dict[str, dict[str, str]]:
    """A copy of the catalogue of ``plugin`` (its own codes only)."""
    return {code: dict(texts) for code, texts in _catalogues.get(plugin, {}).items()}


load_json(Path(__file__).with_name("locale") / "core.json")
