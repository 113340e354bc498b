"""Use cases: one transaction each. The audit line commits with the act, and the event goes
out only after the commit (``publish`` inside ``atomic`` waits for it). Reads need no use
case: the API checks ``notices.read`` and filters the model itself."""

from linli import EventType
from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.identity.access import require
from linli_notices import rules
from linli_notices.models import Notice

POSTED = EventType("notices.posted", keys=["community_id"], id=int, community_id=int)


async def post(actor: Actor, community_id: int, title: str, body: str) -> Notice:
    require(actor, "notices.post", community_id)
    text, now = rules.checked(title, body), kit.now()
    async with db.atomic():
        notice = await Notice.create(community_id=community_id, posted_at=now, **text)
        await audit.record(actor, "notices.post", community_id=community_id, obj=notice)
        await POSTED.publish(id=notice.id, community_id=community_id)
    return notice
