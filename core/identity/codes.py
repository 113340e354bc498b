"""Code senders: how a one-time login code reaches its phone.

``settings.code_sender`` chooses one: ``console`` (development: writes to stderr, never to
the logs), ``memory`` (tests: :data:`MemorySender.outbox`), or ``package.module:factory``, a
callable taking the settings and returning an object with ``async send(phone, code)`` (an
SMS gateway). Codes are never logged: the log says only that a code went to a masked phone.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections import defaultdict
from typing import Any, ClassVar, Protocol

from linli.core.identity.rules import mask_phone

log = logging.getLogger("linli.identity.codes")


class CodeSender(Protocol):
    async def send(self, phone: str, code: str) -> None: ...


class ConsoleSender:
    """Development: prints the code to the server's terminal (stderr), outside logging."""

    async def send(self, phone: str, code: str) -> None:
        sys.stderr.write(f"[linli] login code for {mask_phone(phone)}: {code}\n")
        sys.stderr.flush()


class MemorySender:
    """Tests: codes sent, by phone (``MemorySender.outbox["+86138..."][-1]``)."""

    outbox: ClassVar[dict[str, list[str]]] = defaultdict(list)

    async def send(self, phone: str, code: str) -> None:
        self.outbox[phone].append(code)

    @classmethod
    def last(cls, phone: str) -> str | None:
        codes = cls.outbox.get(phone)
        return codes[-1] if codes else None


def make_sender(spec: str, settings: Any = None) -> CodeSender:
    if spec == "console":
        return ConsoleSender()
    if spec == "memory":
        return MemorySender()
    module, _, attr = spec.partition(":")
    if not attr:
        raise ValueError(f"code_sender must be console, memory or module:factory, not {spec!r}")
    return getattr(importlib.import_module(module), attr)(settings)


async def send_code(phone: str, code: str) -> None:
    from linli.core import runtime

    settings = runtime.current().settings
    await make_sender(settings.code_sender, settings).send(phone, code)
    log.info("login code sent to %s", mask_phone(phone))
