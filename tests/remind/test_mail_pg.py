"""`tracker remind --mail` with the database on PostgreSQL: a throwaway cluster, a real SMTP server on loopback.

tests/remind/test_mail.py runs the common behaviour on both engines (messages arrive, a second run
the same day sends nothing, a refused connection is logged and retried, --dry-run writes nothing).
Here: the password stored nowhere in PostgreSQL (nor its server log), and what only PostgreSQL has:
office coordinators under row-level security, a table lock held by someone else, a log write the
server refuses.
"""

from __future__ import annotations

import io
import threading
import time
from datetime import UTC, datetime

import psycopg
import pytest
from db_rows import tables
from pg_fixture import pg_cluster, pg_url  # noqa: F401 - fixture
from remind_helpers import (
    EMAILS,
    NOTE,
    RIGHT_PASSWORD,
    SMALL,
    build_db,
    log_sent,
    mail_with_a_wrong_then_the_right_password,
    remind,
    sent_log,
)

from tracker.cli import main
from tracker.errors import DatabaseError
from tracker.model import PlanDraft
from tracker.remind.mail import OutgoingMail, open_log
from tracker.store import open_store

RECIPIENTS = ["coordinator@example.gov.cn", "leaders@example.gov.cn", "office@example.gov.cn"]
MAIL = OutgoingMail(kind="owner", recipient="office@example.gov.cn", owner="局办公室", subject="s",
                    text="t", html="h", digest="abc")
"""A message for the function-level tests of the sent-log write."""
AT = datetime(2024, 7, 1, 1, 0, tzinfo=UTC)


def test_the_password_is_stored_nowhere_in_the_database(small_pg, smtp_port, monkeypatch):
    password = "Pw-pg-5e1d-very-secret"
    failed, ok, server = mail_with_a_wrong_then_the_right_password(smtp_port, monkeypatch, password)
    assert failed[0] == 7
    assert "SMTPAuthenticationError" in failed[2]
    assert ok[0] == 0
    assert len(server.inbox.received) == 3
    assert [status for *_, status, _ in sent_log(small_pg)] == ["failed"] * 3 + ["sent"] * 3
    cluster = pg_cluster()
    database = small_pg.rsplit("/", 1)[1]
    with psycopg.connect(cluster.dsn(database), autocommit=True) as conn:  # superuser: every row
        dump = "\n".join(str(row) for name in tables(small_pg)
                         for row in conn.execute(f'SELECT t::text FROM "{name}" t'))
    assert "SMTPAuthenticationError" in dump  # the dump is real: the log's rows are in it
    for secret in (password, RIGHT_PASSWORD):
        assert secret not in dump
        assert secret not in failed[1] + failed[2] + ok[1] + ok[2]
        assert secret.encode() not in (cluster.directory / "log").read_bytes()  # the server's log


# ---------------------------------------------------------------------------------------------
# Offices: coordinators under row-level security
# ---------------------------------------------------------------------------------------------


def cli(*argv: str) -> int:
    return main(list(argv), out=io.StringIO(), err=io.StringIO())


def _draft(title: str) -> PlanDraft:
    return PlanDraft(kind=SMALL.kind, title=title, issuer=SMALL.issuer, year=SMALL.year,
                     sections=SMALL.sections, tasks=SMALL.tasks)


@pytest.fixture
def city(small_db, pg_url, monkeypatch) -> dict[str, str]:  # noqa: F811 - the imported fixture
    """Offices A and B, coordinators coord_a and coord_b, one plan each (imported by its coordinator
    through the shared `tracker_app` login), each office's 局办公室 given the same address by its own
    coordinator; URLs for each kind of login."""
    cluster = pg_cluster()
    database = pg_url.rsplit("/", 1)[1]
    open_store(pg_url).close()
    with psycopg.connect(cluster.dsn(database), autocommit=True) as conn:
        conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tracker_web') "
                     "THEN CREATE ROLE tracker_web LOGIN IN ROLE tracker_app; END IF; END $$")
    for argv in (("add-office", "office_a"), ("add-office", "office_b"), ("add-user", "coord_a"),
                 ("add-user", "coord_b"), ("grant", "coord_a", "office_a"), ("grant", "coord_b", "office_b")):
        assert cli("--db", pg_url, "users", *argv) == 0
    app_url = cluster.url(database, "tracker_web")
    for user, title in (("coord_a", "2024年A局政务公开工作要点"), ("coord_b", "2024年B局政务公开工作要点")):
        monkeypatch.setenv("TRACKER_USER", user)
        build_db(app_url, _draft(title))  # type: ignore[arg-type] - a URL, as the commands take
        assert cli("--db", app_url, "owners", "局办公室", "--email", EMAILS["局办公室"]) == 0
    monkeypatch.delenv("TRACKER_USER")
    return {"owner_url": pg_url, "app_url": app_url, "coord_b_url": cluster.url(database, "coord_b")}


def test_each_office_coordinator_mails_only_their_office_and_logs_it(city, smtp, monkeypatch):
    # coord_a through the shared application login, speaking for coord_a
    monkeypatch.setenv("TRACKER_DB", city["app_url"])
    monkeypatch.setenv("TRACKER_USER", "coord_a")
    code, _, err = remind("--mail")
    assert (code, err) == (0, NOTE)
    [office_a] = smtp.inbox.to("office@example.gov.cn")
    body = office_a.get_body(("plain",)).get_content()
    assert "A局" in body
    assert "B局" not in body
    assert remind("--mail")[1].count("今日已发送,跳过 → ") == 3  # coord_a's second run: nothing new

    # coord_b with their own login role: B's items are a new reminder for the same addresses
    monkeypatch.setenv("TRACKER_DB", city["coord_b_url"])
    monkeypatch.delenv("TRACKER_USER")
    code, out, err = remind("--mail")
    assert (code, err) == (0, NOTE)
    assert out.count("已发送 → ") == 3
    [_, office_b] = smtp.inbox.to("office@example.gov.cn")
    assert "B局" in office_b.get_body(("plain",)).get_content()
    assert "A局" not in office_b.get_body(("plain",)).get_content()
    assert len(smtp.inbox.received) == 6
    assert [status for *_, status, _ in sent_log(city["owner_url"])] == ["sent"] * 6


