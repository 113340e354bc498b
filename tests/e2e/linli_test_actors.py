"""A test-only Linli plugin: test tokens become actors, until the e2e tests log in for real.

``token(account_id, community_id, role)`` makes a bearer token that this plugin (and only it)
accepts. It is never installed: in-process tests add it with ``linli_extra_plugins``; a
``linli serve`` subprocess finds it through an entry point that tests/e2e/conftest.py writes
into a throwaway folder put on that subprocess's PYTHONPATH.
"""

from __future__ import annotations

from linli import hookimpl
from linli.core.actor import Actor
from linli.core.plugins import Manifest

NAME = "test_actors"
PREFIX = "linli-test-actor:"


def token(account_id: int, community_id: int, role: str) -> str:
    return f"{PREFIX}{account_id}:{community_id}:{role}"


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(name=NAME, version="0", description="test tokens (tests only)")


@hookimpl(tryfirst=True)
def actor_from_request(request: object, token: str | None) -> Actor | None:
    if not token or not token.startswith(PREFIX):
        return None
    account_id, community_id, role = token.removeprefix(PREFIX).split(":")
    return Actor(account_id=int(account_id), roles={int(community_id): frozenset({role})})
