"""A real ``linli serve`` on loopback: GraphQL over HTTP, subscriptions over
graphql-transport-ws (with linli_client), and two instances sharing PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from conftest import token

from linli.testing import requires_postgres_and_redis
from linli_client import ConnectionClosed, GraphQLErrors, LinliClient

POST = """
mutation Post($input: PostNoticeInput!) {
  postNotice(input: $input) { notice { id title } errors { code field message } }
}"""
FOLLOW = """subscription Follow($c: Int!) {
  noticePosted(communityId: $c) { id communityId title body }
}"""
LIST = "query List($c: Int!) { notices(communityId: $c, first: 10) { edges { node { title } } } }"


async def post_until_heard(
    writer: LinliClient, listener: LinliClient, community: int
) -> dict[str, Any]:
    """Subscribe with ``listener``, post with ``writer`` until the subscription yields.

    A graphql-transport-ws ``subscribe`` is not acknowledged, so the first post may come before
    the server has registered the subscriber: post again (a few times at most) until one arrives.
    """
    posted: dict[str, str] = {}
    async with listener.subscribe(FOLLOW, {"c": community}) as events:
        heard = asyncio.ensure_future(anext(events))
        for attempt in range(20):
            notice = {
                "communityId": community,
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
    assert notice["communityId"] == community
    assert notice["body"] == "周三 9:00-12:00 停水。"
    return notice


async def test_query_over_http(serve):
    server = serve()
    async with LinliClient(server.url) as client:
        data = await client.execute("{ serverInfo { version plugins { name } } }")
        assert {"notices", "test_actors"} <= {p["name"] for p in data["serverInfo"]["plugins"]}
        # and over GET, as a browser or a CDN cache would send it
        again = await client.execute("{ serverInfo { version } }", method="GET")
        assert again["serverInfo"]["version"] == data["serverInfo"]["version"]


async def test_subscriber_receives_a_notice_posted_over_http(serve, community):
    server = serve()
    staff = LinliClient(server.url, token=token(1, community, "staff"))
    resident = LinliClient(server.url, token=token(2, community, "resident"), locale="en")
    async with staff, resident:
        notice = await post_until_heard(staff, resident, community)
        listed = await resident.execute(LIST, {"c": community})
        assert notice["title"] in [e["node"]["title"] for e in listed["notices"]["edges"]]
        # A resident may read but not post; the refusal is data, in the caller's language.
        refused = await resident.mutate(
            POST,
            {"input": {"communityId": community, "title": "x", "body": "y"}},
            raise_user_errors=False,
        )
        assert refused["notice"] is None
        assert refused["errors"] == [
            {"code": "FORBIDDEN", "field": None, "message": "You are not allowed to do this."}
        ]


async def test_subscription_is_checked_at_connect(serve, community):
    server = serve()
    async with LinliClient(server.url) as anonymous:
        with pytest.raises(GraphQLErrors) as refused:
            async with anonymous.subscribe(FOLLOW, {"c": community}) as events:
                await anext(events)
        assert refused.value.codes == ["UNAUTHENTICATED"]
    outsider = LinliClient(server.url, token=token(3, community + 1, "resident"))
    async with outsider:
        with pytest.raises(GraphQLErrors) as refused:
            async with outsider.subscribe(FOLLOW, {"c": community}) as events:
                await anext(events)
        assert refused.value.codes == ["FORBIDDEN"]
    # a token nobody accepts is refused when the socket opens (4403)
    async with LinliClient(server.url, token="not-a-token") as forged:
        with pytest.raises(ConnectionClosed) as closed:
            async with forged.subscribe(FOLLOW, {"c": community}) as events:
                await anext(events)
        assert closed.value.code == 4403


@requires_postgres_and_redis
async def test_two_instances_share_postgres_and_redis(serve, community):
    first, second = serve(), serve()
    staff = LinliClient(second.url, token=token(1, community, "staff"))
    resident = LinliClient(first.url, token=token(2, community, "resident"))
    async with staff, resident:
        notice = await post_until_heard(staff, resident, community)
        # The write went through the second instance; the first reads it from the shared database.
        listed = await resident.execute(LIST, {"c": community})
        assert listed["notices"]["edges"][0]["node"]["title"] == notice["title"]
