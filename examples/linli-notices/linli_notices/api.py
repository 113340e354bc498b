"""GraphQL: thin resolvers over service.py, built with the kit in ``linli.core.graphql``
(global ids decoded by ``pk``, refusals turned into payload errors by ``attempt``)."""

from collections.abc import AsyncIterable, AsyncIterator
from datetime import datetime

import strawberry

from linli.core import graphql as g
from linli_notices import service
from linli_notices.models import Notice as Row

PostNoticeError = g.error_type("PostNoticeError")  # codes: messages.json's


@strawberry.type(description="A notice posted by a community's staff (居务公开).")
class Notice(g.ModelNode):
    community_id: g.GlobalID
    title: str
    body: str
    posted_at: datetime

    @classmethod
    def from_model(cls, row: Row) -> "Notice":
        return g.from_row(cls, row, community_id=g.global_id("Community", row.community_id))

    # node(id:) answers null unless the caller may read notices in the notice's community
    resolve_nodes = g.model_nodes(Row, visible="notices.read")


@strawberry.input
class PostNoticeInput:
    community_id: g.GlobalID
    title: str
    body: str


PostNoticePayload = g.payload_type("PostNoticePayload", PostNoticeError, notice=Notice)


@strawberry.mutation(description="Post a notice to a community (its staff only).")
async def post_notice(info: g.Info, input: PostNoticeInput) -> PostNoticePayload:
    def post():  # inside attempt(), so a bad id is an error in the payload too
        community = g.pk(input.community_id, "Community", field="communityId")
        return service.post(info.context.actor, community, input.title, input.body)

    row, errors = await PostNoticeError.attempt(info, post)
    return PostNoticePayload(notice=row and Notice.from_model(row), errors=errors)


@g.connection(g.Connection[Notice], description="A community's notices, newest first.")
def notices(info: g.Info, community_id: g.GlobalID) -> AsyncIterable[Notice]:
    community = g.allowed_community(info, "notices.read", community_id)
    return g.mapped(Row.filter(community_id=community).order_by("-id"), Notice.from_model)


@strawberry.subscription(description="Each notice posted to a community from now on.")
async def notice_posted(info: g.Info, community_id: g.GlobalID) -> AsyncIterator[Notice]:
    community = g.allowed_community(info, "notices.read", community_id)  # at subscribe
    async for row in g.follow(service.POSTED.topic(community_id=community), Row):
        yield Notice.from_model(row)
