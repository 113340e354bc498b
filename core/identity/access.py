"""Permissions: one check, ``can(actor, action, community)``, used by every resolver.

Plugins declare their actions with ``register_permissions()``, each with the roles that hold
it by default; ``create_app`` installs them all (core's first) with :func:`install`, and a
plugin that declares an action another already declared differently fails at start-up.
Admins hold every action everywhere; a community admin holds every action in that community;
staff of a street office hold staff rights in its communities and their residential areas
(the actor's roles are expanded when the actor is built, see ``sessions.load_actor``).

Modules act for a person through :func:`acting_for`: the person themselves, a verified proxy
or the staff of the person's community; the answer says which, and its ``record`` writes the
audit entry that every proxy and staff act needs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from linli.core.actor import Actor
from linli.core.errors import Refused

if TYPE_CHECKING:
    from linli.core.events import Event
    from linli.core.identity.models import Person

ROLES = ("resident", "volunteer", "staff", "admin")


@dataclass(frozen=True)
class Permission:
    action: str  # "<plugin>.<verb>", e.g. "booking.book"
    roles: tuple[str, ...]  # roles holding it by default: resident, volunteer, staff, admin
    description: str = ""

    def __post_init__(self) -> None:
        unknown = [role for role in self.roles if role not in ROLES]
        if unknown:
            raise ValueError(f"permission {self.action}: unknown roles {unknown}")


_registry: dict[str, Permission] = {}


def register(permissions: Iterable[Permission]) -> None:
    """Add permissions; an action declared twice must be declared the same way."""
    for permission in permissions:
        if not isinstance(permission, Permission):
            raise TypeError(f"{permission!r} is not a linli.core.identity.access.Permission")
        existing = _registry.get(permission.action)
        if existing is not None and existing != permission:
            raise ValueError(f"permission {permission.action} is declared twice, differently")
        _registry[permission.action] = permission


def install(per_plugin: Iterable[tuple[str, Iterable[Permission]]]) -> None:
    """Replace the registry with what each plugin's ``register_permissions`` returned."""
    from linli.core.plugins import PluginError

    _registry.clear()
    for plugin, permissions in per_plugin:
        try:
            register(permissions)
        except (TypeError, ValueError) as exc:
            raise PluginError(f"plugin {plugin}: {exc}") from exc


def registered() -> dict[str, Permission]:
    return dict(_registry)


def _community_id(community: Any) -> int | None:
    if community is None or isinstance(community, int):
        return community
    return getattr(community, "pk", None) or getattr(community, "id", None)


def can(actor: Actor, action: str, community: Any) -> bool:
    """May ``actor`` do ``action`` in ``community`` (an id or a Community)? Unknown actions,
    anonymous actors and a missing community are refused (admins excepted)."""
    permission = _registry.get(action)
    if permission is None or not actor.authenticated:
        return False
    if actor.is_admin:
        return True
    roles = actor.roles_in(_community_id(community))
    if "admin" in roles:
        return True
    return bool(roles & set(permission.roles))


def require(actor: Actor, action: str, community: Any) -> None:
    """Raise Refused(UNAUTHENTICATED or FORBIDDEN) unless ``can`` allows it."""
    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    if not can(actor, action, community):
        raise Refused("FORBIDDEN")


def communities_where(actor: Actor, action: str) -> list[int] | None:
    """The communities where ``actor`` may do ``action``; None means everywhere (an admin)."""
    if actor.is_admin:
        return None
    return [cid for cid in actor.roles if can(actor, action, cid)]


# ---------------------------------------------------------------- acting for a person

How = Literal["self", "proxy", "staff"]


@dataclass(frozen=True)
class ActingFor:
    """``actor`` acts for ``person``: as themselves, as a verified proxy, or as staff."""

    actor: Actor
    person: Person
    how: How

    @property
    def on_behalf(self) -> bool:
        return self.how != "self"

    async def record(
        self, action: str, *, obj: Any = None, force: bool = False, **detail: Any
    ) -> None:
        """Write the audit entry a proxy or staff act needs (a person's own act only when
        ``force``); call it inside the service's transaction."""
        from linli.core import audit

        if self.on_behalf or force:
            await audit.record(
                self.actor,
                action,
                community_id=self.person.community_id,
                obj=obj,
                on_behalf_of_person_id=self.person.pk,
                how=self.how,
                **detail,
            )


