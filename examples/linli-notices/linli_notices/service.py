"""Use cases: one transaction each. The audit line commits with the act, and the event goes
out only after the commit (``publish`` inside ``atomic`` waits for it). Reads need no use
case: the API checks ``notices.read`` and filters the model itself."""

from linli.core import audit, db, kit
from linli_notices import models, rules

POSTED = kit.EventType("notices.posted", keys=["community_id"], id=int, community_id=int)


async def post(actor: kit.Actor, community_id: int, title: str, body: str) -> models.Notice:
    kit.require(actor, "notices.post", community_id)
    text = rules.checked(title, body)
    async with db.atomic():
        notice = await models.Notice.create(community_id=community_id, posted_at=kit.now(), **text)
        await audit.record(actor, "notices.post", community_id=community_id, obj=notice)
        await POSTED.publish(id=notice.id, community_id=community_id)
    return notice
