"""The elections tables (app label ``elections``), one module per part, re-exported here so
``register_models`` names one module: ``election`` (the election, posts, committee, phase
history, settings) and ``roll`` (roll, objections, nominations, slate, proxies) are part I.
Part II adds ``ballots``."""

from .ballots import (
    Ballot,
    PaperEntry,
    Participation,
    PublishedBundle,
    RecallProposal,
    RecallSignature,
    VotingRound,
)
from .election import CommitteeMember, Election, ElectionPost, PhaseChange, Settings
from .roll import (
    Candidate,
    Nomination,
    Nominator,
    NominatorQuota,
    Proxy,
    ProxyQuota,
    Representative,
    RollConflict,
    RollEntry,
    RollObjection,
)

__all__ = [
    "Ballot",
    "Candidate",
    "CommitteeMember",
    "Election",
    "ElectionPost",
    "Nomination",
    "Nominator",
    "NominatorQuota",
    "PaperEntry",
    "Participation",
    "PhaseChange",
    "Proxy",
    "ProxyQuota",
    "PublishedBundle",
    "RecallProposal",
    "RecallSignature",
    "Representative",
    "RollConflict",
    "RollEntry",
    "RollObjection",
    "Settings",
    "VotingRound",
]
