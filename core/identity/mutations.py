"""Identity mutations: each takes one ``input`` and returns a payload with its result and
``errors: [IdentityError!]!``. Mutations that need a login raise UNAUTHENTICATED (a GraphQL
error, so clients refresh their token and retry); every other refusal is payload data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from linli.core.errors import Refused
from linli.core.graphql import GlobalID, error_type, require_login
from linli.core.identity import models as m
from linli.core.identity import service, sessions
from linli.core.identity.api import (
    AccountNode,
    CommunityKind,
    CommunityNode,
    Gender,
    Membership,
    PersonNode,
    ProxyGrantNode,
    Relation,
    Role,
    pk_of,
)

IdentityError = error_type(
    "IdentityError",
    codes=(
        "INVALID_PHONE",
        "PHONE_TAKEN",
        "INVALID_ID_NUMBER",
        "ID_NUMBER_TAKEN",
        "BIRTH_DATE_MISMATCH",
        "PASSWORD_TOO_SHORT",
        "PASSWORD_TOO_LONG",
        "INVALID_CREDENTIALS",
        "INVALID_CODE",
        "INVALID_TOKEN",
        "PROXY_NOT_VERIFIED",
        "ALREADY_VERIFIED",
        "CODE_TAKEN",
        "INVALID_PARENT",
        "SELF_PROXY",
        "ALREADY_GRANTED",
        "NOT_PENDING",
        "ALREADY_MEMBER",
    ),
    description="Why an identity mutation was refused.",
)

T = TypeVar("T")


async def attempt(info: Info, work: Callable[[], Awaitable[T]]) -> tuple[T | None, list[Any]]:
    """Run a use case: (its result, []) or (None, its refusal as payload errors)."""
    try:
        return await work(), []
    except Refused as refusal:
        return None, IdentityError.of(refusal, info)


def caller(info: Info) -> sessions.Caller:
    ctx = info.context
    return sessions.Caller(actor=ctx.actor, ip=ctx.client_ip, operation_keys=ctx.operation_keys)


# ---------------------------------------------------------------- inputs


@strawberry.input
class RegisterInput:
    phone: str
    password: str
    real_name: str
    community_id: GlobalID
    area_id: GlobalID | None = None
    household: str = ""
    birth_date: date | None = None
    gender: Gender = m.Gender.UNSPECIFIED
    id_number: str | None = strawberry.field(
        default=None, description="Stored only as a keyed hash and its last 4 characters."
    )


@strawberry.input
class LoginInput:
    phone: str
    password: str


@strawberry.input
class RequestLoginCodeInput:
    phone: str


@strawberry.input
class LoginWithCodeInput:
    phone: str
    code: str


@strawberry.input
class RefreshTokenInput:
    refresh_token: str


@strawberry.input
class LogoutInput:
    refresh_token: str | None = None


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str


@strawberry.input
class CreateCommunityInput:
    kind: CommunityKind
    name: str
    code: str
    parent_id: GlobalID | None = None
    time_zone: str = "Asia/Shanghai"
    locale: str = "zh-CN"


@strawberry.input(
    description="A person without an account, declared by the one who will act "
    "for them (verified by staff)."
)
class DependentInput:
    real_name: str
    community_id: GlobalID
    area_id: GlobalID | None = None
    household: str = ""
    birth_date: date | None = None
    gender: Gender = m.Gender.UNSPECIFIED
    id_number: str | None = None
    disabled: bool = False


@strawberry.input(
    description="Ask to act for a person: an existing one (personId) or a new dependent."
)
class GrantProxyInput:
    relation: Relation
    person_id: GlobalID | None = None
    dependent: DependentInput | None = None


@strawberry.input
class ProxyGrantIdInput:
    grant_id: GlobalID


@strawberry.input
class VerifyPersonInput:
    person_id: GlobalID
    id_number: str | None = None
    birth_date: date | None = None


@strawberry.input
class UpdatePersonInput:
    person_id: GlobalID
    household: str | None = None
    disabled: bool | None = None


@strawberry.input
class AddMemberInput:
    phone: str
    community_id: GlobalID
    role: Role = m.Role.RESIDENT


@strawberry.input
class SetRoleInput:
    account_id: GlobalID
    community_id: GlobalID
    role: Role
    granted: bool = True


# ---------------------------------------------------------------- payloads


@strawberry.type(description="Tokens of a new session (register, login, refreshToken).")
class AuthPayload:
    access_token: str | None = None
    refresh_token: str | None = None
    account: AccountNode | None = None
    errors: list[IdentityError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


@strawberry.type
class OkPayload:
    ok: bool = False
    errors: list[IdentityError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


@strawberry.type
class CommunityPayload:
    community: CommunityNode | None = None
    errors: list[IdentityError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


@strawberry.type
class PersonPayload:
    person: PersonNode | None = None
    errors: list[IdentityError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


@strawberry.type
class ProxyGrantPayload:
    grant: ProxyGrantNode | None = None
    errors: list[IdentityError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


@strawberry.type
class MembershipPayload:
    membership: Membership | None = None
    errors: list[IdentityError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


def auth_payload(session: sessions.Session | None, errors: list[Any]) -> AuthPayload:
    if session is None:
        return AuthPayload(errors=errors)
    return AuthPayload(
        access_token=session.access_token,
        refresh_token=session.refresh_token,
        account=AccountNode.from_model(session.account),
        errors=errors,
    )


def grant_payload(grant: m.ProxyGrant | None, errors: list[Any]) -> ProxyGrantPayload:
    return ProxyGrantPayload(
        grant=ProxyGrantNode.from_model(grant) if grant else None, errors=errors
    )


# ---------------------------------------------------------------- mutations


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(
        description="Create an account, its (unverified) person and a "
        "resident membership; returns a session."
    )
    async def register(self, info: Info, input: RegisterInput) -> AuthPayload:
        async def work() -> sessions.Session:
            data = sessions.Registration(
                phone=input.phone,
                password=input.password,
                real_name=input.real_name,
                community_id=pk_of(input.community_id, "Community", "communityId"),
                area_id=pk_of(input.area_id, "Community", "areaId"),
                household=input.household,
                birth_date=input.birth_date,
                gender=input.gender,
                id_number=input.id_number,
            )
            return await sessions.register(caller(info), data)

        return auth_payload(*await attempt(info, work))

    @strawberry.mutation(description="Log in with phone and password (throttled).")
    async def login(self, info: Info, input: LoginInput) -> AuthPayload:
        return auth_payload(
            *await attempt(info, lambda: sessions.login(caller(info), input.phone, input.password))
        )

    @strawberry.mutation(description="Send a one-time login code (6 digits, 5 minutes).")
    async def request_login_code(self, info: Info, input: RequestLoginCodeInput) -> OkPayload:
        _, errors = await attempt(
            info, lambda: sessions.request_login_code(caller(info), input.phone)
        )
        return OkPayload(ok=not errors, errors=errors)

    @strawberry.mutation(description="Log in with a one-time code (5 tries per code).")
    async def login_with_code(self, info: Info, input: LoginWithCodeInput) -> AuthPayload:
        return auth_payload(
            *await attempt(
                info, lambda: sessions.login_with_code(caller(info), input.phone, input.code)
            )
        )

    @strawberry.mutation(
        description="Exchange a refresh token for new tokens (rotated; a "
        "reused token ends its session)."
    )
    async def refresh_token(self, info: Info, input: RefreshTokenInput) -> AuthPayload:
        return auth_payload(*await attempt(info, lambda: sessions.refresh(input.refresh_token)))

    @strawberry.mutation(description="End the caller's session.")
    async def logout(self, info: Info, input: LogoutInput | None = None) -> OkPayload:
        actor = require_login(info).actor
        token = input.refresh_token if input else None
        _, errors = await attempt(info, lambda: sessions.logout(actor, token))
        return OkPayload(ok=not errors, errors=errors)

    @strawberry.mutation(description="Change the password; the account's other sessions end.")
    async def change_password(self, info: Info, input: ChangePasswordInput) -> OkPayload:
        require_login(info)
        _, errors = await attempt(
            info,
            lambda: sessions.change_password(
                caller(info), input.current_password, input.new_password
            ),
        )
        return OkPayload(ok=not errors, errors=errors)

    @strawberry.mutation(description="Create a street office, community or area (admins).")
    async def create_community(self, info: Info, input: CreateCommunityInput) -> CommunityPayload:
        actor = require_login(info).actor

        async def work() -> m.Community:
            return await service.create_community(
                actor,
                service.NewCommunity(
                    kind=input.kind,
                    name=input.name,
                    code=input.code,
                    parent_id=pk_of(input.parent_id, "Community", "parentId"),
                    time_zone=input.time_zone,
                    locale=input.locale,
                ),
            )

        row, errors = await attempt(info, work)
        return CommunityPayload(
            community=CommunityNode.from_model(row) if row else None, errors=errors
        )

    @strawberry.mutation(description="Ask to act for a person (pending until accepted).")
    async def grant_proxy(self, info: Info, input: GrantProxyInput) -> ProxyGrantPayload:
        actor = require_login(info).actor

        async def work() -> m.ProxyGrant:
            dep = input.dependent
            dependent = (
                None
                if dep is None
                else service.Dependent(
                    real_name=dep.real_name,
                    community_id=pk_of(dep.community_id, "Community", ["dependent", "communityId"]),
                    area_id=pk_of(dep.area_id, "Community", ["dependent", "areaId"]),
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
                person_id=pk_of(input.person_id, "Person", "personId"),
                dependent=dependent,
            )

        return grant_payload(*await attempt(info, work))

    @strawberry.mutation(description="Accept a grant (the person's account) or verify it (staff).")
    async def accept_proxy(self, info: Info, input: ProxyGrantIdInput) -> ProxyGrantPayload:
        actor = require_login(info).actor
        return grant_payload(
            *await attempt(
                info,
                lambda: service.accept_proxy(actor, pk_of(input.grant_id, "ProxyGrant", "grantId")),
            )
        )

    @strawberry.mutation(description="End a grant (the grantee, the person, or staff).")
    async def revoke_proxy(self, info: Info, input: ProxyGrantIdInput) -> ProxyGrantPayload:
        actor = require_login(info).actor
        return grant_payload(
            *await attempt(
                info,
                lambda: service.revoke_proxy(actor, pk_of(input.grant_id, "ProxyGrant", "grantId")),
            )
        )

    @strawberry.mutation(description="Verify a person's identity (staff of their community).")
    async def verify_person(self, info: Info, input: VerifyPersonInput) -> PersonPayload:
        actor = require_login(info).actor
        row, errors = await attempt(
            info,
            lambda: service.verify_person(
                actor,
                pk_of(input.person_id, "Person", "personId"),
                input.id_number,
                input.birth_date,
            ),
        )
        return PersonPayload(person=PersonNode.from_model(row) if row else None, errors=errors)

    @strawberry.mutation(
        description="Change a person's household or disability flag (the "
        "person, a verified proxy, or staff; audited when not the person)."
    )
    async def update_person(self, info: Info, input: UpdatePersonInput) -> PersonPayload:
        actor = require_login(info).actor
        row, errors = await attempt(
            info,
            lambda: service.update_person(
                actor,
                pk_of(input.person_id, "Person", "personId"),
                household=input.household,
                disabled=input.disabled,
            ),
        )
        return PersonPayload(person=PersonNode.from_model(row) if row else None, errors=errors)

    @strawberry.mutation(
        description="Add an account (by phone) to a community (staff; staff "
        "and admin roles need an admin)."
    )
    async def add_member(self, info: Info, input: AddMemberInput) -> MembershipPayload:
        actor = require_login(info).actor
        row, errors = await attempt(
            info,
            lambda: service.set_role(
                actor,
                phone=input.phone,
                community_id=pk_of(input.community_id, "Community", "communityId"),
                role=input.role,
                action="core.member.add",
            ),
        )
        return MembershipPayload(
            membership=Membership.from_model(row) if row else None, errors=errors
        )

    @strawberry.mutation(
        description="Give or take a role (staff: resident and volunteer; admins: any)."
    )
    async def set_role(self, info: Info, input: SetRoleInput) -> MembershipPayload:
        actor = require_login(info).actor
        row, errors = await attempt(
            info,
            lambda: service.set_role(
                actor,
                account_id=pk_of(input.account_id, "Account", "accountId"),
                community_id=pk_of(input.community_id, "Community", "communityId"),
                role=input.role,
                granted=input.granted,
            ),
        )
        return MembershipPayload(
            membership=Membership.from_model(row) if row else None, errors=errors
        )
