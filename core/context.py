"""The per-request GraphQL context every resolver receives as ``info.context``."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.requests import HTTPConnection
from starlette.responses import Response

from linli.core.actor import ANONYMOUS, Actor
from linli.core.clock import Clock
from linli.core.plugins import Plugins
from linli.core.settings import Settings


def new_request_id() -> str:
    """An id for one request, in its log lines and in the response of an unexpected error."""
    return secrets.token_hex(8)


@dataclass
class Context:
    request: HTTPConnection
    response: Response | None
    settings: Settings
    plugins: Plugins
    clock: Clock
    locale: str
    actor: Actor = ANONYMOUS
    # The graphql-transport-ws connection_init payload (websockets only).
    connection_params: dict[str, Any] | None = None
    # Per-request dataloaders and caches, keyed by whoever adds them (extend_context).
    loaders: dict[str, Any] = field(default_factory=dict)
    # Request-scoped facts that limits count once per operation (throttling).
    operation_keys: set[str] = field(default_factory=set)
    # Set when the request carried a token nobody accepted (expired, revoked, forged).
    auth_error: str | None = None
    # Whether the answer may be kept by the response cache (core/response_cache.py).
    cacheable: bool | None = None
    # Names this request in the log and in an unexpected error's ``extensions.requestId``.
    request_id: str = field(default_factory=new_request_id)
    # A websocket's live view of its caller (identity's SocketSession), None over HTTP.
    socket_session: Any = None

    async def current_actor(self) -> Actor:
        """The caller now. Over HTTP, ``actor``; on a websocket, reloaded after a role change
        was announced, and anonymous once the session has ended (the socket is closing).
        Subscriptions call it per event, so an event is sent by the caller's rights of now."""
        if self.socket_session is None:
            return self.actor
        return await self.socket_session.current() or ANONYMOUS

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def client_ip(self) -> str:
        client = self.request.client
        return client.host if client else "unknown"
