"""The elections API: thin resolvers over service/. Each module adds its fields to the lists
below, which the hookimpls return (part I: ``elections``, ``roll``, ``nominations``,
``slate``, ``proxies``, ``live``; part II adds its own)."""

from __future__ import annotations

from . import ballots, elections, live, nominations, proxies, roll, slate, types

QUERIES: list = [
    types.ElectionsSettingsQuery, elections.election, elections.elections,
    roll.voter_roll, roll.am_i_on_the_roll, roll.roll_conflicts, roll.roll_objections,
    nominations.nominations, slate.slate, proxies.voting_proxies,
]
MUTATIONS: list = [
    types.ElectionsSettingsMutation, elections.create_election,
    roll.publish_voter_roll, roll.check_roll_conflicts, roll.resolve_roll_conflict,
    roll.name_roll_representatives, roll.file_roll_objection, roll.decide_roll_objection,
    nominations.nominate_candidate, nominations.confirm_nomination,
    nominations.accept_nomination, nominations.decline_nomination,
    slate.start_primary, slate.publish_slate,
    proxies.grant_voting_proxy, proxies.accept_voting_proxy, proxies.decline_voting_proxy,
    proxies.withdraw_voting_proxy,
]
SUBSCRIPTIONS: list = [live.election_updates]
TYPES: list = [types.Election, roll.RollObjection, nominations.Nomination, slate.Candidate,
               proxies.Proxy]

# Part II: the ballot box (api/ballots.py).
QUERIES += ballots.QUERIES
MUTATIONS += ballots.MUTATIONS
SUBSCRIPTIONS += ballots.SUBSCRIPTIONS
