"""Fixtures of the reminder tests: real SQLite files written by tracker.store, a real SMTP server on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_fixture import pg_cluster, pg_url  # noqa: F401 - fixtures
from remind_helpers import EMAILS, SMALL, Inbox, SmtpServer, build_db, free_port


@pytest.fixture(scope="session")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small plan, built once (the store's ORM import costs ~335 ms); tests get a copy."""
    return build_db(tmp_path_factory.mktemp("small") / "small.db", SMALL, emails=EMAILS)


@pytest.fixture
def small_db(small_template: Path, db_path: Path, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the small plan's database at `db_path` (TRACKER_DB), with mail settings
    pointing at nothing yet and no user config file."""
    shutil.copyfile(small_template, db_path)
    monkeypatch.setenv("TRACKER_CONFIG", str(tmp_path / "no-config.toml"))
    for var in ("TRACKER_SMTP_USER", "TRACKER_SMTP_PASSWORD", "TRACKER_SMTP_PASSWORD_FILE",
                "TRACKER_LANG", "TRACKER_TODAY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TRACKER_SMTP_SECURITY", "none")
    monkeypatch.setenv("TRACKER_SMTP_FROM", "tracker@example.gov.cn")
    monkeypatch.setenv("TRACKER_COORDINATOR_EMAIL", "coordinator@example.gov.cn")
    monkeypatch.setenv("TRACKER_LEADERSHIP_EMAIL", "leaders@example.gov.cn")
    return db_path


@pytest.fixture
def smtp_port(monkeypatch: pytest.MonkeyPatch) -> int:
    """A free loopback port, exported as TRACKER_SMTP_HOST/PORT (no server yet: connections are refused)."""
    port = free_port()
    monkeypatch.setenv("TRACKER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TRACKER_SMTP_PORT", str(port))
    return port


@pytest.fixture
def smtp(smtp_port: int) -> Iterator[SmtpServer]:
    """A running loopback SMTP server at TRACKER_SMTP_HOST/PORT; its `inbox` holds what arrived."""
    server = SmtpServer(smtp_port, Inbox()).start()
    yield server
    server.stop()


@pytest.fixture
def small_pg(small_db: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: F811
    """The small plan stored on PostgreSQL (TRACKER_DB), with small_db's mail settings."""
    build_db(pg_url, SMALL, emails=EMAILS)  # type: ignore[arg-type] - a URL, as the commands take
    monkeypatch.setenv("TRACKER_DB", pg_url)
    return pg_url


@pytest.fixture(params=["sqlite", "postgresql"])
def small_any(request: pytest.FixtureRequest) -> Path | str:
    """The small plan on each engine: `small_db` (a SQLite file) or `small_pg` (a URL)."""
    return request.getfixturevalue("small_db" if request.param == "sqlite" else "small_pg")
