"""The plugin's own tests, as its author ships them: linli.testing's fixtures (installed with
linli, found by pytest), no conftest, no ini settings. Run them with ``pytest`` in this folder
once the plugin is installed (``pip install -e .``)."""

import pytest

from linli.core.errors import Refused
from linli.testing import global_id, make_account, make_community
from linli_notices import rules

POST = """mutation($input: PostNoticeInput!) {
  postNotice(input: $input) { notice { title } errors { code field message } } }"""
LIST = "query($c: ID!) { notices(communityId: $c, first: 10) { edges { node { title } } } }"
FOLLOW = "subscription($c: ID!) { noticePosted(communityId: $c) { title } }"


@pytest.fixture
async def hood(gql):
    community = await make_community()
    return {
        "id": global_id("Community", community.pk),
        "staff": await make_account("staff", community),
        "resident": await make_account("resident", community),
    }


def notice(hood, title="停水通知", body="周五停水。"):
    return {"communityId": hood["id"], "title": title, "body": body}


async def test_staff_post_and_residents_hear_it_live(gql, hood):
    async with gql.websocket(hood["resident"].token) as ws:
        op = await ws.subscribe(FOLLOW, {"c": hood["id"]})  # returns once it is in place
        posted = await gql.mutate(POST, notice(hood), token=hood["staff"].token)
        assert posted == {"notice": {"title": "停水通知"}, "errors": []}
        message = await ws.next(op)
    assert message["payload"]["data"]["noticePosted"] == {"title": "停水通知"}


async def test_residents_may_not_post_and_outsiders_may_not_read(gql, hood):
    refused = await gql.mutate(POST, notice(hood), token=hood["resident"].token)
    assert refused["notice"] is None and refused["errors"][0]["code"] == "FORBIDDEN"
    outsider = await make_account("resident")
    listed = await gql.execute(LIST, {"c": hood["id"]}, token=outsider.token)
    assert listed.codes == ["FORBIDDEN"]
    members = await gql.query(LIST, {"c": hood["id"]}, token=hood["resident"].token)
    assert members["notices"]["edges"] == []


async def test_a_refusal_is_coded_and_localized(gql, hood):
    staff = hood["staff"].token
    payload = await gql.mutate(POST, notice(hood, title=" "), token=staff, locale="en")
    error = {"code": "TITLE_REQUIRED", "field": ["title"], "message": "A title is required."}
    assert payload == {"notice": None, "errors": [error]}


def test_rules_trim_and_refuse_without_any_fixture():
    assert rules.checked(" 标题 ", " 正文 ") == {"title": "标题", "body": "正文"}
    with pytest.raises(Refused) as refused:
        rules.checked("标题", "长" * 5001)
    assert (refused.value.code, refused.value.field) == ("BODY_TOO_LONG", ["body"])
