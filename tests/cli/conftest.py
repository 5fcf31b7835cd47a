"""CLI tests run on both engines where they take `db_url` (or a fixture built on it)."""

from __future__ import annotations

from pg_fixture import db_url, pg_url  # noqa: F401 - fixtures