async def acting_for(actor: Actor, person_id: int) -> ActingFor:
    """May ``actor`` act for person ``person_id``, and how?

    Raises Refused: UNAUTHENTICATED (anonymous), PROXY_NOT_VERIFIED (a pending grant only),
    FORBIDDEN (no relation, or no such person: existence is not revealed).
    """
    from linli.core.identity.models import GrantStatus, Person, ProxyGrant

    if not actor.authenticated:
        raise Refused("UNAUTHENTICATED")
    person = await Person.get_or_none(pk=person_id)
    if person is None:
        raise Refused("FORBIDDEN")
    if actor.person_id == person.pk:
        return ActingFor(actor, person, "self")
    grant = await ProxyGrant.get_or_none(account_id=actor.account_id, person_id=person.pk)
    if grant is not None and grant.status == GrantStatus.VERIFIED:
        return ActingFor(actor, person, "proxy")
    if can(actor, "core.act_for", person.community_id):
        return ActingFor(actor, person, "staff")
    if grant is not None and grant.status == GrantStatus.PENDING:
        raise Refused("PROXY_NOT_VERIFIED")
    raise Refused("FORBIDDEN")


@dataclass(frozen=True)
class Reach:
    """Whom an actor acts for and where it may look, for one action (``reach``).

    ``persons``: the actor's own person and every person it holds a verified proxy grant
    for; ``communities``: where the actor may do ``action`` plus the communities of those
    persons (a proxy may look at the timetable where the person it books for lives), None
    meaning everywhere (an admin).
    """

    persons: tuple[int, ...]
    communities: frozenset[int] | None

    def sees(self, community_id: int | None) -> bool:
        return self.communities is None or community_id in self.communities


async def reach(actor: Actor, action: str) -> Reach:
    """The persons ``actor`` may act for and the communities visible to it for ``action``,
    in one query (the actor's verified proxy grants with their persons' communities)."""
    from linli.core.identity.models import GrantStatus, ProxyGrant

    if not actor.authenticated:
        return Reach((), frozenset())
    grants = await ProxyGrant.filter(
        account_id=actor.account_id, status=GrantStatus.VERIFIED
    ).values_list("person_id", "person__community_id")
    own = (actor.person_id,) if actor.person_id is not None else ()
    persons = tuple(sorted({*own, *(person for person, _ in grants)}))
    mine = communities_where(actor, action)
    if mine is None:
        return Reach(persons, None)
    return Reach(persons, frozenset({*mine, *(community for _, community in grants)}))


async def may_see_person(actor: Actor, person: Person) -> bool:
    """Personal fields are visible to the person, their verified proxies and their staff."""
    from linli.core.identity.models import GrantStatus, ProxyGrant

    if not actor.authenticated:
        return False
    if actor.person_id == person.pk or can(actor, "core.person.read", person.community_id):
        return True
    return await ProxyGrant.exists(
        account_id=actor.account_id, person_id=person.pk, status=GrantStatus.VERIFIED
    )


# ---------------------------------------------------------------- events by permission


async def visible_events(
    caller: Actor | Any,
    events: AsyncIterator[Event],
    action: str,
    community_of: Callable[[Event], Any] = lambda event: event.payload.get("community_id"),
) -> AsyncIterator[Event]:
    """Only the events about objects the caller may ``action`` on (by their community).

    ``caller`` is an Actor, or better the request's context: then the caller is re-read per
    event (``context.current_actor()``: a flag test, a reload only after a role change was
    announced), so a role taken away is seen by the next event.

    ``async for event in visible_events(info.context, subscription, "booking.view"): ...``
    """
    async for event in events:
        actor = caller if isinstance(caller, Actor) else await caller.current_actor()
        if can(actor, action, community_of(event)):
            yield event
