"""The kit: what every module needs and none should write again. One import::

    from linli.core import kit

- ``kit.now()``, ``kit.today(tz)``, ``kit.local_day(instant, tz)``: the one clock
  (linli.core.clock), moved by the tests' frozen clock;
- ``kit.StatusMachine`` / ``kit.StatusHistory``: allowed transitions as data, and ``move``:
  a guarded transition (one winner of two), its history row, audit line and events;
- ``kit.Capacity``: a counter that never passes its limit (one conditional UPDATE);
- ``kit.create_unless_exists`` / ``kit.update_unless_taken`` / ``kit.get_or_create_row``:
  unique keys as coded refusals, in a savepoint;
- ``kit.reach(actor, action)``: the persons an actor acts for and the communities it sees
  (linli.core.identity.access, beside ``acting_for``);
- ``kit.by_pk`` / ``kit.all_of`` / ``kit.loader``: dataloaders declared once, made per request;
- ``kit.CommunitySettings`` (named in ``Manifest.settings``), ``kit.settings_of``,
  ``kit.settings_for(plugin, community_id)``, ``kit.update_settings``, ``kit.settings_api``:
  per-community settings declared once;
- what a service needs beside them, so one import serves: ``kit.Actor``, ``kit.require`` /
  ``kit.can`` (linli.core.identity.access), ``kit.Refused``, ``kit.EventType``.
- ``kit.hot_read``: a read whose SQL is built once and sent as one statement
  (linli.core.hotread): the resident app's hot paths; ``kit.row_of_event``: the row an
  event names, read once for all of an instance's subscribers.

docs/plugins.md, "The kit", has an example of each.
"""

from __future__ import annotations

from linli.core.actor import Actor
from linli.core.clock import local_day, now, today
from linli.core.errors import Refused
from linli.core.hotread import HotRead, hot_read, row_of_event
from linli.core.identity.access import ActingFor, Reach, acting_for, can, reach, require
from linli.core.kit.capacity import Capacity
from linli.core.kit.loaders import Loader, all_of, by_pk, loader
from linli.core.kit.settings import (
    CommunitySettings,
    settings_api,
    settings_for,
    settings_of,
    update_settings,
)
from linli.core.kit.status import StatusHistory, StatusMachine, who_acted
from linli.core.kit.unique import create_unless_exists, get_or_create_row, update_unless_taken
from linli.core.topics import EventType

__all__ = [
    "ActingFor",
    "Actor",
    "Capacity",
    "CommunitySettings",
    "EventType",
    "HotRead",
    "Loader",
    "Reach",
    "Refused",
    "StatusHistory",
    "StatusMachine",
    "acting_for",
    "all_of",
    "by_pk",
    "can",
    "create_unless_exists",
    "get_or_create_row",
    "hot_read",
    "loader",
    "local_day",
    "now",
    "reach",
    "require",
    "row_of_event",
    "settings_api",
    "settings_for",
    "settings_of",
    "today",
    "update_settings",
    "update_unless_taken",
    "who_acted",
]
