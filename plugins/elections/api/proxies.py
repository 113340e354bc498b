"""Proxies (E10): grantVotingProxy, accept/declineVotingProxy, withdrawVotingProxy,
votingProxies(electionId) (the published list: who holds whose proxy)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from linli.core import graphql as g
from linli.core.graphql import GlobalID, ModelNode, from_row, model_nodes, pk

from .. import models
from ..service import proxies as service
from .elections import election_for
from .nominations import names_of
from .types import ElectionError


async def _visible(actor, row) -> bool:
    from linli.core.identity.access import can

    election = await models.Election.get_or_none(pk=row.election_id)
    return election is not None and can(actor, "elections.view", election.community_id)


@strawberry.type(name="ElectionProxy", description="E10 a written proxy (委托投票).")
class Proxy(ModelNode):
    relation: str
    via: str = strawberry.field(description="FORM (recorded by staff) or APP (both sides).")
    status: str = strawberry.field(description="PENDING, GRANTED, WITHDRAWN, DECLINED or VOID.")
    grantor_pk: strawberry.Private[int]
    holder_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.Proxy) -> Proxy:
        return from_row(cls, row, grantor_pk=row.grantor_person_id,
                        holder_pk=row.holder_person_id)

    @strawberry.field
    def grantor_id(self) -> GlobalID:
        return GlobalID("Person", str(self.grantor_pk))

    @strawberry.field
    def holder_id(self) -> GlobalID:
        return GlobalID("Person", str(self.holder_pk))

    @strawberry.field
    async def grantor_name(self, info: Info) -> str:
        return await names_of.load(info, self.grantor_pk)

    @strawberry.field
    async def holder_name(self, info: Info) -> str:
        return await names_of.load(info, self.holder_pk)

    resolve_nodes = model_nodes(models.Proxy, visible_to=_visible)


@strawberry.input
class GrantVotingProxyInput:
    election_id: GlobalID
    holder_id: GlobalID
    relation: str = strawberry.field(
        description="As declared on the form: SPOUSE, PARENT, CHILD, SIBLING, GRANDPARENT or "
        "GRANDCHILD (近亲属); anything else is refused NOT_A_CLOSE_RELATIVE.")
    grantor_id: GlobalID | None = strawberry.field(
        default=None, description="Staff recording a written form: the voter who grants. "
        "Omitted: the caller grants in the app, and the holder accepts.")


@strawberry.input
class ProxyInput:
    proxy_id: GlobalID


AcceptVotingProxyInput = strawberry.input(type("AcceptVotingProxyInput", (ProxyInput,), {}))
DeclineVotingProxyInput = strawberry.input(type("DeclineVotingProxyInput", (ProxyInput,), {}))
WithdrawVotingProxyInput = strawberry.input(type("WithdrawVotingProxyInput", (ProxyInput,), {}))

def _proxy(input: ProxyInput) -> int:
    return pk(input.proxy_id, "ElectionProxy", field="proxyId")


@g.mutation(proxy=Proxy, error=ElectionError,
            description="A voter's proxy to a close relative on the roll (E10).")
async def grant_voting_proxy(info: Info, input: GrantVotingProxyInput) -> models.Proxy:
    relation = input.relation.strip().upper()[:16]
    return await service.grant(
        info.context.actor, pk(input.election_id, "Election", field="electionId"),
        grantor=pk(input.grantor_id, "Person", field="grantorId"),
        holder=pk(input.holder_id, "Person", field="holderId"), relation=relation)


@g.mutation(proxy=Proxy, error=ElectionError,
            description="The holder accepts a proxy asked for in the app (E10).")
async def accept_voting_proxy(info: Info, input: AcceptVotingProxyInput) -> models.Proxy:  # type: ignore[valid-type]
    return await service.answer(info.context.actor, _proxy(input), accept=True)


@g.mutation(proxy=Proxy, error=ElectionError,
            description="The holder declines a proxy asked for in the app (E10).")
async def decline_voting_proxy(info: Info, input: DeclineVotingProxyInput) -> models.Proxy:  # type: ignore[valid-type]
    return await service.answer(info.context.actor, _proxy(input), accept=False)


@g.mutation(proxy=Proxy, error=ElectionError,
            description="The grantor (or staff, from a written withdrawal) withdraws a proxy, "
            "until voting opens (E10).")
async def withdraw_voting_proxy(info: Info, input: WithdrawVotingProxyInput) -> models.Proxy:  # type: ignore[valid-type]
    return await service.withdraw(info.context.actor, _proxy(input))


@strawberry.field(description="The published proxy list: every granted proxy (E10).")
async def voting_proxies(info: Info, election_id: GlobalID) -> list[Proxy]:
    election = await election_for(info, election_id)
    rows = await models.Proxy.filter(election_id=election.pk, status="GRANTED").order_by("id")
    return [Proxy.from_model(r) for r in rows]
