"""The events elections publish (declared once; ``register_events`` returns ``EVENTS``).

They carry ids and kinds, never a choice or a name: live feeds re-read what changed.
"""

from __future__ import annotations

from linli import EventType

ELECTION_UPDATED = EventType(
    "elections.updated",
    keys=["election_id"],
    description="An election changed: its phase, the roll or slate published, an objection "
    "decided, a nomination or proxy changed (``kind`` says which).",
    election_id=int,
    community_id=int,
    kind=str,
    phase=str,
)

EVENTS = [ELECTION_UPDATED]


def updated(election, kind: str) -> tuple[EventType, dict]:
    """The (event, payload) pair the status machine and the services publish."""
    return ELECTION_UPDATED, {
        "election_id": election.pk, "community_id": election.community_id,
        "kind": kind, "phase": str(election.phase),
    }
