"""Group registry (群众团队核准备案), DOMAIN.md G1–G8: the hook implementations."""

from __future__ import annotations

from linli import Manifest, hookimpl

__version__ = "0.1.0"


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(
        name="groups",
        version=__version__,
        core_versions=">=0.1,<0.2",
        description="Residents' activity groups: filing, review, rosters, renewal.",
    )


@hookimpl
def register_models() -> list[str]:
    return ["linli.plugins.groups.models"]
