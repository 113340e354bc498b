"""The legacy ``graphql-ws`` websocket protocol, held to the same rule as the modern one.

strawberry's legacy handler waits for ``connection_init`` forever; a socket that never sends
it would hold a slot on the server. This handler closes it with 4408 after the same
``connection_init`` timeout as graphql-transport-ws.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler


class LegacyGraphQLWSHandler(BaseGraphQLWSHandler[Any, Any]):
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
