"""Where the tests run: the database and bus they use, the test secret, the frozen start time.

SQLite and the in-process bus by default; PostgreSQL when ``LINLI_TEST_DATABASE_URL`` is set,
Redis when ``LINLI_TEST_REDIS_URL`` is.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import pytest

TEST_DATABASE_ENV = "LINLI_TEST_DATABASE_URL"
TEST_REDIS_ENV = "LINLI_TEST_REDIS_URL"
TEST_SECRET = "linli-test-secret-key-not-for-production-0123456789"
# 09:00 in Shanghai on Monday 2 March 2026: a working morning, far from any day boundary.
DEFAULT_NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def postgres_url() -> str | None:
    return os.environ.get(TEST_DATABASE_ENV) or None


def redis_url() -> str | None:
    return os.environ.get(TEST_REDIS_ENV) or None


# This test session's own Redis prefix: parallel runs sharing one Redis (several developers,
# CI jobs) never hear each other's events nor share counters. Every server it starts uses it.
_SESSION_REDIS_PREFIX = f"linli-test-{uuid.uuid4().hex[:12]}"


def redis_prefix() -> str:
    """``LINLI_REDIS_PREFIX`` for the apps and servers of this test session."""
    return _SESSION_REDIS_PREFIX


requires_postgres_and_redis = pytest.mark.skipif(
    not (postgres_url() and redis_url()),
    reason=f"needs {TEST_DATABASE_ENV} and {TEST_REDIS_ENV}",
)
