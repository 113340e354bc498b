"""The websocket protocols: graphql-transport-ws and the legacy ``graphql-ws``, held to one rule.

strawberry's legacy handler waits for ``connection_init`` forever; a socket that never sends
it would hold a slot on the server. This handler closes it with 4408 after the same
``connection_init`` timeout as graphql-transport-ws. In both protocols, the refusal of one
subscription too many carries a code and a localized message (strawberry sends plain text).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

from linli.core.i18n import translate

LIMIT_REACHED = "Subscription limit reached"  # strawberry's words, in both protocols


def _too_many(context: Any, limit: int | None) -> dict[str, Any]:
    message = translate("TOO_MANY_SUBSCRIPTIONS", getattr(context, "locale", "zh-CN"), max=limit)
    return {"message": message, "extensions": {"code": "TOO_MANY_SUBSCRIPTIONS"}}


class GraphQLTransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    async def send_message(self, message: Any) -> None:
        payload = message.get("payload")
        if (
            message.get("type") == "error"
            and isinstance(payload, list)
            and len(payload) == 1
            and payload[0].get("message") == LIMIT_REACHED
        ):
            limit = self.max_subscriptions_per_connection
            message = {**message, "payload": [_too_many(self.context, limit)]}
        await super().send_message(message)


class LegacyGraphQLWSHandler(BaseGraphQLWSHandler[Any, Any]):
    async def send_message(self, message: Any) -> None:
        if message.get("type") == "error" and message.get("payload") == {"message": LIMIT_REACHED}:
            limit = self.max_subscriptions_per_connection
            message = {**message, "payload": _too_many(self.context, limit)}
        await super().send_message(message)

    async def handle(self) -> None:
        watchdog = asyncio.create_task(self._close_without_init())
        try:
            await super().handle()
        finally:
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog

    async def _close_without_init(self) -> None:
        await asyncio.sleep(self.view.connection_init_wait_timeout.total_seconds())
        if not self.connection_acknowledged:
            with contextlib.suppress(WebSocketDisconnected):
                await self.websocket.close(code=4408, reason="Connection initialisation timeout")
