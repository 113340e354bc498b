"""The example plugin in-process (ASGI): found by its entry point, its rules, permissions,
pagination, Relay node and subscription. The live-server tests repeat the main path over TCP."""

from __future__ import annotations

import pytest
from conftest import token

from linli.core.identity.access import registered

POST = """
mutation Post($input: PostNoticeInput!) {
  postNotice(input: $input) { notice { id title postedAt } errors { code field message } }
}"""
PAGE = """
query Page($c: Int!, $after: String) {
  notices(communityId: $c, first: 2, after: $after) {
    edges { node { title } } pageInfo { hasNextPage endCursor }
  }
}"""


async def post(gql, community, title="停电通知", body="周五停电。", role="staff", locale=None):
    return await gql.mutate(
        POST,
        {"communityId": community, "title": title, "body": body},
        token=token(1, community, role),
        locale=locale,
    )


async def test_installed_by_entry_point(linli_app):
    import linli_notices

    assert linli_app.state.plugins.module("notices") is linli_notices
    assert linli_app.state.plugins.manifests["notices"].version == "0.1.0"
    assert {"notices.post", "notices.read"} <= set(registered())


async def test_staff_post_and_residents_page_through(gql, community, clock):
    for n in range(5):
        payload = await post(gql, community, title=f"通知 {n}")
        assert payload["errors"] == []
        assert payload["notice"]["postedAt"].startswith(clock.now().date().isoformat())
    resident = token(2, community, "resident")
    titles, after = [], None
    while True:
        page = (await gql.query(PAGE, {"c": community, "after": after}, token=resident))["notices"]
        titles += [edge["node"]["title"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert titles == [f"通知 {n}" for n in reversed(range(5))]


@pytest.mark.parametrize(
    ("title", "body", "code", "field", "message"),
    [
        ("  ", "正文", "TITLE_REQUIRED", ["title"], "请填写标题。"),
        ("长" * 101, "正文", "TITLE_TOO_LONG", ["title"], "标题不能超过 100 个字。"),
        ("标题", "", "BODY_REQUIRED", ["body"], "请填写正文。"),
    ],
)
async def test_rules_refuse_with_localized_errors(
    gql, community, title, body, code, field, message
):
    payload = await post(gql, community, title=title, body=body)
    error = {"code": code, "field": field, "message": message}
    assert payload == {"notice": None, "errors": [error]}


async def test_who_may_do_what(gql, community):
    refused = await post(gql, community, role="resident", locale="en")
    assert refused["errors"][0]["code"] == "FORBIDDEN"
    other = await gql.mutate(
        POST,
        {"communityId": community, "title": "t", "body": "b"},
        token=token(1, community + 1, "staff"),
    )
    assert other["errors"][0]["code"] == "FORBIDDEN"  # staff act only in their own community
    anonymous = await gql.execute(PAGE, {"c": community}, locale="en")
    assert anonymous.codes == ["UNAUTHENTICATED"]
    assert anonymous.errors[0]["message"] == "Please log in first."


async def test_node_by_global_id_respects_permission(gql, community):
    notice = (await post(gql, community))["notice"]
    query = "query N($id: ID!) { node(id: $id) { ... on Notice { title } } }"
    mine = await gql.query(query, {"id": notice["id"]}, token=token(2, community, "resident"))
    assert mine["node"] == {"title": "停电通知"}
    theirs = await gql.query(query, {"id": notice["id"]}, token=token(2, community + 1, "resident"))
    assert theirs["node"] is None


async def test_subscription_in_process(gql, community):
    async with gql.websocket(token(2, community, "resident")) as ws:
        query = "subscription S($c: Int!) { noticePosted(communityId: $c) { title } }"
        op = await ws.subscribe(query, {"c": community})
        # ``subscribe`` is not acknowledged: post until the subscriber is in place and hears one.
        for attempt in range(20):
            await post(gql, community, title=f"防汛通知 {attempt}")
            try:
                message = await ws.next(op, timeout=0.25)
                break
            except TimeoutError:
                continue
        assert message["type"] == "next"
        assert message["payload"]["data"]["noticePosted"]["title"].startswith("防汛通知")
