"""Localized messages: zh-CN (the default) and en, chosen per request by Accept-Language.

Core and each plugin register a catalogue of ``code -> {locale: text}``; a text may name
parameters in ``{braces}``. Codes are the same in every locale: clients switch on codes and
show messages.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path

from babel import Locale, UnknownLocaleError

log = logging.getLogger("linli.i18n")

SUPPORTED = ("zh-CN", "en")
DEFAULT = "zh-CN"

_messages: dict[str, dict[str, str]] = {}


def register_messages(catalogue: Mapping[str, Mapping[str, str]]) -> None:
    """Add ``code -> {locale: text}``; a later registration of the same code wins per locale."""
    for code, texts in catalogue.items():
        _messages.setdefault(code, {}).update(texts)


def load_json(path: Path) -> None:
    register_messages(json.loads(path.read_text(encoding="utf-8")))


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


def translate(code: str, locale: str = DEFAULT, **params: object) -> str:
    texts = _messages.get(code)
    if not texts:
        log.warning("no message for code %s", code)
        return code
    text = texts.get(locale) or texts.get(DEFAULT) or next(iter(texts.values()))
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


load_json(Path(__file__).with_name("locale") / "core.json")
