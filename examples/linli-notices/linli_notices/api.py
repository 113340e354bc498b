"""GraphQL, declared with the kit in ``linli.core.graphql``: a node type, an input, and one
decorator per field (each joins the schema without a hook, named after its function)."""

from datetime import datetime

import strawberry

from linli.core import graphql as g
from linli_notices import models, service


@strawberry.type(description="A notice posted by a community's staff (居务公开).")
class Notice(g.ModelNode, model=models.Notice, visible="notices.read"):  # node(id:): readers
    community_id: g.GlobalID  # the global id of the row's community foreign key
    title: str
    body: str
    posted_at: datetime


PostNoticeInput = g.input_type("PostNoticeInput", community_id=g.GlobalID, title=str, body=str)


@g.mutation(notice=Notice, description="Post a notice to a community (its staff only).")
async def post_notice(info: g.Info, input: PostNoticeInput) -> models.Notice:
    community = g.pk(input.community_id, "Community", field="communityId")  # a bad id: errors
    return await service.post(info.context.actor, community, input.title, input.body)


@g.community_list(Notice, description="A community's notices, newest first.")
def notices(community_id: int):  # the caller may read notices there: the decorator checked
    return models.Notice.filter(community_id=community_id).order_by("-id")


@g.community_feed(service.POSTED, description="Each notice posted to a community from now on.")
def notice_posted(row: models.Notice) -> Notice:  # checked when the subscription starts
    return Notice.from_model(row)
