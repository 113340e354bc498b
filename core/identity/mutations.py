"""Identity mutations: each takes one ``input`` and returns a payload with its result and
``errors: [IdentityError!]!``. Mutations that need a login raise UNAUTHENTICATED (a GraphQL
error, so clients refresh their token and retry); every other refusal is payload data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.types import Info

from linli.core.graphql import pk, require_login
from linli.core.identity import communities, registration, service, sessions, throttle
from linli.core.identity import models as m
from linli.core.identity.inputs import (
    AcceptProxyInput,
    AcceptProxyPayload,
    AddMemberInput,
    AddMemberPayload,
    ChangePasswordInput,
    ChangePasswordPayload,
    CreateCommunityInput,
    CreateCommunityPayload,
    GrantProxyInput,
    GrantProxyPayload,
    IdentityError,
    LoginInput,
    LoginPayload,
    LoginWithCodeInput,
    LoginWithCodePayload,
    LogoutInput,
    LogoutPayload,
    RefreshTokenInput,
    RefreshTokenPayload,
    RegisterInput,
    RegisterPayload,
    RequestLoginCodeInput,
    RequestLoginCodePayload,
    RevokeProxyInput,
    RevokeProxyPayload,
    SetRoleInput,
    SetRolePayload,
    UpdatePersonInput,
    UpdatePersonPayload,
    VerifyPersonInput,
    VerifyPersonPayload,
)
from linli.core.identity.nodes import (
    AccountNode,
    CommunityNode,
    Membership,
    PersonNode,
    ProxyGrantNode,
)

attempt = IdentityError.attempt  # (result, []) or (None, the refusal as payload errors)


def caller(info: Info) -> sessions.Caller:
    ctx = info.context
    return sessions.Caller(actor=ctx.actor, ip=ctx.client_ip, operation_keys=ctx.operation_keys)


async def lookup(info: Info) -> None:
    """Count a look-up by phone or ID number (Refused RATE_LIMITED past the limit)."""
    ctx = info.context
    await throttle.lookup(ctx.actor.account_id, ctx.client_ip, ctx.operation_keys)


def auth_payload(payload: Any, session: sessions.Session | None, errors: list[Any]) -> Any:
    if session is None:
        return payload(errors=errors)
    return payload(
        access_token=session.access_token,
        refresh_token=session.refresh_token,
        account=AccountNode.from_model(session.account),
        errors=errors,
    )


def grant_payload(payload: Any, grant: m.ProxyGrant | None, errors: list[Any]) -> Any:
    return payload(grant=ProxyGrantNode.from_model(grant) if grant else None, errors=errors)


def person_payload(payload: Any, person: m.Person | None, errors: list[Any]) -> Any:
    return payload(person=PersonNode.from_model(person) if person else None, errors=errors)


def membership_payload(payload: Any, row: m.Membership | None, errors: list[Any]) -> Any:
    return payload(membership=Membership.from_model(row) if row else None, errors=errors)


def grant_step(
    input_type: Any,
    payload: Any,
    work: Callable[[Any, int], Awaitable[m.ProxyGrant]],
    description: str,
) -> Any:
    """A mutation that moves one proxy grant on (``input: {grantId}``), by the logged-in caller."""

    async def resolve(self: Any, info: Info, input: Any) -> Any:
        actor = require_login(info).actor
        return grant_payload(
            payload,
            *await attempt(
                info, lambda: work(actor, pk(input.grant_id, "ProxyGrant", field="grantId"))
            ),
        )

    resolve.__annotations__ = {"info": Info, "input": input_type, "return": payload}
    return strawberry.mutation(resolver=resolve, description=description)


# ---------------------------------------------------------------- mutations


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(
        description="Create an account, its (unverified) person and a "
        "resident membership, for a phone proved by its one-time code (requestLoginCode); "
        "returns a session."
    )
    async def register(self, info: Info, input: RegisterInput) -> RegisterPayload:
        async def work() -> sessions.Session:
            data = registration.Registration(
                phone=input.phone,
                code=input.code,
                password=input.password,
                real_name=input.real_name,
                community_id=pk(input.community_id, "Community", field="communityId"),
                area_id=pk(input.area_id, "Community", field="areaId"),
                household=input.household,
                birth_date=input.birth_date,
                gender=input.gender,
                id_number=input.id_number,
            )
            return await registration.register(caller(info), data)

        return auth_payload(RegisterPayload, *await attempt(info, work))

    @strawberry.mutation(description="Log in with phone and password (throttled).")
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        return auth_payload(
            LoginPayload,
            *await attempt(info, lambda: sessions.login(caller(info), input.phone, input.password)),
        )

    @strawberry.mutation(
        description="Send a one-time code (6 digits, 5 minutes) to a phone, registered or "
        "not: it logs in (loginWithCode) or proves the phone for register. The same answer "
        "either way."
    )
    async def request_login_code(
        self, info: Info, input: RequestLoginCodeInput
    ) -> RequestLoginCodePayload:
        _, errors = await attempt(
            info, lambda: sessions.request_login_code(caller(info), input.phone)
        )
        return RequestLoginCodePayload(ok=not errors, errors=errors)

    @strawberry.mutation(description="Log in with a one-time code (5 tries per code).")
    async def login_with_code(self, info: Info, input: LoginWithCodeInput) -> LoginWithCodePayload:
        return auth_payload(
            LoginWithCodePayload,
            *await attempt(
                info, lambda: sessions.login_with_code(caller(info), input.phone, input.code)
            ),
        )

    @strawberry.mutation(
        description="Exchange a refresh token for new tokens (rotated; a "
        "reused token ends its session)."
    )
    async def refresh_token(self, info: Info, input: RefreshTokenInput) -> RefreshTokenPayload:
        return auth_payload(
            RefreshTokenPayload, *await attempt(info, lambda: sessions.refresh(input.refresh_token))
        )

    @strawberry.mutation(description="End the caller's session.")
    async def logout(self, info: Info, input: LogoutInput | None = None) -> LogoutPayload:
        actor = require_login(info).actor
        token = input.refresh_token if input else None
        _, errors = await attempt(info, lambda: sessions.logout(actor, token))
        return LogoutPayload(ok=not errors, errors=errors)

    @strawberry.mutation(description="Change the password; the account's other sessions end.")
    async def change_password(
        self, info: Info, input: ChangePasswordInput
    ) -> ChangePasswordPayload:
        require_login(info)
        _, errors = await attempt(
            info,
            lambda: sessions.change_password(
                caller(info), input.current_password, input.new_password
            ),
        )
        return ChangePasswordPayload(ok=not errors, errors=errors)

    @strawberry.mutation(description="Create a street office, community or area (admins).")
    async def create_community(
        self, info: Info, input: CreateCommunityInput
    ) -> CreateCommunityPayload:
        actor = require_login(info).actor

        async def work() -> m.Community:
            return await communities.create_community(
                actor,
                communities.NewCommunity(
                    kind=input.kind,
                    name=input.name,
                    code=input.code,
                    parent_id=pk(input.parent_id, "Community", field="parentId"),
                    time_zone=input.time_zone,
                    locale=input.locale,
                ),
            )

        row, errors = await attempt(info, work)
        return CreateCommunityPayload(
            community=CommunityNode.from_model(row) if row else None, errors=errors
        )

    @strawberry.mutation(description="Ask to act for a person (pending until accepted).")
    async def grant_proxy(self, info: Info, input: GrantProxyInput) -> GrantProxyPayload:
        actor = require_login(info).actor

        async def work() -> m.ProxyGrant:
            dep = input.dependent
            if input.person_id is not None or (dep is not None and dep.id_number):
                await lookup(info)  # a person id or an ID number: whether it exists
            dependent = (
                None
                if dep is None
                else service.Dependent(
                    real_name=dep.real_name,
                    community_id=pk(
                        dep.community_id, "Community", field=["dependent", "communityId"]
                    ),
                    area_id=pk(dep.area_id, "Community", field=["dependent", "areaId"]),
                    household=dep.household,
                    birth_date=dep.birth_date,
                    gender=dep.gender,
                    id_number=dep.id_number,
                    disabled=dep.disabled,
                )
            )
            return await service.grant_proxy(
                actor,
                input.relation,
                person_id=pk(input.person_id, "Person", field="personId"),
                dependent=dependent,
            )

        return grant_payload(GrantProxyPayload, *await attempt(info, work))

    accept_proxy = grant_step(
        AcceptProxyInput,
        AcceptProxyPayload,
        service.accept_proxy,
        "Accept a grant (the person's account) or verify it (staff).",
    )
    revoke_proxy = grant_step(
        RevokeProxyInput,
        RevokeProxyPayload,
        service.revoke_proxy,
        "End a grant (the grantee, the person, or staff).",
    )

    @strawberry.mutation(description="Verify a person's identity (staff of their community).")
    async def verify_person(self, info: Info, input: VerifyPersonInput) -> VerifyPersonPayload:
        actor = require_login(info).actor
        row, errors = await attempt(
            info,
            lambda: service.verify_person(
                actor,
                pk(input.person_id, "Person", field="personId"),
                input.id_number,
                input.birth_date,
            ),
        )
        return person_payload(VerifyPersonPayload, row, errors)

    @strawberry.mutation(
        description="Change a person's household or disability flag (the "
        "person, a verified proxy, or staff; audited when not the person)."
    )
    async def update_person(self, info: Info, input: UpdatePersonInput) -> UpdatePersonPayload:
        actor = require_login(info).actor
        row, errors = await attempt(
            info,
            lambda: service.update_person(
                actor,
                pk(input.person_id, "Person", field="personId"),
                household=input.household,
                disabled=input.disabled,
            ),
        )
        return person_payload(UpdatePersonPayload, row, errors)

    @strawberry.mutation(
        description="Add an account (by phone) to a community (staff; staff "
        "and admin roles need an admin)."
    )
    async def add_member(self, info: Info, input: AddMemberInput) -> AddMemberPayload:
        actor = require_login(info).actor

        async def work() -> m.Membership | None:
            await lookup(info)  # NOT_FOUND answers whether a phone is registered: throttled
            return await communities.set_role(
                actor,
                phone=input.phone,
                community_id=pk(input.community_id, "Community", field="communityId"),
                role=input.role,
                action="core.member.add",
            )

        return membership_payload(AddMemberPayload, *await attempt(info, work))

    @strawberry.mutation(
        description="Give or take a role (staff: resident and volunteer; admins: any)."
    )
    async def set_role(self, info: Info, input: SetRoleInput) -> SetRolePayload:
        actor = require_login(info).actor
        row, errors = await attempt(
            info,
            lambda: communities.set_role(
                actor,
                account_id=pk(input.account_id, "Account", field="accountId"),
                community_id=pk(input.community_id, "Community", field="communityId"),
                role=input.role,
                granted=input.granted,
            ),
        )
        return membership_payload(SetRolePayload, row, errors)
