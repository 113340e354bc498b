"""Per-community plugin settings, declared once: a pydantic model named in ``Manifest.settings``.

DOMAIN.md's *settings* differ between provinces and cities, so each community may change
them. One declaration gives everything::

    class BookingSettings(kit.CommunitySettings):
        plugin: ClassVar[str] = "booking"      # the storage key; staff need "booking.manage"
        min_days_ahead: int = Field(1, ge=0, le=60, description="B6: the nearest day.")
        noshow_ladder: list[int] = Field([30, 60, 90], min_length=1)

    Manifest(name="booking", ..., settings=BookingSettings)

- the stored row: ``core_community_setting`` (one per plugin and community, the changed values
  as JSON, so a setting added later starts at its default);
- the typed object: ``await kit.settings_of(BookingSettings, community_id)`` (the defaults when
  the community changed nothing);
- the change: ``await kit.update_settings(actor, BookingSettings, community_id, changes)``:
  permission, validation (INVALID_INPUT naming the field), audit, all or nothing;
- the API: ``kit.settings_api(BookingSettings, BookingError)`` gives a query type
  (``bookingSettings(communityId)``) and a mutation type (``updateBookingSettings(input)``)
  for ``register_queries`` / ``register_mutations``, their types built from the fields.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import time
from typing import Any, ClassVar, TypeVar

import strawberry
from pydantic import BaseModel, ConfigDict, ValidationError
from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from linli.core import audit, db, events, topics
from linli.core.actor import Actor
from linli.core.clock import now
from linli.core.errors import Refused
from linli.core.identity import access


class CommunitySettings(BaseModel):
    """Base of a plugin's settings declaration: frozen, unknown names refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # The storage key: the plugin's name (set from the Manifest naming the class, if empty).
    plugin: ClassVar[str] = ""
    # The action staff need to read and change them; default "<plugin>.manage".
    manage: ClassVar[str] = ""

    @classmethod
    def action(cls) -> str:
        return cls.manage or f"{cls.plugin}.manage"


S = TypeVar("S", bound=CommunitySettings)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# ---------------------------------------------------------------- the stored values, kept

# How long an instance keeps a community's stored values: every write of them evicts at once
# on every instance (SETTINGS_CHANGED through the bus), so this only bounds a write made
# outside ``update_settings`` by another process.
KEPT_SECONDS = 30.0


class StoredValues:
    """The stored values of (plugin, community), kept per instance: every booking attempt,
    sign-up and vote reads its community's settings, which change a few times a year.

    Correct by eviction, as the actor cache is: ``update_settings`` evicts here and publishes
    SETTINGS_CHANGED, which evicts on every instance after the commit; an ORM save of a row
    evicts too; a read that began before an eviction is not kept (a generation counter);
    while RedisBus has lost Redis nothing is kept, and BUS_RESET empties it."""

    def __init__(self, bus: Any, ttl: float = KEPT_SECONDS, clock: Any = None) -> None:
        self.ttl, self._bus, self._clock = ttl, bus, clock or time.monotonic
        self._entries: dict[tuple[str, int], tuple[float, dict[str, Any]]] = {}
        self.generation = 0
        self.reads = 0  # from the database (the tests count them)
        self._stop = [
            bus.listen(topics.SETTINGS_CHANGED.topic(), lambda _e: self.clear()),
            bus.listen(events.BUS_RESET, lambda _e: self.clear()),
        ]

    def close(self) -> None:
        for stop in self._stop:
            stop()
        self.clear()

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()

    async def get(self, plugin: str, community_id: int) -> dict[str, Any]:
        from linli.core.kit.models import CommunitySetting

        key = (plugin, community_id)
        entry = self._entries.get(key)
        now_ = self._clock()
        if entry is not None and entry[0] > now_ and self._bus.connected:
            return entry[1]
        generation = self.generation
        self.reads += 1
        row = await CommunitySetting.get_or_none(community_id=community_id, plugin=plugin)
        values = dict(row.values) if row else {}
        if generation == self.generation and self._bus.connected and self.ttl > 0:
            self._entries[key] = (now_ + self.ttl, values)
        return values


_kept: StoredValues | None = None


def install(bus: Any) -> StoredValues:
    """Keep stored values on this instance (the server and the CLI call it at start)."""
    global _kept
    from tortoise.signals import Signals

    from linli.core.kit.models import CommunitySetting

    uninstall()
    _kept = StoredValues(bus)
    for signal in (Signals.post_save, Signals.post_delete):  # a row written anywhere else
        CommunitySetting.register_listener(signal, _row_written)
    return _kept


