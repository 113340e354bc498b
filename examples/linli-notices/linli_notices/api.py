"""GraphQL: thin resolvers over service.py."""

from collections.abc import AsyncGenerator, AsyncIterable, Iterable
from datetime import datetime
from pathlib import Path

import strawberry
from strawberry.types import Info

from linli.core import graphql as g
from linli.core.errors import ApiError, Refused
from linli.core.i18n import load_json
from linli.core.identity.access import can
from linli_notices import rules, service
from linli_notices.models import Notice as Row

load_json(Path(__file__).with_name("messages.json"))
PostNoticeError = g.error_type("PostNoticeError", rules.CODES)


@strawberry.type(description="A notice posted by a community's staff (居务公开).")
class Notice(g.Node):
    id: g.NodeID[int]
    community_id: int
    title: str
    body: str
    posted_at: datetime

    @classmethod
    def of(cls, row: Row) -> "Notice":
        return cls(
            id=row.id,
            community_id=row.community_id,
            title=row.title,
            body=row.body,
            posted_at=row.posted_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = {row.id: row for row in await Row.filter(id__in=[int(i) for i in node_ids])}
        return [
            cls.of(r)
            if (r := rows.get(int(i))) and can(info.context.actor, "notices.read", r.community_id)
            else None
            for i in node_ids
        ]


@strawberry.input
class PostNoticeInput:
    community_id: int
    title: str
    body: str


@strawberry.type
class PostNoticePayload:
    notice: Notice | None = None
    errors: list[PostNoticeError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


@strawberry.type
class NoticeMutation:
    @strawberry.mutation(description="Post a notice to a community (its staff only).")
    async def post_notice(self, info: Info, input: PostNoticeInput) -> PostNoticePayload:
        ctx = info.context
        try:
            row = await service.post(
                ctx.actor, input.community_id, input.title, input.body, ctx.now()
            )
        except Refused as refusal:
            return PostNoticePayload(errors=PostNoticeError.of(refusal, info))
        return PostNoticePayload(notice=Notice.of(row))


@strawberry.type
class NoticeQuery:
    @g.connection(g.Connection[Notice], description="A community's notices, newest first.")
    def notices(self, info: Info, community_id: int) -> AsyncIterable[Notice]:
        try:
            return g.mapped(service.listing(info.context.actor, community_id), Notice.of)
        except Refused as refusal:
            raise ApiError(refusal.code, info.context.locale) from None


@strawberry.type
class NoticeSubscription:
    @strawberry.subscription(description="Each notice posted to a community from now on.")
    async def notice_posted(self, info: Info, community_id: int) -> AsyncGenerator[Notice, None]:
        try:
            events = service.follow(info.context.actor, community_id)
        except Refused as refusal:
            raise ApiError(refusal.code, info.context.locale) from None
        async with events as posted:
            async for event in posted:
                if row := await Row.get_or_none(id=event.payload["id"]):
                    yield Notice.of(row)
