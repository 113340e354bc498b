"""Round trips to PostgreSQL, counted on the wire.

A loopback TCP proxy in front of PostgreSQL that forwards bytes both ways and counts, in the
client's stream, the messages that each wait for the server: ``Q`` (a simple query, such as
asyncpg's reset on release) and ``S`` (Sync, the end of an extended-protocol exchange: one
prepared statement's bind/execute). Servers pointed at the proxy for a short counting phase
report round trips per request; the timed rounds never go through it.
"""

from __future__ import annotations

import asyncio
import struct
from collections import Counter

SSL_REQUEST = 80877103
GSS_REQUEST = 80877104


class CountingProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.counts: Counter = Counter()
        self.server: asyncio.base_events.Server | None = None
        self.port = 0

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        if self.server:
            self.server.close()

    @property
    def round_trips(self) -> int:
        return self.counts["Q"] + self.counts["S"]

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        back = asyncio.create_task(self._pipe(up_reader, writer))
        try:
            await self._frontend(reader, up_writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            up_writer.close()
            back.cancel()
            writer.close()

    async def _frontend(self, reader: asyncio.StreamReader, up: asyncio.StreamWriter) -> None:
        # Untyped start-up messages first (SSL/GSS requests, then the startup message).
        while True:
            head = await reader.readexactly(8)
            length, code = struct.unpack("!ii", head)
            rest = await reader.readexactly(length - 8)
            up.write(head + rest)
            if code not in (SSL_REQUEST, GSS_REQUEST):
                break
        while True:
            head = await reader.readexactly(5)
            kind, length = head[:1].decode(), struct.unpack("!i", head[1:])[0]
            body = await reader.readexactly(length - 4)
            self.counts[kind] += 1
            up.write(head + body)

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