async def _row_written(*_args: Any) -> None:
    if _kept is not None:
        _kept.clear()


def uninstall() -> None:
    global _kept
    if _kept is not None:
        _kept.close()
    _kept = None


async def _stored(plugin: str, community_id: int) -> dict[str, Any]:
    if _kept is not None:
        return await _kept.get(plugin, community_id)
    from linli.core.kit.models import CommunitySetting

    row = await CommunitySetting.get_or_none(community_id=community_id, plugin=plugin)
    return dict(row.values) if row else {}


async def settings_of(cls: type[S], community_id: int) -> S:
    """The community's settings: its stored values over the declaration's defaults."""
    return _build(cls, await _stored(cls.plugin, community_id))


async def settings_for(plugin: str, community_id: int) -> Any:
    """The community's settings of ``plugin``, typed as its ``Manifest.settings`` declares:

        s = await kit.settings_for("groups", community_id)

    A ``CommunitySettings`` declaration gives ``settings_of`` (stored values over defaults,
    validated). A frozen dataclass (``Manifest(settings=GroupSettings)``) gives its defaults
    with the stored values of its fields over them, checked by its ``__post_init__``: staff
    change it only through a CommunitySettings declaration, so declare one when they must.
    LookupError for a plugin that is not loaded or declares no settings.
    """
    from linli.core import runtime

    manifest = runtime.current().plugins.manifests.get(plugin)
    cls = manifest.settings if manifest is not None else None
    if cls is None:
        raise LookupError(f"plugin {plugin} is not loaded or declares no Manifest.settings")
    if issubclass(cls, CommunitySettings):
        return await settings_of(cls, community_id)
    stored = await _stored(plugin, community_id)
    names = {field.name for field in dataclasses.fields(cls)}
    return cls(**{name: value for name, value in stored.items() if name in names})


def declared(plugin: str, cls: Any) -> str | None:
    """Why ``Manifest.settings`` of ``plugin`` cannot be used (None: it can). A
    CommunitySettings subclass without ``plugin`` gets the plugin's name here."""
    if cls is None or (dataclasses.is_dataclass(cls) and isinstance(cls, type)):
        return None
    if not (isinstance(cls, type) and issubclass(cls, CommunitySettings)):
        return "Manifest.settings must be a kit.CommunitySettings subclass or a dataclass"
    if not cls.plugin:
        cls.plugin = plugin
    elif cls.plugin != plugin:
        return f"Manifest.settings {cls.__name__} says plugin = {cls.plugin!r}"
    return None


def _build(cls: type[S], values: dict[str, Any]) -> S:
    known = {name: value for name, value in values.items() if name in cls.model_fields}
    return cls(**known)


async def update_settings(
    actor: Actor, cls: type[S], community_id: int, changes: dict[str, Any]
) -> S:
    """Change some of a community's settings (None leaves a value as it is).

    Refused: UNAUTHENTICATED / FORBIDDEN without ``cls.action()`` there, NOT_FOUND for no such
    community, INVALID_INPUT (``field``: the camelCase name, or ``settings`` for a rule
    between fields) when the result is not valid. Audited with the names changed.
    """
    from linli.core.identity.models import Community
    from linli.core.kit.models import CommunitySetting

    access.require(actor, cls.action(), community_id)
    if not await Community.exists(id=community_id):
        raise Refused("NOT_FOUND", field="communityId")
    wanted = {name: value for name, value in changes.items() if value is not None}
    unknown = [name for name in wanted if name not in cls.model_fields]
    if unknown:
        raise Refused("INVALID_INPUT", field=_camel(unknown[0]))
    async with db.atomic():
        row = await CommunitySetting.get_or_none(community_id=community_id, plugin=cls.plugin)
        stored = dict(row.values) if row else {}
        try:
            result = cls(**{**_build(cls, stored).model_dump(), **wanted})
        except ValidationError as exc:
            where = exc.errors()[0].get("loc") or ()
            field = _camel(str(where[0])) if where else "settings"
            raise Refused("INVALID_INPUT", field=field) from exc
        values = {**stored, **result.model_dump(include=set(wanted))}
        at = now()
        if row is None:
            try:
                async with db.atomic():
                    row = await CommunitySetting.create(
                        community_id=community_id,
                        plugin=cls.plugin,
                        values=values,
                        updated_at=at,
                        updated_by_account_id=actor.account_id,
                    )
            except IntegrityError:  # created concurrently: the last change wins, as updates do
                row = await CommunitySetting.get(community_id=community_id, plugin=cls.plugin)
        await CommunitySetting.filter(id=row.pk).update(
            values=values, updated_at=at, updated_by_account_id=actor.account_id
        )
        if _kept is not None:
            _kept.clear()
        await topics.SETTINGS_CHANGED.publish(community_id=community_id, plugin=cls.plugin)
        await audit.record(
            actor,
            f"{cls.plugin}.settings.update",
            community_id=community_id,
            object_type=cls.__name__,
            object_id=community_id,
            changed=sorted(wanted),
        )
    return result


