"""Hostile websocket frames: each is an invalid message (closed 4400), never an error inside
the connection, and the server goes on answering."""

import httpx
import pytest
from httpx_ws import WebSocketDisconnect, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport

HOSTILE_FRAMES = {
    "lone surrogate": '{"type":"connection_init","payload":{"token":"\\ud800"}}',
    "NaN": '{"type":"connection_init","payload":{"n":NaN}}',
    "5000-digit integer": '{"type":"connection_init","payload":{"n":' + "9" * 5000 + "}}",
    "deep nesting": '{"type":"connection_init","payload":' + "[" * 50_000 + "]" * 50_000 + "}",
    "not JSON": "{",
}


@pytest.mark.parametrize("frame", HOSTILE_FRAMES.values(), ids=HOSTILE_FRAMES.keys())
async def test_a_hostile_websocket_frame_closes_4400_and_the_server_answers(linli_app, frame):
    transport = ASGIWebSocketTransport(app=linli_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://linli.test") as client:
        async with aconnect_ws("/graphql", client, subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send_text(frame)
            with pytest.raises(WebSocketDisconnect) as closed:
                await ws.receive_json(timeout=5)
        assert closed.value.code == 4400
        async with aconnect_ws("/graphql", client, subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send_json({"type": "connection_init", "payload": {}})
            assert (await ws.receive_json(timeout=5))["type"] == "connection_ack"
