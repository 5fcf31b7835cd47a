"""Logging in to the loopback SMTP server (aiosmtpd) with credentials smtplib alone cannot send."""

from __future__ import annotations

import pytest
from remind_helpers import NOTE, Inbox, SmtpServer, remind, sent_log

RECIPIENTS = ["coordinator@example.gov.cn", "leaders@example.gov.cn", "office@example.gov.cn"]


@pytest.mark.parametrize(("user", "password"), [("gongkai", "密码"), ("公开办", "pässwörd"), ("gongkai", "ascii-pw")])
def test_a_non_ascii_user_or_password_logs_in_with_auth_plain_in_utf8(small_db, smtp_port, monkeypatch,
                                                                      user, password):
    """smtplib encodes AUTH as ASCII (UnicodeEncodeError, exit 70 and a claim left "sending");
    RFC 4616's PLAIN carries UTF-8, and the server receives exactly the UTF-8 bytes."""
    monkeypatch.setenv("TRACKER_SMTP_USER", user)
    monkeypatch.setenv("TRACKER_SMTP_PASSWORD", password)
    server = SmtpServer(smtp_port, Inbox(), password=password, user=user).start()
    try:
        code, out, err = remind("--mail")
    finally:
        server.stop()
    assert (code, err) == (0, NOTE)
    assert sorted(r for rcpts, _ in server.inbox.received for r in rcpts) == RECIPIENTS
    assert set(server.logins) == {("PLAIN", user.encode(), password.encode("utf-8"))}
    assert [status for _, _, status, _ in sent_log(small_db)] == ["sent"] * 3
    assert password not in out + err


def test_a_non_ascii_password_without_auth_plain_fails_every_message_in_one_clear_line(small_db, smtp_port,
                                                                                      monkeypatch):
    # not "密码": the Chinese sentence says 密码 (password), and a password is never shown
    monkeypatch.setenv("TRACKER_SMTP_USER", "gongkai")
    monkeypatch.setenv("TRACKER_SMTP_PASSWORD", "机密口令")
    server = SmtpServer(smtp_port, Inbox(), password="机密口令", no_mechanisms=("PLAIN",)).start()
    try:
        code, out, err = remind("--mail")
        en_code, en_out, en_err = remind("--mail", lang="en")
    finally:
        server.stop()
    assert code == en_code == 7
    assert "邮件服务器不支持 AUTH PLAIN, 而含非 ASCII 字符的用户名或密码需要它" in err
    assert "下次运行时会重试。" in err
    assert "the server does not offer AUTH PLAIN, which a non-ASCII SMTP user or password needs" in en_err
    assert "tried again on the next run" in en_err
    assert "机密口令" not in out + err + en_out + en_err
    assert server.inbox.received == []
    assert server.logins == []
    assert [status for _, _, status, _ in sent_log(small_db)] == ["failed"] * 6
