"""`tracker remind --mail` against a real SMTP server on loopback and a real SQLite sent-log."""

from __future__ import annotations

import io
import sqlite3
import threading
import time
from pathlib import Path

from remind_helpers import (
    DAY,
    NOTE,
    RIGHT_PASSWORD,
    SMALL_TITLE,
    Inbox,
    SmtpServer,
    log_sent,
    mail_with_a_wrong_then_the_right_password,
    remind,
    sent_log,
)

from tracker.cli import main


def test_one_message_per_owner_with_an_address_plus_coordinator_and_leadership(small_db, smtp):
    code, out, err = remind("--mail")
    assert (code, err) == (0, NOTE)
    recipients = sorted(r for rcpts, _ in smtp.inbox.received for r in rcpts)
    assert recipients == ["coordinator@example.gov.cn", "leaders@example.gov.cn", "office@example.gov.cn"]

    [office] = smtp.inbox.to("office@example.gov.cn")
    assert office["Subject"] == "【政务公开提醒】逾期2项、临期0项 — 2024-07-01"
    assert office["From"] == "tracker@example.gov.cn"
    plain = office.get_body(("plain",)).get_content()
    assert f"  [逾期92天] {SMALL_TITLE} 任务1 检查政府网站 — 每季度 (第1季度) 应于2024-03-31" in plain
    assert f"  [逾期1天] {SMALL_TITLE} 任务1 检查政府网站 — 每季度 (第2季度) 应于2024-06-30" in plain
    assert "开展政策评价" not in plain  # 政策法规科's task is not the office's to hear (it only supports)
    html = office.get_body(("html",)).get_content()
    assert html.count("<tr>") == 3
    assert "<td>逾期92天</td>" in html

    [digest] = smtp.inbox.to("coordinator@example.gov.cn")
    assert digest["Subject"] == "【政务公开提醒·汇总】逾期4项、临期0项 — 2024-07-01"
    body = digest.get_body(("plain",)).get_content()
    for words in ("局办公室 (逾期2项、临期0项)", "政策法规科 (逾期1项、临期0项)",
                  "未指定责任单位 (逾期1项、临期0项)", "督办: 逾期超过5个工作日 1项"):
        assert words in body

    [leaders] = smtp.inbox.to("leaders@example.gov.cn")
    assert leaders["Subject"] == "【政务公开督办】逾期超过5个工作日1项 — 2024-07-01"
    assert "任务1 检查政府网站 — 每季度 (第1季度) 应于2024-03-31 — 局办公室" in \
        leaders.get_body(("plain",)).get_content()

    # the unit without an address is reported (on stderr, NOTE); each delivery is one line
    assert out.count("已发送 → ") == 3
    assert [(day, to, status) for day, to, status, _ in sent_log(small_db)] == [
        (DAY, "office@example.gov.cn", "sent"), (DAY, "coordinator@example.gov.cn", "sent"),
        (DAY, "leaders@example.gov.cn", "sent")]


def test_a_second_run_the_same_day_sends_nothing_and_force_resends(small_any, smtp):
    code, out, _ = remind("--mail")
    assert code == 0
    assert out.count("已发送 → ") == 3
    assert len(smtp.inbox.received) == 3
    assert [(day, to, status) for day, to, status, _ in sent_log(small_any)] == [
        (DAY, "office@example.gov.cn", "sent"), (DAY, "coordinator@example.gov.cn", "sent"),
        (DAY, "leaders@example.gov.cn", "sent")]
    code, out, _ = remind("--mail")
    assert code == 0
    assert len(smtp.inbox.received) == 3
    assert out.count("今日已发送,跳过 → ") == 3
    assert remind("--dry-run")[1].count("今日已发送,将跳过 → ") == 3
    code, out, _ = remind("--mail", "--force")
    assert code == 0
    assert len(smtp.inbox.received) == 6
    assert out.count("已发送 → ") == 3
    assert [status for _, _, status, _ in sent_log(small_any)] == ["sent"] * 6


