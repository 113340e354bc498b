"""A plugin with the smallest tables that exercise the kit: a counted place, a ticket with a
status machine and its history. Core's kit tests install it by ``linli_extra_plugins``."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, model_validator

from linli import hookimpl
from linli.core import kit
from linli.core.graphql import error_type
from linli.core.identity.access import Permission
from linli.core.plugins import Manifest


class ProbeSettings(kit.CommunitySettings):
    """The probe's per-community settings."""

    plugin: ClassVar[str] = "kitprobe"
    seats: int = Field(3, ge=1, le=50, description="Places per probe.")
    greeting: str = Field("hello", max_length=20, description="What it says.")
    lowest: int = Field(0, ge=0, description="Never above seats.")

    @model_validator(mode="after")
    def _order(self) -> ProbeSettings:
        if self.lowest > self.seats:
            raise ValueError("lowest > seats")
        return self


ProbeError = error_type("KitprobeError")
SettingsQuery, SettingsMutation = kit.settings_api(ProbeSettings, ProbeError)


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(name="kitprobe", version="0.1.0", settings=ProbeSettings)


@hookimpl
def register_models() -> list[str]:
    return ["plugins_for_tests.kitprobe.models"]


@hookimpl
def register_permissions() -> list[Permission]:
    return [Permission("kitprobe.manage", ("staff",), "Change the probe's settings.")]


@hookimpl
def register_queries() -> list[type]:
    return [SettingsQuery]


@hookimpl
def register_mutations() -> list[type]:
    return [SettingsMutation]
