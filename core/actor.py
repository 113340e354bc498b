"""Who is calling: an :class:`Actor` is the account behind a request and what it may do.

Core's identity hooks build one from the access token; ``actor_from_request`` lets a plugin
answer instead (an API key, a kiosk). Roles are held per community.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    account_id: int | None = None
    person_id: int | None = None
    # community id -> roles held there (resident, volunteer, staff, admin)
    roles: Mapping[int, frozenset[str]] = field(default_factory=dict)
    is_admin: bool = False
    session_id: str | None = None

    @property
    def authenticated(self) -> bool:
        return self.account_id is not None

    def roles_in(self, community_id: int | None) -> frozenset[str]:
        if community_id is None:
            return frozenset()
        return self.roles.get(community_id, frozenset())

    def has_role(self, community_id: int | None, role: str) -> bool:
        return self.is_admin or role in self.roles_in(community_id)

    def communities_with(self, role: str) -> list[int]:
        return [cid for cid, roles in self.roles.items() if role in roles]


ANONYMOUS = Actor()