def test_a_new_day_is_a_new_reminder(small_db, smtp):
    assert remind("--mail")[0] == 0
    out = io.StringIO()
    assert main(["remind", "--as-of", "2024-07-02", "--mail"], out=out, err=io.StringIO()) == 0
    assert len(smtp.inbox.received) == 6


def test_refused_connection_is_reported_recorded_and_retried_next_run(small_any, smtp_port):
    code, _, err = remind("--mail")
    assert code == 7
    assert err.count("发送失败 → ") == 3
    assert err.endswith("下次运行时会重试。\n")
    assert "tracker: 3 封提醒邮件中有 3 封未能发送 (" in err
    log = sent_log(small_any)
    assert [status for _, _, status, _ in log] == ["failed"] * 3
    assert all("Connection refused" in error or "ConnectionRefused" in error for *_, error in log)

    code, _, err = remind("--mail", lang="en")  # exit 7 in English: the same facts
    assert code == 7
    assert err.count("could not send → ") == 3
    assert "3 of 3 reminder mail(s) could not be sent" in err
    assert "tried again on the next run" in err
    assert [status for _, _, status, _ in sent_log(small_any)] == ["failed"] * 6

    server = SmtpServer(smtp_port, Inbox()).start()
    try:
        code, _, err = remind("--mail")
    finally:
        server.stop()
    assert (code, err) == (0, NOTE)
    assert sorted(r for rcpts, _ in server.inbox.received for r in rcpts) == [
        "coordinator@example.gov.cn", "leaders@example.gov.cn", "office@example.gov.cn"]
    assert [status for _, _, status, _ in sent_log(small_any)] == ["failed"] * 6 + ["sent"] * 3


def test_dry_run_shows_recipients_subjects_and_bodies_and_sends_and_writes_nothing(small_any, smtp):
    file = small_any if isinstance(small_any, Path) else None
    before = file.read_bytes() if file else b""
    code, out, err = remind("--mail", "--dry-run")
    assert (code, err) == (0, NOTE)
    assert smtp.inbox.received == []
    assert sent_log(small_any) == []
    if file:
        assert file.read_bytes() == before  # not even SQLite's header changed
    assert "将发送 → office@example.gov.cn\n主题: 【政务公开提醒】逾期2项、临期0项 — 2024-07-01" in out
    assert "将发送 → coordinator@example.gov.cn" in out
    assert "将发送 → leaders@example.gov.cn" in out
    assert "[逾期92天]" in out


def test_dry_run_after_a_send_says_what_would_be_skipped(small_db, smtp):
    assert remind("--mail")[0] == 0
    out = remind("--dry-run")[1]
    assert out.count("今日已发送,将跳过 → ") == 3


def test_the_password_never_appears_in_output_or_database(small_db, smtp_port, monkeypatch, tmp_path):
    password = "Pw-7f3c-very-secret"
    failed, ok, server = mail_with_a_wrong_then_the_right_password(smtp_port, monkeypatch, password)
    assert failed[0] == 7
    assert "SMTPAuthenticationError" in failed[2]
    assert ok[0] == 0
    assert len(server.inbox.received) == 3
    files = [p for p in small_db.parent.iterdir() if p.is_file()]
    log_dir = tmp_path / "log"
    files += list(log_dir.iterdir()) if log_dir.exists() else []
    for secret in (password, RIGHT_PASSWORD):
        for text in (*failed[1:], *ok[1:]):
            assert secret not in text
        for path in files:
            assert secret.encode() not in path.read_bytes(), path


