"""A plugin package that leaves its register_* hooks implied by its rooms (core/rooms.py):
only its manifest is a hookimpl."""

import dataclasses

from linli import Manifest, hookimpl


@dataclasses.dataclass(frozen=True)
class ImpliedSettings:
    """Settings as a plain dataclass (read by kit.settings_for, not editable by staff)."""

    days: int = 7

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("days must be >= 1")


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(name="implied", version="0.1.0", settings=ImpliedSettings)
