"""A real ``linli serve`` on loopback: log in over HTTP, GraphQL over HTTP, subscriptions over
graphql-transport-ws (with linli_client), and two instances sharing PostgreSQL and Redis.

The accounts are real (``conftest.hood``, written to the database before the servers start);
every client logs in with ``LinliClient.login`` like an app would."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from linli.testing import TEST_PASSWORD, LiveServer, requires_postgres_and_redis, stop_server
from linli_client import ConnectionClosed, GraphQLErrors, LinliClient, UserErrors

POST = """
mutation Post($input: PostNoticeInput!) {
  postNotice(input: $input) { notice { id title } errors { code field message } }
}"""
FOLLOW = """subscription Follow($c: ID!) {
  noticePosted(communityId: $c) { id communityId title body }
}"""
LIST = "query List($c: ID!) { notices(communityId: $c, first: 10) { edges { node { title } } } }"


async def logged_in(server: LiveServer, account: Any, locale: str | None = None) -> LinliClient:
    """A client of ``server`` that has logged in as ``account`` over HTTP."""
    client = LinliClient(server.url, locale=locale)
    await client.login(account.phone, TEST_PASSWORD)
    assert client.token is not None
    return client


async def post_until_heard(writer: LinliClient, listener: LinliClient, hood: Any) -> dict[str, Any]:
    """Subscribe with ``listener``, post with ``writer`` until the subscription yields.

    A graphql-transport-ws ``subscribe`` is not acknowledged, so the first post may come before
    the server has registered the subscriber: post again (a few times at most) until one arrives.
    """
    posted: dict[str, str] = {}
    async with listener.subscribe(FOLLOW, {"c": hood.id}) as events:
        heard = asyncio.ensure_future(anext(events))
        for attempt in range(20):
            notice = {
                "communityId": hood.id,
                "title": f"停水通知 {attempt}",
                "body": "周三 9:00-12:00 停水。",
            }
            payload = await writer.mutate(POST, {"input": notice})
            posted[payload["notice"]["id"]] = payload["notice"]["title"]
            done, _ = await asyncio.wait({heard}, timeout=0.25)
            if done:
                break
        notice = (await asyncio.wait_for(heard, 10))["noticePosted"]
    assert posted[notice["id"]] == notice["title"]
    assert notice["communityId"] == hood.id
    assert notice["body"] == "周三 9:00-12:00 停水。"
    return notice


async def test_query_over_http(serve):
    server = serve()
    async with LinliClient(server.url) as client:
        data = await client.execute("{ serverInfo { version plugins { name } } }")
        assert "notices" in {p["name"] for p in data["serverInfo"]["plugins"]}
        # and over GET, as a browser or a CDN cache would send it
        again = await client.execute("{ serverInfo { version } }", method="GET")
        assert again["serverInfo"]["version"] == data["serverInfo"]["version"]


async def test_access_log_keeps_no_query_string(serve, hood):
    """A login mistakenly sent by GET puts the password in the URL: refused, and not logged."""
    server = serve()
    secret = "Not-In-Any-Log-7731"
    login = f'mutation {{ login(input: {{phone: "{hood.resident.phone}", password: "{secret}"}}) '
    async with httpx.AsyncClient(base_url=server.url) as http:
        refused = await http.get("/graphql", params={"query": login + "{ accessToken } }"})
        assert refused.status_code == 405
        assert (await http.get("/healthz")).status_code == 200
    stop_server(server)  # flushes the log
    log = server.log()
    assert '"GET /graphql?… HTTP/1.1" 405' in log
    assert secret not in log and "password" not in log


async def test_login_over_http(serve, hood):
    server = serve()
    async with LinliClient(server.url, locale="en") as client:
        with pytest.raises(UserErrors) as refused:
            await client.login(hood.resident.phone, "not-the-password")
        assert refused.value.codes == ["INVALID_CREDENTIALS"]
        assert client.token is None
        await client.login(hood.resident.phone, TEST_PASSWORD)
        me = await client.execute("{ me { account { phone } memberships { role } } }")
        assert me["me"]["account"]["phone"] == hood.resident.phone
        assert [m["role"] for m in me["me"]["memberships"]] == ["RESIDENT"]


async def test_subscriber_receives_a_notice_posted_over_http(serve, hood):
    server = serve()
    staff = await logged_in(server, hood.staff)
    resident = await logged_in(server, hood.resident, locale="en")
    async with staff, resident:
        notice = await post_until_heard(staff, resident, hood)
        listed = await resident.execute(LIST, {"c": hood.id})
        assert notice["title"] in [e["node"]["title"] for e in listed["notices"]["edges"]]
        # A resident may read but not post; the refusal is data, in the caller's language.
        refused = await resident.mutate(
            POST,
            {"input": {"communityId": hood.id, "title": "x", "body": "y"}},
            raise_user_errors=False,
        )
        assert refused["notice"] is None
        assert refused["errors"] == [
            {"code": "FORBIDDEN", "field": None, "message": "You are not allowed to do this."}
        ]


async def test_subscription_is_checked_at_connect(serve, hood):
    server = serve()
    async with LinliClient(server.url) as anonymous:
        with pytest.raises(GraphQLErrors) as refused:
            async with anonymous.subscribe(FOLLOW, {"c": hood.id}) as events:
                await anext(events)
        assert refused.value.codes == ["UNAUTHENTICATED"]
    async with await logged_in(server, hood.outsider) as outsider:
        with pytest.raises(GraphQLErrors) as refused:
            async with outsider.subscribe(FOLLOW, {"c": hood.id}) as events:
                await anext(events)
        assert refused.value.codes == ["FORBIDDEN"]
    # a token nobody accepts is refused when the socket opens (4403)
    async with LinliClient(server.url, token="not-a-token") as forged:
        with pytest.raises(ConnectionClosed) as closed:
            async with forged.subscribe(FOLLOW, {"c": hood.id}) as events:
                await anext(events)
        assert closed.value.code == 4403


@requires_postgres_and_redis
async def test_two_instances_share_postgres_and_redis(serve, hood):
    first, second = serve(), serve()
    staff = await logged_in(second, hood.staff)
    resident = await logged_in(first, hood.resident)
    async with staff, resident:
        notice = await post_until_heard(staff, resident, hood)
        # The write went through the second instance; the first reads it from the shared database.
        listed = await resident.execute(LIST, {"c": hood.id})
        assert listed["notices"]["edges"][0]["node"]["title"] == notice["title"]