def test_password_file_readable_by_others_is_refused_before_anything_is_sent(small_db, smtp, tmp_path,
                                                                           monkeypatch):
    secret = tmp_path / "pw"
    secret.write_text("file-secret-123\n", encoding="utf-8")
    secret.chmod(0o644)
    monkeypatch.setenv("TRACKER_SMTP_USER", "gongkai")
    monkeypatch.setenv("TRACKER_SMTP_PASSWORD_FILE", str(secret))
    code, out, err = remind("--mail")
    assert code == 2
    assert err == f"tracker: 邮件服务器密码文件 {secret} 可被其他用户读取; 请运行 `chmod 600 {secret}` 后重试。\n"
    assert "file-secret-123" not in out + err
    code, out, err = remind("--mail", lang="en")
    assert code == 2
    assert "can be read by other users; run `chmod 600" in err
    assert "file-secret-123" not in out + err
    assert smtp.inbox.received == []


def test_no_smtp_host_is_one_sentence(small_db, monkeypatch):
    monkeypatch.delenv("TRACKER_SMTP_HOST", raising=False)
    code, _, err = remind("--mail")
    assert code == 2
    assert err == "tracker: --mail 需要邮件服务器: 请设置 TRACKER_SMTP_HOST (或 config.toml 中 [smtp] 一节的 host)。\n"
    code, _, err = remind("--mail", lang="en")
    assert code == 2
    assert err == ("tracker: --mail needs an SMTP server: set TRACKER_SMTP_HOST "
                   "(or host in the [smtp] table of config.toml).\n")


