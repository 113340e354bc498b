"""Dataloaders declared once, at import, and made per request by the kit.

A loader batches the loads of one moment (every resolver of one level of a list asking for
its row) into one query. Declare it beside your types; a resolver calls ``load(info, key)``
and the kit makes the request's DataLoader on first use (kept in ``info.context.loaders``),
so there is no ``extend_context`` and no loader class to write::

    site = by_pk(models.Site)
    service_types_of_site = all_of(models.ServiceType, "site_id", active=True)

    @loader
    async def held_per_slot(slot_ids: list[int]) -> list[int]: ...

    # in a resolver
    row = await site.load(info, self.site_id)

No value is cached across loads (``cache=False``): within one request a mutation may change
a row read earlier, and a subscription's context lives for many events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from strawberry.dataloader import DataLoader

K = TypeVar("K")
V = TypeVar("V")


class Loader(Generic[K, V]):
    """A declared batch function; ``load(info, key)`` runs it through the request's loader."""

    def __init__(self, batch: Callable[[list[K]], Awaitable[list[V]]]) -> None:
        self.batch = batch

    def of(self, info_or_context: Any) -> DataLoader[K, V]:
        """This request's DataLoader (made on first use)."""
        context = getattr(info_or_context, "context", info_or_context)
        made = context.loaders.get(self)
        if made is None:
            made = context.loaders[self] = DataLoader(load_fn=self.batch, cache=False)
        return made

    async def load(self, info_or_context: Any, key: K) -> V:
        return await self.of(info_or_context).load(key)

    async def load_many(self, info_or_context: Any, keys: list[K]) -> list[V]:
        return list(await self.of(info_or_context).load_many(keys))


def loader(batch: Callable[[list[K]], Awaitable[list[V]]]) -> Loader[K, V]:
    """Declare a batch function (keys → values in the same order) as a Loader."""
    return Loader(batch)


def by_pk(model: Any) -> Loader[Any, Any]:
    """Rows of ``model`` by primary key (None for a missing one), one query per batch."""

    async def load(keys: list[Any]) -> list[Any]:
        rows = {row.pk: row for row in await model.filter(pk__in=sorted(set(keys)))}
        return [rows.get(key) for key in keys]

    return Loader(load)


def all_of(model: Any, field: str, *, order_by: str = "id", **where: Any) -> Loader[Any, list[Any]]:
    """For each key, the rows of ``model`` whose ``field`` equals it (filtered by ``where``,
    ordered by ``order_by``), one query per batch."""

    async def load(keys: list[Any]) -> list[list[Any]]:
        found: dict[Any, list[Any]] = defaultdict(list)
        query = model.filter(**{f"{field}__in": sorted(set(keys))}, **where).order_by(order_by)
        for row in await query:
            found[getattr(row, field)].append(row)
        return [found[key] for key in keys]

    return Loader(load)
