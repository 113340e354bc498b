"""The elections API: thin resolvers over service/. Each module adds its fields to the lists
below, which the hookimpls return (part I: ``elections``, ``roll``, ``nominations``,
``slate``, ``proxies``, ``live``; part II adds its own)."""

from __future__ import annotations

from . import elections, types

QUERIES: list = [types.ElectionsSettingsQuery, elections.election, elections.elections]
MUTATIONS: list = [types.ElectionsSettingsMutation, elections.create_election]
SUBSCRIPTIONS: list = []
TYPES: list = [types.Election]