# ---------------------------------------------------------------- the API


def _graphql_type(annotation: Any) -> Any:
    """A pydantic field's annotation as strawberry sees it (enums become GraphQL enums)."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return strawberry.enum(annotation)
    return annotation


def settings_api(cls: type[CommunitySettings], error: Any, *, name: str = "") -> tuple[type, type]:
    """``(Query, Mutation)`` strawberry types for ``cls``: ``<plugin>Settings(communityId)``
    (staff holding ``cls.action()``) and ``update<Plugin>Settings(input)``; the output type is
    named ``name`` (default ``<Plugin>Settings``), its input and payload after the mutation."""
    from linli.core.graphql import GlobalID, api_errors, payload_type, pk, require_login

    plugin = cls.plugin
    if not plugin:  # settings_api runs at import, before the manifest names the plugin
        raise TypeError(f"{cls.__name__}: set plugin: ClassVar[str] = '<plugin>' for settings_api")
    title = name or f"{plugin.title()}Settings"
    fields = cls.model_fields
    described = {
        field: strawberry.field(description=info.description) for field, info in fields.items()
    }
    output = strawberry.type(
        type(
            title,
            (),
            {
                "__annotations__": {f: _graphql_type(i.annotation) for f, i in fields.items()},
                "__module__": __name__,
                **described,
            },
        ),
        name=title,
        description=cls.__doc__ or None,
    )
    verb = f"Update{title}"
    input_type = strawberry.input(
        type(
            f"{verb}Input",
            (),
            {
                "__annotations__": {
                    "community_id": GlobalID,
                    **{f: _graphql_type(i.annotation) | None for f, i in fields.items()},
                },
                "__module__": __name__,
                **{
                    f: strawberry.field(default=None, description=i.description)
                    for f, i in fields.items()
                },
            },
        ),
        name=f"{verb}Input",
    )
    payload = payload_type(f"{verb}Payload", error, settings=output)

    def convert(values: CommunitySettings) -> Any:
        return output(**values.model_dump())

    async def read(self: Any, info: Info, community_id: GlobalID) -> Any:
        from linli.core.errors import ApiError

        ctx = require_login(info)
        with api_errors(info):
            community = pk(community_id, "Community", field="communityId")
        if not access.can(ctx.actor, cls.action(), community):
            raise ApiError("FORBIDDEN", ctx.locale)
        return convert(await settings_of(cls, community))

    async def change(self: Any, info: Info, input: Any) -> Any:
        changes = {field: getattr(input, field) for field in fields}

        async def work() -> CommunitySettings:
            community = pk(input.community_id, "Community", field="communityId")
            return await update_settings(info.context.actor, cls, community, changes)

        result, errors = await error.attempt(info, work)
        return payload(settings=None if result is None else convert(result), errors=errors)

    # The types are made here, so the resolvers' annotations are objects, not names.
    read.__annotations__ = {"info": Info, "community_id": GlobalID, "return": output}
    change.__annotations__ = {"info": Info, "input": input_type, "return": payload}
    query_field = _snake(title[0].lower() + title[1:])
    query = strawberry.type(
        type(
            f"{title}Query",
            (),
            {
                query_field: strawberry.field(
                    resolver=read, description=f"A community's {plugin} settings (staff)."
                )
            },
        )
    )
    mutation = strawberry.type(
        type(
            f"{title}Mutation",
            (),
            {
                f"update_{query_field}": strawberry.mutation(
                    resolver=change, description=f"Staff: change a community's {plugin} settings."
                )
            },
        )
    )
    return query, mutation
