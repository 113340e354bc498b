"""The legacy graphql-ws protocol: served, and held to the connection_init timeout."""

import httpx
import pytest
from httpx_ws import WebSocketDisconnect, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport


@pytest.fixture
def linli_settings_overrides():
    from linli.core.settings import Limits

    return {"limits": Limits(connection_init_timeout_seconds=0.3)}


async def _legacy(app):
    transport = ASGIWebSocketTransport(app=app)
    client = httpx.AsyncClient(transport=transport, base_url="http://linli.test")
    return client, aconnect_ws("/graphql", client, subprotocols=["graphql-ws"])


async def test_legacy_protocol_acknowledges_and_outlives_the_timeout(linli_app):
    client, connect = await _legacy(linli_app)
    async with client, connect as ws:
        await ws.send_json({"type": "connection_init", "payload": {}})
        assert (await ws.receive_json(timeout=5))["type"] == "connection_ack"
        # Past the init timeout an acknowledged connection stays open.
        with pytest.raises(TimeoutError):
            await ws.receive_json(timeout=0.6)


async def test_legacy_socket_without_connection_init_is_closed_4408(linli_app):
    client, connect = await _legacy(linli_app)
    async with client, connect as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive_json(timeout=5)
    assert closed.value.code == 4408
