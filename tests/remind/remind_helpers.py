"""Helpers of the reminder tests: a small plan, a database built by tracker.store, a loopback SMTP server.

Imported by name (`from remind_helpers import …`); pytest's fixtures live in this directory's conftest.py.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from tracker.model import Owners, PlanDraft, Requirement, RequirementKind, SectionDraft, TaskDraft

SMALL_TITLE = "2024年测试局政务公开工作要点"
K = RequirementKind
SMALL = PlanDraft(
    kind="workplan", title=SMALL_TITLE, issuer="测试局", year=2024,
    sections=(SectionDraft("一", "公开质量"),),
    tasks=(
        TaskDraft("1", ("一", "1"), "检查政府网站", "每季度对政府网站内容进行检索检查。",
                  owners=Owners(lead=("局办公室",)),
                  requirements=(Requirement(kind=K.RECURRING, source="每季度", count=1, period="quarter"),)),
        TaskDraft("2", ("一", "2"), "开展政策评价", "每年至少开展2次专题性政策评价工作。",
                  owners=Owners(lead=("政策法规科",), support=("局办公室",)),
                  requirements=(Requirement(kind=K.RECURRING, source="每年至少开展2次", count=2, period="year"),)),
        TaskDraft("3", ("一", "3"), "公开年度报告", "6月底前公开年度报告。",
                  requirements=(Requirement(kind=K.DEADLINE, source="6月底前", month=6, day=30),)),
    ),
)
"""A small plan: as of 2024-07-01, task 1 (局办公室) is overdue for Q1 and Q2, task 2 (政策法规科,
no address) for its first evaluation, task 3 (no owner) for its June deadline."""

EMAILS = {"局办公室": "office@example.gov.cn"}


def build_db(path: Path, draft: PlanDraft, *, emails: dict[str, str] | None = None,
             owners: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] | None = None) -> Path:
    """A database written the way the commands write it: import the draft, assign, set addresses."""
    from tracker.store import open_store
    from tracker.store.actions import assign_owners, find_task, set_owner_email
    from tracker.store.importer import import_plan

    store = open_store(str(path))
    try:
        with store.transaction(who="test", action="import") as session:
            import_plan(session=session, draft=draft, source_name="plan.txt")
        for number, (lead, support) in (owners or {}).items():
            with store.transaction(who="test", action="assign") as session:
                task = find_task(session=session, ref=number)
                assign_owners(session=session, task=task, lead=lead, support=support)
        for name, email in (emails or {}).items():
            with store.transaction(who="test", action="owners") as session:
                set_owner_email(session=session, name=name, email=email)
    finally:
        store.close()
    return path


def sent_log(db: Path | str) -> list[tuple[str, str, str, str]]:
    """(day, recipient, status, error) of every sent-log row, in order (a SQLite file or a PostgreSQL URL)."""
    from db_rows import rows

    return rows(db, "SELECT day, recipient, status, error FROM sentreminder ORDER BY id")


# ---------------------------------------------------------------------------------------------
# A real SMTP server on loopback (aiosmtpd)
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (right now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Inbox:
    """What the loopback server received: (envelope recipients, parsed message) per message."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd handler hook
        msg = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [msg for rcpts, msg in self.received if address in rcpts]


@dataclass
class SmtpServer:
    """A started aiosmtpd Controller on `port` (optionally requiring a login as `user`, UTF-8 on
    the wire, with the AUTH mechanisms of `no_mechanisms` not offered)."""

    port: int
    inbox: Inbox
    password: str | None = None
    user: str = "gongkai"
    no_mechanisms: tuple[str, ...] = ()
    logins: list[tuple[str, bytes, bytes]] = field(default_factory=list)
    """(mechanism, login, password) of every AUTH attempt, as the server received them (bytes)."""

    def start(self) -> SmtpServer:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        kwargs: dict[str, Any] = {}
        if self.password is not None:
            def check(server, session, envelope, mechanism, auth_data):
                self.logins.append((mechanism, auth_data.login, auth_data.password))
                ok = auth_data.login == self.user.encode() and auth_data.password == self.password.encode()
                return AuthResult(success=ok, handled=False)
            kwargs = {"authenticator": check, "auth_require_tls": False,
                      "auth_exclude_mechanism": self.no_mechanisms}
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


NOTE = "政策法规科 没有邮件地址(用 `tracker owners 政策法规科 --email 地址` 设置),其事项只在汇总中。\n"
"""What every `--mail` run of the small plan says on stderr: 政策法规科 has no address."""

DAY = "2024-07-01"
"""The day the mail tests remind for (a Monday: the small plan's quarter checks are overdue)."""


def remind(*args: str, lang: str | None = None) -> tuple[int, str, str]:
    """`tracker remind --as-of DAY ARGS…` in process (TRACKER_DB set by the fixture): code, out, err;
    `lang` ("en") adds `--lang LANG`, else the default language (Chinese) speaks."""
    import io

    from tracker.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main([*(("--lang", lang) if lang else ()), "remind", "--as-of", DAY, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


RIGHT_PASSWORD = "another-password"
"""The SMTP password the server of `mail_with_a_wrong_then_the_right_password` accepts."""


def mail_with_a_wrong_then_the_right_password(port: int, monkeypatch: Any, wrong: str
                                              ) -> tuple[tuple[int, str, str], tuple[int, str, str], SmtpServer]:
    """`tracker remind --mail` as user "gongkai" with the password `wrong` (the server on `port`
    refuses it), then with `RIGHT_PASSWORD`: (first run, second run, the stopped server)."""
    monkeypatch.setenv("TRACKER_SMTP_USER", "gongkai")
    monkeypatch.setenv("TRACKER_SMTP_PASSWORD", wrong)
    server = SmtpServer(port, Inbox(), password=RIGHT_PASSWORD).start()
    try:
        failed = remind("--mail")  # authentication refused: three "failed" rows with the server's words
        monkeypatch.setenv("TRACKER_SMTP_PASSWORD", RIGHT_PASSWORD)
        ok = remind("--mail")
    finally:
        server.stop()
    return failed, ok, server


def log_sent(conn: Any, mail: Any, at: Any, sleep: Any = None) -> None:
    """Log `mail` as sent on 2024-07-01 the way a run does: take it (`claim`), then settle it."""
    import time
    from datetime import date

    from tracker.remind.mail import claim, settle

    wait = sleep or time.sleep
    taken = claim(conn, day=date(2024, 7, 1), mail=mail, at=at, sleep=wait)
    assert isinstance(taken, int), taken
    settle(conn, taken, status="sent", error="", sleep=wait)
