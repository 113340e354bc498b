"""Use cases: one transaction each; the event goes out after the commit."""

from datetime import datetime

from linli.core import audit
from linli.core.actor import Actor
from linli.core.db import atomic
from linli.core.errors import Refused
from linli.core.events import publish, subscribe
from linli.core.identity.access import require
from linli_notices import rules
from linli_notices.models import Notice


def topic(community_id: int) -> str:
    return f"notices.posted.{community_id}"


async def post(actor: Actor, community_id: int, title: str, body: str, now: datetime) -> Notice:
    require(actor, "notices.post", community_id)
    if found := rules.problem(title, body):
        raise Refused(found[0], field=found[1], max=found[2])
    async with atomic():
        notice = await Notice.create(
            community_id=community_id,
            title=title.strip(),
            body=body.strip(),
            author_account_id=actor.account_id,
            posted_at=now,
        )
        await audit.record(actor, "notices.post", community_id=community_id, obj=notice)
        await publish(topic(community_id), {"id": notice.id, "communityId": community_id})
    return notice


def listing(actor: Actor, community_id: int):  # a queryset, newest first; the API slices it
    require(actor, "notices.read", community_id)
    return Notice.filter(community_id=community_id).order_by("-id")


def follow(actor: Actor, community_id: int):  # ``async with follow(...) as events``
    require(actor, "notices.read", community_id)
    return subscribe(topic(community_id))
