"""Identity mutations' inputs and payloads, and their error type ``IdentityError``."""

from __future__ import annotations

from datetime import date

import strawberry

from linli.core.graphql import GlobalID, error_type, payload_type
from linli.core.identity import models as m
from linli.core.identity.nodes import (
    AccountNode,
    CommunityKind,
    CommunityNode,
    Gender,
    Membership,
    PersonNode,
    ProxyGrantNode,
    Relation,
    Role,
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

# ---------------------------------------------------------------- inputs


@strawberry.input(
    description="A new account. The phone is proved by the one-time code that "
    "requestLoginCode sent to it."
)
class RegisterInput:
    phone: str
    code: str = strawberry.field(description="The one-time code sent to the phone.")
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
class AcceptProxyInput:
    grant_id: GlobalID


@strawberry.input
class RevokeProxyInput:
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


# One payload per mutation, named after it (docs/api.md, the naming rule).


def _session(name: str) -> type:
    return payload_type(
        name,
        IdentityError,
        "Tokens of a new session.",
        access_token=str,
        refresh_token=str,
        account=AccountNode,
    )


def _ok(name: str) -> type:
    return payload_type(name, IdentityError, ok=bool)


RegisterPayload = _session("RegisterPayload")
LoginPayload = _session("LoginPayload")
LoginWithCodePayload = _session("LoginWithCodePayload")
RefreshTokenPayload = _session("RefreshTokenPayload")
RequestLoginCodePayload = _ok("RequestLoginCodePayload")
LogoutPayload = _ok("LogoutPayload")
ChangePasswordPayload = _ok("ChangePasswordPayload")
CreateCommunityPayload = payload_type(
    "CreateCommunityPayload", IdentityError, community=CommunityNode
)
VerifyPersonPayload = payload_type("VerifyPersonPayload", IdentityError, person=PersonNode)
UpdatePersonPayload = payload_type("UpdatePersonPayload", IdentityError, person=PersonNode)
GrantProxyPayload = payload_type("GrantProxyPayload", IdentityError, grant=ProxyGrantNode)
AcceptProxyPayload = payload_type("AcceptProxyPayload", IdentityError, grant=ProxyGrantNode)
RevokeProxyPayload = payload_type("RevokeProxyPayload", IdentityError, grant=ProxyGrantNode)
AddMemberPayload = payload_type("AddMemberPayload", IdentityError, membership=Membership)
SetRolePayload = payload_type("SetRolePayload", IdentityError, membership=Membership)
