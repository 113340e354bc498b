"""Settings, read from the environment with the prefix ``LINLI_`` (and ./.env when present).

Lists are comma-separated in the environment: ``LINLI_DISABLED_PLUGINS=notices,booking``.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

VAR_DIR = Path("var")


class Limits(BaseSettings):
    """Caps that keep one client from costing the server too much; each has a clear error."""

    model_config = SettingsConfigDict(env_prefix="LINLI_LIMIT_")

    max_depth: int = 12
    max_tokens: int = 2000
    max_aliases: int = 30
    # Query cost (complexity): each field 1, what is under a connection once per item its
    # first/last may return (the page size when not a literal); fragments count at each use.
    max_cost: int = 10_000
    max_page_size: int = 100
    max_subscriptions_per_connection: int = 20
    max_batch_operations: int = 10
    connection_init_timeout_seconds: float = 5.0
    websocket_max_message_bytes: int = 64 * 1024
    subscriber_queue_size: int = 256
    parser_cache_size: int = 512
    # Documents an instance learns from automatic persisted queries (most recently used kept).
    persisted_queries_cache_size: int = Field(default=2000, ge=1)
    validation_cache_size: int = 512
    # HTTP requests per actor (account, else IP) per minute; 0 turns the limit off.
    requests_per_minute: int = 600
    # Login and one-time-code throttling in fixed windows: per phone and client (its IP), per
    # phone across all clients (a ceiling on guesses that closes the password path only: the
    # one-time-code path counts apart), and per IP across phones.
    throttle_window_seconds: int = 900
    login_attempts_per_phone: int = 5
    login_attempts_per_phone_all_clients: int = 50
    login_attempts_per_ip: int = 100
    code_requests_per_phone: int = 3
    code_requests_per_phone_all_clients: int = 10
    # Look-ups by phone or ID number (addMember, grantProxy's dependent, register's idNumber),
    # per account and per IP: whoever makes them learns whether someone is registered.
    identity_lookups_per_window: int = 10


class EventSettings(BaseSettings):
    """The outbox relay (linli.core.outbox): how often, how much, how long events are kept."""

    model_config = SettingsConfigDict(env_prefix="LINLI_EVENTS_")

    # How often each instance's relay looks for events the fast path could not send.
    relay_interval_seconds: float = Field(default=1.0, gt=0)
    # How long a fresh event belongs to the instance that committed it (its fast path) before
    # any relay may take it: the time a crashed instance's events wait.
    relay_grace_seconds: float = Field(default=5.0, ge=0)
    # How long a relay owns a batch it took before another may take it again.
    relay_lease_seconds: float = Field(default=30.0, gt=0)
    relay_batch_size: int = Field(default=100, ge=1)
    # Relayed events (and plugins' processed-event records) are kept this long, for a bus
    # that reconnects to catch up from; 0 deletes an event as soon as it is relayed.
    retention_seconds: float = Field(default=86400.0, ge=0)
    # Test hook: this instance relays nothing (events stay in the outbox), as if it crashed
    # between commit and relay.
    hold_relay: bool = False


def _split(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LINLI_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite://{VAR_DIR / 'linli.sqlite3'}"
    redis_url: str | None = None
    # Starts every Redis channel and key this deployment uses: deployments (and test runs)
    # sharing one Redis never hear each other's events or share counters.
    redis_prefix: str = Field(default="linli", min_length=1, pattern=r"^[A-Za-z0-9_.:-]+$")
    # PostgreSQL connections per process (each `serve --workers` process has its own pool).
    database_pool_size: int = Field(default=10, ge=1)
    # asyncpg's reset query (advisory unlock, CLOSE ALL, UNLISTEN, RESET ALL) on every release
    # to the pool: a round trip per query. Off: pooled connections carry no session state
    # (see db.keep_session); on for a plugin that keeps some.
    database_pool_reset: bool = False
    secret_key: str | None = Field(default=None, repr=False)
    production: bool = False
    enabled_plugins: Annotated[list[str] | None, NoDecode] = None
    disabled_plugins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    time_zone: str = "Asia/Shanghai"
    locale: str = "zh-CN"
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 8000
    periodic_tasks: bool = True
    # After start-up, move the long-lived objects (schema, plugins) out of the garbage
    # collector's sight (gc.freeze): its full passes then walk only what requests create.
    # Off in the test harness, which starts hundreds of apps in one process.
    freeze_startup_objects: bool = True
    # Who delivers one-time login codes: "console" (stderr, development), "memory" (tests),
    # or "package.module:factory" (an SMS gateway).
    code_sender: str = "console"
    # How long an instance keeps the Actor (account, roles) behind an access token's session;
    # logout, role and password changes evict it at once on every instance. 0 turns it off.
    actor_cache_seconds: float = Field(default=30.0, ge=0)
    # How long an instance may replay a pure read's answer to the same caller (core/
    # response_cache.py); every event and every mutation empties it at once. 0 turns it off.
    response_cache_seconds: float = Field(default=1.0, ge=0)
    # permessage-deflate on websockets: smaller frames, but ~49 KiB of zlib state per socket
    # and CPU per message; off, so 10,000 idle subscribers fit in memory.
    websocket_compression: bool = False
    # Subscribers of one topic asking the same thing share one execution of each event, its
    # frame written to every socket (core/graphql/fanout.py); 0: each runs its own.
    shared_subscriptions: bool = True
    # Automatic persisted queries (Apollo's persistedQuery extension): clients may register
    # a document by its sha256 and then send only the hash (core/persisted.py).
    persisted_queries: bool = True
    # A manifest of operations (Apollo's persisted-query manifest, or {hash: document}).
    persisted_manifest: Path | None = None
    # Production: run only the manifest's operations (needs LINLI_PERSISTED_MANIFEST).
    trusted_documents: bool = False
    # Cache-Control max-age of an anonymous GET answered without errors (0: no-store).
    anonymous_get_max_age: int = Field(default=5, ge=0)
    limits: Limits = Field(default_factory=Limits)
    events: EventSettings = Field(default_factory=EventSettings)

    _split_lists = field_validator(
        "enabled_plugins", "disabled_plugins", "cors_origins", mode="before"
    )(_split)

    @model_validator(mode="after")
    def _secret_required_in_production(self) -> Settings:
        if self.production and not self.secret_key:
            raise ValueError("LINLI_SECRET_KEY is required when LINLI_PRODUCTION is on")
        return self

    @model_validator(mode="after")
    def _manifest_for_trusted_documents(self) -> Settings:
        if self.trusted_documents and not self.persisted_manifest:
            raise ValueError("LINLI_TRUSTED_DOCUMENTS needs LINLI_PERSISTED_MANIFEST")
        return self

    def resolved_secret_key(self) -> str:
        """The configured secret, or one generated once into ./var/secret_key (development)."""
        if self.secret_key:
            return self.secret_key
        path = VAR_DIR / "secret_key"
        if not path.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        self.secret_key = path.read_text().strip()
        return self.secret_key

    def plugin_enabled(self, name: str) -> bool:
        if name in self.disabled_plugins:
            return False
        return self.enabled_plugins is None or name in self.enabled_plugins


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
