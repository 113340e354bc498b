"""Identity factories: small, generic builders for tests of core and of plugins.

They write through the models directly (fast: one shared password hash) and return real tokens
the app accepts. Call them inside a test that uses ``linli_app`` (or ``gql``): they need the
running app's database and clock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

TEST_PASSWORD = "linli-test-password"
_password_hash: str | None = None
_phones = iter(range(10_000_000))


def next_phone() -> str:
    """A fresh valid mainland mobile number in E.164 form."""
    return f"+86139{next(_phones):08d}"


async def make_community(
    name: str | None = None,
    *,
    kind: str = "community",
    parent: Any = None,
    code: str | None = None,
    time_zone: str = "Asia/Shanghai",
    with_parent: bool = True,
) -> Any:
    """A community (by default under a fresh street office); ``kind="area"`` needs ``parent``."""
    from linli.core import runtime
    from linli.core.identity.models import Community, CommunityKind

    now = runtime.current().clock.now()
    kind_ = CommunityKind(kind)
    if parent is None and with_parent and kind_ == CommunityKind.COMMUNITY:
        parent = await make_community(kind="street_office")
    code = code or f"T{uuid.uuid4().hex[:10].upper()}"
    return await Community.create(
        kind=kind_,
        name=name or f"测试{kind_.value} {code}",
        code=code,
        parent=parent,
        time_zone=time_zone,
        created_at=now,
    )


async def make_person(
    community: Any,
    *,
    birth_date: Any = None,
    real_name: str = "测试居民",
    verified: bool = True,
    disabled: bool = False,
    area: Any = None,
) -> Any:
    from linli.core import runtime
    from linli.core.identity.models import Person

    now = runtime.current().clock.now()
    return await Person.create(
        real_name=real_name,
        birth_date=birth_date,
        community=community,
        area=area,
        verified=verified,
        verified_at=now if verified else None,
        disabled=disabled,
        created_at=now,
    )


@dataclass
class MadeAccount:
    account: Any
    person: Any
    token: str
    refresh_token: str
    phone: str
    password: str = TEST_PASSWORD

    @property
    def id(self) -> int:
        return self.account.pk

    async def fresh_token(self) -> str:
        """A new session's access token, valid at the app clock's current time (tokens last
        15 minutes: after ``clock.advance(hours=1)``, ``await made.fresh_token()``). It
        becomes ``self.token`` too (and ``refresh_token`` the session's)."""
        from linli.core.identity.sessions import start_session

        session = await start_session(self.account)
        self.token, self.refresh_token = session.access_token, session.refresh_token
        return self.token


async def make_account(
    role: str | None = "resident",
    community: Any = None,
    *,
    admin: bool = False,
    phone: str | None = None,
    birth_date: Any = None,
    person: Any = None,
    with_person: bool = True,
    roles: tuple[str, ...] = (),
) -> MadeAccount:
    """An account with ``role`` (and ``roles``) in ``community``, its own verified person
    living there (unless ``person`` or ``with_person=False``), and a live session's tokens.

    ``admin=True`` makes a global admin. The password is ``TEST_PASSWORD``.
    """
    global _password_hash
    from linli.core import runtime
    from linli.core.identity import tokens
    from linli.core.identity.models import Account, Membership
    from linli.core.identity.sessions import start_session

    now = runtime.current().clock.now()
    if _password_hash is None:
        _password_hash = await tokens.hash_password(TEST_PASSWORD)
    wanted = [r for r in ((role,) if role else ()) + tuple(roles)]
    if wanted and community is None:
        community = await make_community()
    if person is None and with_person and community is not None:
        person = await make_person(community, birth_date=birth_date)
    phone = phone or next_phone()
    account = await Account.create(
        phone=phone, password_hash=_password_hash, person=person, is_admin=admin, created_at=now
    )
    for r in wanted:
        await Membership.create(account=account, community=community, role=r, created_at=now)
    session = await start_session(account)
    return MadeAccount(account, person, session.access_token, session.refresh_token, phone)


async def make_proxy(
    grantee: Any, person: Any, *, relation: str = "child", status: str = "verified"
) -> Any:
    """A proxy grant: ``grantee`` (an account or MadeAccount) may act for ``person``."""
    from linli.core import runtime
    from linli.core.identity.models import ProxyGrant

    account = getattr(grantee, "account", grantee)
    now = runtime.current().clock.now()
    return await ProxyGrant.create(
        account=account,
        person=person,
        relation=relation,
        status=status,
        verified_via="staff" if status == "verified" else "",
        created_at=now,
        verified_at=now if status == "verified" else None,
    )


def login_codes(phone: str) -> list[str]:
    """The one-time codes sent to ``phone`` (tests use the ``memory`` code sender)."""
    from linli.core.identity.codes import MemorySender

    return list(MemorySender.outbox.get(phone, []))


def global_id(type_name: str, pk: Any) -> str:
    """The Relay global id of an object: ``global_id("Person", person.pk)``."""
    from strawberry.relay import to_base64

    return to_base64(type_name, getattr(pk, "pk", pk))