def _cli_out(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def test_each_office_has_its_own_units_with_their_own_addresses(city, smtp, monkeypatch):
    """Both offices have a 局办公室: two units. Each coordinator sees and changes only their own;
    the city admin sees both, named with their office, and must say which one to change."""
    admin = city["owner_url"]
    code, out, _ = _cli_out("--db", admin, "owners", "--json")
    assert code == 0
    assert '"局办公室（office_a）"' in out
    assert '"局办公室（office_b）"' in out
    code, _, err = _cli_out("--db", admin, "owners", "局办公室", "--email", "x@example.gov.cn")
    assert code == 2
    assert "局办公室（office_a）、局办公室（office_b）" in err
    assert cli("--db", admin, "owners", "局办公室（office_b）", "--email", "b-office@example.gov.cn") == 0

    # coord_a sees one 局办公室, by its plain name, still at A's address; even a hand-written
    # statement does not reach B's unit
    database = admin.rsplit("/", 1)[1]
    code, out, _ = _cli_out("--db", pg_cluster().url(database, "coord_a"), "owners")
    code_b, out_b, _ = _cli_out("--db", city["coord_b_url"], "owners")
    assert (code, code_b) == (0, 0)
    assert "局办公室\toffice@example.gov.cn" in out
    assert "b-office" not in out
    assert "局办公室\tb-office@example.gov.cn" in out_b
    assert "office_a" not in out_b
    with psycopg.connect(pg_cluster().dsn(database, "coord_a"), autocommit=True) as conn:
        changed = conn.execute("UPDATE owner SET email = 'thief@example.gov.cn' WHERE name = '局办公室'").rowcount
    assert changed == 1  # its own unit only

    # each office's reminders go to its own unit's address
    monkeypatch.setenv("TRACKER_DB", city["coord_b_url"])
    assert remind("--mail")[0] == 0
    [office_b] = smtp.inbox.to("b-office@example.gov.cn")
    assert "B局" in office_b.get_body(("plain",)).get_content()
    assert smtp.inbox.to("office@example.gov.cn") == []


def test_a_log_write_the_server_refuses_is_rolled_back_and_one_sentence(city, smtp, monkeypatch):
    with psycopg.connect(pg_cluster().dsn(city["owner_url"].rsplit("/", 1)[1]), autocommit=True) as conn:
        conn.execute("REVOKE INSERT ON sentreminder FROM tracker_coordinator")
    monkeypatch.setenv("TRACKER_DB", city["coord_b_url"])
    code, _, err = remind("--mail")
    assert code == 5
    assert err == NOTE + "tracker: 无法写入提醒发送记录 (permission denied for table sentreminder)。\n"
    code, _, err = remind("--mail", lang="en")
    assert code == 5
    assert err.endswith("tracker: the reminder log could not be written (permission denied for table sentreminder).\n")

    conn = open_log(city["coord_b_url"])  # the same refusal on one connection, then the grant back
    try:
        with pytest.raises(DatabaseError, match="permission denied"):
            log_sent(conn, MAIL, AT)
        with psycopg.connect(pg_cluster().dsn(city["owner_url"].rsplit("/", 1)[1]), autocommit=True) as owner:
            owner.execute("GRANT INSERT ON sentreminder TO tracker_coordinator")
        log_sent(conn, MAIL, AT)  # no aborted transaction left
    finally:
        conn.close()
    assert [(to, status) for _, to, status, _ in sent_log(city["owner_url"])] == [("office@example.gov.cn", "sent")]


# ---------------------------------------------------------------------------------------------
# The sent-log write on PostgreSQL: its own transaction, waiting out a table lock
# ---------------------------------------------------------------------------------------------

def test_the_log_write_retries_while_another_session_locks_the_table(small_pg):
    """A migration-like `LOCK TABLE` held for 0.5 s, a 50 ms lock timeout: taking the message waits, retries, succeeds."""
    database = small_pg.rsplit("/", 1)[1]
    holder = psycopg.connect(pg_cluster().dsn(database), autocommit=True)
    holder.execute("BEGIN")
    holder.execute("LOCK TABLE sentreminder IN EXCLUSIVE MODE")
    timer = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    conn = open_log(small_pg)
    conn.execute("SET lock_timeout = '50ms'")
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    timer.start()
    try:
        log_sent(conn, MAIL, AT, sleep=sleep)
    finally:
        timer.join()
        conn.close()
        holder.close()
    assert waits  # it did meet the lock and wait
    assert sent_log(small_pg) == [("2024-07-01", "office@example.gov.cn", "sent", "")]


def test_a_lock_held_past_every_retry_is_one_sentence_and_writes_nothing(small_pg):
    database = small_pg.rsplit("/", 1)[1]
    with psycopg.connect(pg_cluster().dsn(database)) as holder:  # a transaction, held to the end
        holder.execute("LOCK TABLE sentreminder IN EXCLUSIVE MODE")
        conn = open_log(small_pg)
        conn.execute("SET lock_timeout = '20ms'")
        try:
            with pytest.raises(DatabaseError, match="stayed busy"):
                log_sent(conn, MAIL, AT, sleep=lambda _: None)
        finally:
            conn.close()
        holder.rollback()
    assert sent_log(small_pg) == []
