"""Persisted operations over a live ``linli serve``: Apollo's automatic persisted queries over
POST and GET (with the cache headers a proxy reads), and trusted documents from a manifest
(HTTP and websockets)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from linli.core import persisted
from linli.testing import TEST_PASSWORD, LiveServer, start_server, stop_server
from linli_client import LinliClient

INFO = "query Info { serverInfo { version } }"
LIST = "query List($c: ID!) { notices(communityId: $c, first: 5) { edges { node { title } } } }"


def sha(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def extension(document: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha(document)}}


@pytest.fixture
def server_with(linli_settings: Any, tmp_path: Path) -> Iterator[Any]:
    servers: list[LiveServer] = []

    def start(**env: str) -> LiveServer:
        log = tmp_path / f"server-{len(servers)}.log"
        servers.append(start_server(linli_settings.database_url, log, env=env, timeout=120))
        return servers[-1]

    yield start
    for server in servers:
        stop_server(server)


async def test_apq_miss_register_then_hash_only_over_post_and_get(server_with, hood) -> None:
    server = server_with()
    async with httpx.AsyncClient(base_url=server.url) as http:
        miss = await http.post("/graphql", json={"extensions": extension(INFO)})
        assert miss.status_code == 200
        assert miss.json()["errors"] == [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
        first = await http.post("/graphql", json={"query": INFO, "extensions": extension(INFO)})
        version = first.json()["data"]["serverInfo"]["version"]
        again = await http.post("/graphql", json={"extensions": extension(INFO)})
        assert again.json() == {"data": {"serverInfo": {"version": version}}}
        params = {"extensions": json.dumps(extension(INFO)), "operationName": "Info"}
        got = await http.get("/graphql", params=params)
        assert got.json() == {"data": {"serverInfo": {"version": version}}}
        # Anonymous and without errors: a proxy may keep it briefly, per language.
        assert got.headers["cache-control"] == "public, max-age=5"
        assert "Accept-Language" in got.headers["vary"]

        # A person's answer by GET is never kept by a shared cache.
        await http.post("/graphql", json={"query": LIST, "extensions": extension(LIST)})
        params = {
            "extensions": json.dumps(extension(LIST)),
            "variables": json.dumps({"c": hood.id}),
        }
        resident = LinliClient(server.url)
        await resident.login(hood.resident.phone, TEST_PASSWORD)
        mine = await http.get(
            "/graphql", params=params, headers={"authorization": f"Bearer {resident.token}"}
        )
        await resident.aclose()
        assert mine.status_code == 200 and "errors" not in mine.json()
        assert mine.headers["cache-control"] == "private, no-store"
        # Nor an anonymous answer with errors (here: notices need a login).
        refused = await http.get("/graphql", params=params)
        assert refused.json()["errors"]
        assert refused.headers["cache-control"] == "private, no-store"


async def test_apq_miss_over_get_is_not_cacheable(server_with) -> None:
    server = server_with()
    params = {"extensions": json.dumps(extension("{ serverInfo { version plugins { name } } }"))}
    async with httpx.AsyncClient(base_url=server.url) as http:
        miss = await http.get("/graphql", params=params)
    assert miss.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert miss.headers["cache-control"] == "private, no-cache, must-revalidate"


async def test_apq_hash_mismatch_and_bad_extension_are_coded_and_localized(server_with) -> None:
    server = server_with()
    secret = "query Secret { serverInfo { version } } # 身份证 110101199003077777"
    async with httpx.AsyncClient(base_url=server.url) as http:
        wrong = await http.post(
            "/graphql",
            json={"query": secret, "extensions": extension(INFO)},
            headers={"accept-language": "en"},
        )
        bad = await http.post(
            "/graphql",
            json={"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "x"}}},
            headers={"accept-language": "zh-CN"},
        )
    assert wrong.status_code == 400
    error = wrong.json()["errors"][0]
    assert error["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    assert error["message"] == "The query does not match the sha256 hash sent with it."
    assert "110101" not in wrong.text
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_BAD_REQUEST"
    assert "sha256Hash" in bad.json()["errors"][0]["message"]


async def test_apq_off_answers_not_supported(server_with) -> None:
    server = server_with(LINLI_PERSISTED_QUERIES="0")
    async with httpx.AsyncClient(base_url=server.url) as http:
        answer = await http.post("/graphql", json={"extensions": extension(INFO)})
        plain = await http.post("/graphql", json={"query": INFO})
    assert answer.json()["errors"][0] == {
        "message": "PersistedQueryNotSupported",
        "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"},
    }
    assert "version" in plain.json()["data"]["serverInfo"]


def apollo_manifest(path: Path, *documents: str) -> Path:
    operations = [
        {"id": sha(body), "name": body.split()[1], "type": "query", "body": body}
        for body in documents
    ]
    manifest = {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}
    path.write_text(json.dumps(manifest), encoding="utf-8")
    return path


async def test_trusted_documents_run_only_the_manifest(server_with, tmp_path: Path) -> None:
    manifest = apollo_manifest(tmp_path / "manifest.json", INFO)
    server = server_with(LINLI_TRUSTED_DOCUMENTS="1", LINLI_PERSISTED_MANIFEST=str(manifest))
    other = "query Other { serverInfo { plugins { name } } }"
    async with httpx.AsyncClient(base_url=server.url) as http:
        by_hash = await http.post("/graphql", json={"extensions": extension(INFO)})
        by_text = await http.post("/graphql", json={"query": INFO})
        by_get = await http.get("/graphql", params={"extensions": json.dumps(extension(INFO))})
        text_refused = await http.post("/graphql", json={"query": other})
        hash_refused = await http.post("/graphql", json={"extensions": extension(other)})
        # Registering is off: sending the text with its hash does not make it trusted.
        register = await http.post(
            "/graphql", json={"query": other, "extensions": extension(other)}
        )
    for answer in (by_hash, by_text, by_get):
        assert answer.status_code == 200 and "version" in answer.json()["data"]["serverInfo"]
    assert text_refused.status_code == 400
    assert text_refused.json()["errors"][0]["extensions"]["code"] == "QUERY_NOT_IN_SAFELIST"
    assert hash_refused.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"
    assert register.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"
    assert "data" not in text_refused.json()

    # Over websockets the same list holds (the validation rule).
    async with websockets.connect(server.ws_url, subprotocols=["graphql-transport-ws"]) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": other}}))
        refused = json.loads(await socket.recv())
        await socket.send(json.dumps({"id": "2", "type": "subscribe", "payload": {"query": INFO}}))
        allowed = json.loads(await socket.recv())
    assert refused["type"] == "error"
    assert refused["payload"][0]["extensions"]["code"] == "QUERY_NOT_IN_SAFELIST"
    assert allowed["type"] == "next" and "version" in allowed["payload"]["data"]["serverInfo"]


def test_manifest_formats_and_a_wrong_id(tmp_path: Path) -> None:
    apollo = apollo_manifest(tmp_path / "apollo.json", INFO, LIST)
    assert persisted.load_manifest(apollo) == {sha(INFO): INFO, sha(LIST): LIST}
    flat = tmp_path / "flat.json"
    flat.write_text(json.dumps({f"sha256:{sha(INFO)}": INFO, sha(LIST): LIST}))
    assert persisted.load_manifest(flat) == {sha(INFO): INFO, sha(LIST): LIST}
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({sha(INFO): LIST}))
    with pytest.raises(persisted.ManifestError, match="is not its sha256"):
        persisted.load_manifest(wrong)


def test_learnt_documents_are_bounded_most_recent_kept() -> None:
    store = persisted.PersistedQueries(size=2)
    for n in range(3):
        store.remember(f"{n:064x}", f"query Q{n} {{ serverInfo {{ version }} }}")
    assert store.lookup(f"{0:064x}") is None
    assert store.lookup(f"{1:064x}") and store.lookup(f"{2:064x}")