def test_mail_waits_out_a_writer_holding_the_lock(small_db, smtp):
    """The TUI holds the write lock (BEGIN IMMEDIATE) for 1.5 s: the sent-log write waits, no error."""
    locked = threading.Event()

    def writer() -> None:
        conn = sqlite3.connect(small_db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO progressnote (task_id, \"on\", text, author, created_at) "
                     "VALUES (1, '2024-07-01', 'tui note', 'tui', '2024-07-01 09:00:00')")
        locked.set()
        time.sleep(1.5)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    locked.wait(5)
    try:
        code, _, err = remind("--mail")
    finally:
        thread.join()
    assert (code, err) == (0, NOTE)
    assert [s for _, _, s, _ in sent_log(small_db)] == ["sent"] * 3


def test_an_unusable_owner_address_is_reported_and_its_items_go_to_the_coordinator(small_db, smtp):
    with sqlite3.connect(small_db) as conn:
        conn.execute("UPDATE owner SET email = ? WHERE name = '局办公室'", ("office@example.gov.cn\nBcc: x@y",))
    conn.close()
    code, _, err = remind("--mail")
    assert code == 0
    assert err == "局办公室 的邮件地址“office@example.gov.cn\nBcc: x@y”无效,其事项只在汇总中。\n" + NOTE
    assert sorted(r for rcpts, _ in smtp.inbox.received for r in rcpts) == [
        "coordinator@example.gov.cn", "leaders@example.gov.cn"]


def test_a_bad_coordinator_address_is_one_sentence(small_db, smtp, monkeypatch):
    monkeypatch.setenv("TRACKER_COORDINATOR_EMAIL", "coordinator at example")
    code, _, err = remind("--mail")
    assert code == 2
    assert err == ("tracker: TRACKER_COORDINATOR_EMAIL “coordinator at example”不是邮件地址; "
                   "请写成 name@example.gov.cn 的形式。\n")
    code, _, err = remind("--mail", lang="en")
    assert code == 2
    assert err == ("tracker: TRACKER_COORDINATOR_EMAIL “coordinator at example” is not a mail address; "
                   "use name@example.gov.cn.\n")
    assert smtp.inbox.received == []


def test_english_mail(small_db, smtp):
    out = io.StringIO()
    assert main(["--lang", "en", "remind", "--as-of", DAY, "--mail"], out=out, err=io.StringIO()) == 0
    [office] = smtp.inbox.to("office@example.gov.cn")
    assert office["Subject"] == "[Disclosure reminder] 2 overdue, 0 due soon — 2024-07-01"
    assert "<th>Status</th>" in office.get_body(("html",)).get_content()
    assert out.getvalue().count("sent → ") == 3


def test_the_sent_log_write_retries_when_a_writer_outlasts_the_busy_timeout(small_db):
    """With a 50 ms busy timeout and a writer holding the lock for 0.5 s, taking and settling a
    message retries and succeeds."""
    from datetime import UTC, datetime

    from tracker.remind.mail import OutgoingMail

    mail = OutgoingMail(kind="owner", recipient="office@example.gov.cn", owner="局办公室", subject="s",
                        text="t", html="h", digest="abc")
    holder = sqlite3.connect(small_db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    timer.start()
    conn = sqlite3.connect(small_db, isolation_level=None, timeout=0.05)
    conn.execute("PRAGMA busy_timeout = 50")
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    try:
        log_sent(conn, mail, datetime(2024, 7, 1, 1, 0, tzinfo=UTC), sleep=sleep)
    finally:
        timer.join()
        conn.close()
        holder.close()
    assert waits  # it did meet the lock and wait
    assert sent_log(small_db) == [("2024-07-01", "office@example.gov.cn", "sent", "")]


class _SlowInbox(Inbox):
    """An inbox whose server takes `delay` seconds to accept each message (a slow relay)."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    async def handle_DATA(self, server, session, envelope) -> str:
        import asyncio

        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


def test_two_runs_at_the_same_moment_send_each_reminder_once(small_any, smtp_port):
    """cron's run and a coordinator's by hand, started together against a slow server: every
    recipient gets one message. Each run takes a reminder (a "sending" row, in a write
    transaction that checks for another run's) before it sends; the other run skips it."""
    import os
    import subprocess
    import sys

    server = SmtpServer(smtp_port, _SlowInbox(delay=0.4)).start()
    argv = [sys.executable, "-m", "tracker", "remind", "--as-of", DAY, "--mail"]
    try:
        runs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=dict(os.environ)) for _ in range(2)]
        results = [(run.wait(60), *run.communicate()) for run in runs]
    finally:
        server.stop()
    assert [(code, err) for code, _, err in results] == [(0, NOTE), (0, NOTE)]
    recipients = sorted(r for rcpts, _ in server.inbox.received for r in rcpts)
    assert recipients == ["coordinator@example.gov.cn", "leaders@example.gov.cn", "office@example.gov.cn"]
    # between them the two runs sent three and skipped three, each saying why
    said = "".join(out for _, out, _ in results)
    assert said.count("已发送 → ") == 3
    assert said.count("跳过 → ") == 3
    assert sorted(status for _, _, status, _ in sent_log(small_any)) == ["sent"] * 3


def test_a_claim_left_by_a_run_that_died_is_taken_again_after_the_timeout(small_db, smtp):
    """A run killed mid-send leaves its "sending" row: within `CLAIM_TIMEOUT` the next run leaves
    the message to it (it may still be sending); after, the message is sent and logged."""
    from datetime import UTC, datetime

    from tracker.remind.mail import CLAIM_TIMEOUT

    # the office's reminder, as a first run logs it (its digest hash is what a claim names)
    assert remind("--mail")[0] == 0
    with sqlite3.connect(small_db) as conn:
        [(digest,)] = conn.execute("SELECT digest FROM sentreminder WHERE recipient = 'office@example.gov.cn'")
    conn.close()
    smtp.inbox.received.clear()

    def leave_a_claim(at: datetime) -> None:
        with sqlite3.connect(small_db) as conn:
            conn.execute("DELETE FROM sentreminder")
            conn.execute("INSERT INTO sentreminder (day, recipient, owner, digest, status, error, at) "
                         "VALUES (?, 'office@example.gov.cn', '局办公室', ?, 'sending', '', ?)",
                         (DAY, digest, at.strftime("%Y-%m-%d %H:%M:%S.%f")))
        conn.close()

    leave_a_claim(datetime.now(UTC))
    assert "另一次运行正在发送,将跳过 → office@example.gov.cn" in remind("--dry-run")[1]
    code, out, err = remind("--mail")
    assert (code, err) == (0, NOTE)
    assert "另一次运行正在发送,跳过 → office@example.gov.cn" in out
    assert smtp.inbox.to("office@example.gov.cn") == []

    leave_a_claim(datetime.now(UTC) - CLAIM_TIMEOUT - CLAIM_TIMEOUT / 10)
    code, out, err = remind("--mail")
    assert (code, err) == (0, NOTE)
    assert len(smtp.inbox.to("office@example.gov.cn")) == 1
    assert [(status, error) for _, to, status, error in sent_log(small_db) if to == "office@example.gov.cn"] == [
        ("failed", "the run sending it stopped before it finished"), ("sent", "")]


def _fault_on_first_message(monkeypatch, fault: BaseException) -> None:
    """The first message built this run raises `fault` (a bug of ours or of a library, or Ctrl-C);
    the others are built by the real `build_message`."""
    from tracker.remind import mail

    real, raised = mail.build_message, []

    def build(*args, **kwargs):
        if not raised:
            raised.append(fault)
            raise fault
        return real(*args, **kwargs)

    monkeypatch.setattr(mail, "build_message", build)


def test_an_unexpected_error_fails_every_message_leaves_no_claim_and_all_are_retried(small_db, smtp,
                                                                                     monkeypatch):
    """Not an OSError or SMTPException (before: exit 70, the first message's row left "sending"
    so the next run skipped it for 10 minutes, the others never tried): every message is failed
    with the same reason, exit 7, and the next run sends them all."""
    _fault_on_first_message(monkeypatch, ValueError("a library fault"))
    code, _, err = remind("--mail")
    assert code == 7
    assert err.count("发送失败 → ") == 3
    assert "tracker: 3 封提醒邮件中有 3 封未能发送 (ValueError: a library fault); 下次运行时会重试。\n" in err
    assert smtp.inbox.received == []
    assert [(status, error) for _, _, status, error in sent_log(small_db)] == [
        ("failed", "ValueError: a library fault")] * 3

    code, out, err = remind("--mail")
    assert (code, err) == (0, NOTE)
    assert out.count("已发送 → ") == 3
    assert len(smtp.inbox.received) == 3


def test_an_interrupt_settles_its_message_as_failed_so_the_next_run_sends_it(small_db, smtp, monkeypatch):
    _fault_on_first_message(monkeypatch, KeyboardInterrupt())
    code, _, err = remind("--mail")
    assert code == 130
    assert [(to, status, error) for _, to, status, error in sent_log(small_db)] == [
        ("office@example.gov.cn", "failed", "interrupted")]
    code, out, err = remind("--mail")
    assert (code, err) == (0, NOTE)
    assert "另一次运行正在发送" not in out
    assert len(smtp.inbox.received) == 3


def test_notes_about_who_cannot_be_reached_go_to_stderr(small_db, smtp):
    """cron's `tracker remind --mail >/dev/null` mails only stderr: the notes were on stdout."""
    code, out, err = remind("--mail")
    assert (code, err) == (0, NOTE)
    assert "没有邮件地址" not in out
    code, out, err = remind("--dry-run")
    assert (code, err) == (0, NOTE)


def test_without_a_coordinator_the_notes_say_the_items_reach_nobody(small_db, smtp, monkeypatch):
    """No coordinator address means no digest: "其事项只在汇总中" was untrue (and a separate note
    then said the opposite)."""
    monkeypatch.delenv("TRACKER_COORDINATOR_EMAIL")
    monkeypatch.delenv("TRACKER_LEADERSHIP_EMAIL")
    with sqlite3.connect(small_db) as conn:
        conn.execute("UPDATE owner SET email = 'not an address' WHERE name = '局办公室'")
    conn.close()
    code, out, err = remind("--mail")
    assert (code, out, smtp.inbox.received) == (0, "", [])
    assert err.splitlines() == [
        "局办公室 的邮件地址“not an address”无效,且未设置协调人地址(TRACKER_COORDINATOR_EMAIL),其事项无人接收。",
        "政策法规科 没有邮件地址(用 `tracker owners 政策法规科 --email 地址` 设置),"
        "且未设置协调人地址(TRACKER_COORDINATOR_EMAIL),其事项无人接收。",
        "未指定责任单位的事项无人接收:请设置 TRACKER_COORDINATOR_EMAIL。",
        "未设置领导地址(TRACKER_LEADERSHIP_EMAIL),也未设置协调人地址(TRACKER_COORDINATOR_EMAIL),督办事项无人接收。",
    ]
    en_out, en_err = io.StringIO(), io.StringIO()
    assert main(["--lang", "en", "remind", "--as-of", DAY, "--mail"], out=en_out, err=en_err) == 0
    assert en_out.getvalue() == ""
    assert en_err.getvalue().splitlines() == [
        "局办公室's mail address “not an address” is not a valid address and there is no coordinator "
        "address (TRACKER_COORDINATOR_EMAIL): its items reach nobody.",
        "政策法规科 has no mail address (set one with `tracker owners 政策法规科 --email ADDRESS`) and "
        "there is no coordinator address (TRACKER_COORDINATOR_EMAIL): its items reach nobody.",
        "items of tasks without an owner reach nobody: set TRACKER_COORDINATOR_EMAIL.",
        "no leadership address (TRACKER_LEADERSHIP_EMAIL) and no coordinator address "
        "(TRACKER_COORDINATOR_EMAIL): the escalated items (督办) reach nobody.",
    ]


def test_with_a_coordinator_but_no_leadership_the_escalations_are_in_the_digest(small_db, smtp, monkeypatch):
    monkeypatch.delenv("TRACKER_LEADERSHIP_EMAIL")
    code, _, err = remind("--mail")
    assert code == 0
    assert err == NOTE + "未设置领导地址(TRACKER_LEADERSHIP_EMAIL),督办事项只在汇总中。\n"
    assert "督办: 逾期超过5个工作日 1项" in smtp.inbox.to("coordinator@example.gov.cn")[0].get_body(
        ("plain",)).get_content()


def test_the_digest_hash_is_what_the_message_asks_not_how_a_viewer_labels_it():
    """QA: the admin's run labels a unit "局办公室（民政局）", the office coordinator's "局办公室": the
    hashes differed, so the same reminder was mailed twice a day. Display words (labels, titles, the
    rule's wording, `rule_no`) are not hashed; the obligation, its due date and status are."""
    from datetime import date

    from tracker.model import Status
    from tracker.remind import ReminderItem
    from tracker.remind.mail import digest_hash

    item = ReminderItem(1, "P", 2, "8", "T", 3, 2, "每年1次", "2024-Y1", date(2024, 6, 30), Status.OVERDUE,
                        "局办公室", 1, 1, None, False, "")
    admins = item._replace(owner="局办公室（民政局）", plan="P（民政局）", title="T2", rule_index=1, rule="every year")
    other = ReminderItem(1, "P", 2, "8", "T", 3, 2, "每年1次", "2024-Y2", date(2024, 12, 31), Status.DUE_SOON,
                         "局办公室", None, None, 3, False, "")
    assert digest_hash("owner", [item, other]) == digest_hash("owner", [other._replace(owner="x"), admins])
    assert digest_hash("owner", [item]) != digest_hash("owner", [item._replace(due=date(2024, 7, 1))])
    assert digest_hash("owner", [item]) != digest_hash("owner", [item._replace(status=Status.DUE_SOON)])
    assert digest_hash("owner", [item]) != digest_hash("owner", [item._replace(key="2024-Y2")])
    assert digest_hash("owner", [item]) != digest_hash("digest", [item])
