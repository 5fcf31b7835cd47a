"""Reminder mail: a digest → messages, sent over SMTP once a day each, with a sent-log in the database.

Who gets what (issue 6): each owner with an address gets its own items; the coordinator gets the
whole digest (it includes owners without an address and tasks without an owner); the leadership
address gets the escalated items (督办). Every message has a plain-text part and an HTML table.

The sent-log is the `sentreminder` table, one row per attempt: (day, recipient, digest hash,
"sending"|"sent"|"failed"), each change in its own transaction. It is written through
`tracker.query.connect`'s plain DB-API connection, so the same SQL runs on a SQLite file
(`BEGIN IMMEDIATE`, busy timeout 5 s, retried) and on PostgreSQL (`BEGIN`, lock timeout 5 s, retried; as the tracker user, so an
office coordinator under row-level security writes it as well — the table has no office policy). A
message whose (day, recipient, digest) was already sent is skipped unless forced, so a second cron
run the same day sends nothing; a failed one has no "sent" row and is tried again on the next run.
Before sending, a run takes the message: it writes a "sending" row in a write transaction that
first checks for a "sent" row or another run's fresh "sending" row (`claim`), then turns its row
into "sent" or "failed". So two runs at the same moment (cron's and a coordinator's by hand) send
each message once; a run that died mid-send leaves a "sending" row that stops counting after
`CLAIM_TIMEOUT` (the message is then sent again: at least once, never silently dropped).
The digest hash covers the message's kind and items, so a reminder whose items changed during the
day is a new reminder. Nothing here stores, logs or prints the SMTP password.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from tracker import query
from tracker.errors import DatabaseError, UsageError
from tracker.query.connection import ServerError
from tracker.remind import Digest, ReminderItem
from tracker.remind.config import SmtpSettings, is_address
from tracker.remind.render import HtmlFormatter, TextFormatter, subject

if TYPE_CHECKING:
    import smtplib
    from email.message import EmailMessage

_T = TypeVar("_T")

LOCK_RETRIES = 6
"""Attempts at a sent-log write when the TUI holds the write lock past the 5 s busy timeout (≈30 s)."""
PG_LOCK_TIMEOUT = "5s"
"""PostgreSQL: how long one sent-log write waits for a table lock (a migration, a `LOCK TABLE`)."""
SMTP_TIMEOUT = 20.0
"""Seconds before a silent SMTP server counts as a failed delivery."""
CLAIM_TIMEOUT = timedelta(minutes=10)
"""How long a "sending" row keeps other runs off its message. Sending one message takes at most
a connection and a send, each bounded by `SMTP_TIMEOUT`; a row older than this was left by a run
that stopped before it finished (killed, the machine restarted), and the message is tried again."""
_ABANDONED = "the run sending it stopped before it finished"
_INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class OutgoingMail:
    """One message to send: to whom, why, its subject and both bodies, and its sent-log hash."""

    kind: str
    """"owner", "digest" (coordinator) or "escalated" (leadership)."""
    recipient: str
    owner: str
    """The unit it is about ("" for the coordinator's and the leadership's messages)."""
    subject: str
    text: str
    html: str
    digest: str
    """sha256 of the kind and the items: the sent-log's identity of this reminder."""


@dataclass
class DeliveryReport:
    """What a run did with each message; `failed` non-empty means exit 7 (DeliveryError)."""

    sent: list[OutgoingMail] = field(default_factory=list)
    skipped: list[OutgoingMail] = field(default_factory=list)
    """Already sent today with the same items, or being sent by another run (not forced)."""
    failed: list[tuple[OutgoingMail, str]] = field(default_factory=list)


def digest_hash(kind: str, items: Iterable[ReminderItem]) -> str:
    """A stable hash of what a message asks: its kind and, per item, the obligation (rule id and
    key), its due date, status and whether that date is provisional — not display words (a unit's
    label is "局办公室（民政局）" for a city admin, "局办公室" for the office's coordinator; titles
    and rule wording): the same reminder hashes alike whoever runs `remind --mail`, so it is sent
    once a day. (Until this version the items' JSON was hashed, labels included: a message sent on
    the upgrade day may be sent once more.)"""
    objects = sorted([item.requirement_id, item.key, item.due.isoformat(), item.status.value, bool(item.provisional)]
                     for item in items)
    payload = json.dumps([kind, objects], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def plan_messages(digest: Digest, settings: SmtpSettings, *,
                  lang: str = "zh") -> tuple[list[OutgoingMail], list[str]]:
    """The messages a digest calls for, and plain-words notes about who cannot be reached.

    Pure. An owner without an address gets no message of its own, and a note says where its items
    go: into the coordinator's digest, or — without a coordinator address, so without a digest —
    to nobody (each note says which, so that no two contradict). An empty digest needs no message.
    """
    text_fmt, html_fmt = TextFormatter(lang), HtmlFormatter(lang)
    mails: list[OutgoingMail] = []
    notes: list[str] = []
    lost = "" if settings.coordinator else "_lost"  # the notes' wording: in the digest, or nowhere
    for group in digest.owners:
        if group.owner and group.email and not is_address(group.email):
            notes.append(_words(lang, "bad_address" + lost, owner=group.owner, email=group.email))
        elif group.owner and group.email:
            mails.append(OutgoingMail(
                kind="owner", recipient=group.email, owner=group.owner,
                subject=subject("owner", as_of=digest.as_of, overdue=group.overdue,
                                due_soon=group.due_soon, lang=lang),
                text=text_fmt.owner(digest, group), html=html_fmt.owner(digest, group),
                digest=digest_hash("owner", group.items)))
        elif group.owner:
            notes.append(_words(lang, "no_address" + lost, owner=group.owner))
        elif not settings.coordinator:
            notes.append(_words(lang, "unassigned_lost"))
    if digest.empty:
        return mails, notes
    if settings.coordinator:
        mails.append(OutgoingMail(
            kind="digest", recipient=settings.coordinator, owner="",
            subject=subject("digest", as_of=digest.as_of, overdue=digest.overdue,
                            due_soon=digest.due_soon, lang=lang),
            text=text_fmt.digest(digest), html=html_fmt.digest(digest),
            digest=digest_hash("digest", digest.items)))
    if digest.escalated and settings.leadership:
        mails.append(OutgoingMail(
            kind="escalated", recipient=settings.leadership, owner="",
            subject=subject("escalated", as_of=digest.as_of, count=len(digest.escalated),
                            escalate_after=digest.escalate_after, lang=lang),
            text=text_fmt.escalation(digest), html=html_fmt.escalation(digest),
            digest=digest_hash("escalated", digest.escalated)))
    elif digest.escalated:
        notes.append(_words(lang, "no_leadership" + lost))
    return mails, notes


_WORDS: dict[str, tuple[str, str]] = {
    # notes (stderr); "…_lost": the same without a coordinator address, where no digest goes out
    "bad_address": ("{owner} 的邮件地址“{email}”无效,其事项只在汇总中。",
                    "{owner}'s mail address “{email}” is not a valid address; its items are only "
                    "in the coordinator's digest."),
    "bad_address_lost": ("{owner} 的邮件地址“{email}”无效,且未设置协调人地址(TRACKER_COORDINATOR_EMAIL),"
                         "其事项无人接收。",
                         "{owner}'s mail address “{email}” is not a valid address and there is no "
                         "coordinator address (TRACKER_COORDINATOR_EMAIL): its items reach nobody."),
    "no_address": ("{owner} 没有邮件地址(用 `tracker owners {owner} --email 地址` 设置),其事项只在汇总中。",
                   "{owner} has no mail address (set one with `tracker owners {owner} --email ADDRESS`); "
                   "its items are only in the coordinator's digest."),
    "no_address_lost": ("{owner} 没有邮件地址(用 `tracker owners {owner} --email 地址` 设置),"
                        "且未设置协调人地址(TRACKER_COORDINATOR_EMAIL),其事项无人接收。",
                        "{owner} has no mail address (set one with `tracker owners {owner} --email "
                        "ADDRESS`) and there is no coordinator address (TRACKER_COORDINATOR_EMAIL): "
                        "its items reach nobody."),
    "unassigned_lost": ("未指定责任单位的事项无人接收:请设置 TRACKER_COORDINATOR_EMAIL。",
                        "items of tasks without an owner reach nobody: set TRACKER_COORDINATOR_EMAIL."),
    "no_leadership": ("未设置领导地址(TRACKER_LEADERSHIP_EMAIL),督办事项只在汇总中。",
                      "no leadership address (TRACKER_LEADERSHIP_EMAIL): escalated items are only "
                      "in the coordinator's digest."),
    "no_leadership_lost": ("未设置领导地址(TRACKER_LEADERSHIP_EMAIL),也未设置协调人地址"
                           "(TRACKER_COORDINATOR_EMAIL),督办事项无人接收。",
                           "no leadership address (TRACKER_LEADERSHIP_EMAIL) and no coordinator address "
                           "(TRACKER_COORDINATOR_EMAIL): the escalated items (督办) reach nobody."),
    "sent": ("已发送 → {to}: {subject}", "sent → {to}: {subject}"),
    "skipped": ("今日已发送,跳过 → {to}: {subject}", "already sent today, skipped → {to}: {subject}"),
    "in_flight": ("另一次运行正在发送,跳过 → {to}: {subject}",
                  "being sent by another run, skipped → {to}: {subject}"),
    "failed": ("发送失败 → {to}: {error} (下次运行时重试)",
               "could not send → {to}: {error} (will retry on the next run)"),
    "would_send": ("将发送 → {to}", "would send → {to}"),
    "would_skip": ("今日已发送,将跳过 → {to}", "already sent today, would skip → {to}"),
    "would_wait": ("另一次运行正在发送,将跳过 → {to}", "being sent by another run, would skip → {to}"),
    "subject": ("主题: {subject}", "Subject: {subject}"),
    # a login failure (`_login`), reported through the delivery's "failed" line
    "no_plain": ("邮件服务器不支持 AUTH PLAIN, 而含非 ASCII 字符的用户名或密码需要它",
                 "the server does not offer AUTH PLAIN, which a non-ASCII SMTP user or password needs"),
}


def _words(lang: str, key: str, **values: str) -> str:
    zh, en = _WORDS[key]
    return (en if lang == "en" else zh).format(**values)


# ---------------------------------------------------------------------------------------------
# The sent-log (plain DB-API through tracker.query: the cron path never imports the ORM)
# ---------------------------------------------------------------------------------------------


def open_log(db: str, *, writable: bool = True) -> sqlite3.Connection:
    """A connection for the sent-log: `tracker.query.connect`'s, on SQLite or PostgreSQL.

    Writable ones are in autocommit mode (`claim` and `settle` open their own transactions). On
    PostgreSQL the session waits at most `PG_LOCK_TIMEOUT` for a table lock (SQLite's 5 s busy timeout), and it
    runs as the tracker user like every other connection: the sent-log has no office policy, and
    the tracker roles may write it. Errors are `DatabaseError` sentences without the URL's password.
    """
    conn = query.connect(db, writable=writable)
    if writable and not isinstance(conn, sqlite3.Connection):
        try:
            conn.execute(f"SET lock_timeout = '{PG_LOCK_TIMEOUT}'")
        except BaseException:
            conn.close()
            raise
    return conn


def taken(conn: sqlite3.Connection, *, day: date, mail: OutgoingMail, at: datetime) -> str | None:
    """Whether this reminder (day, recipient, digest) is spoken for: "sent" (a "sent" row), "sending"
    (another run's "sending" row less than `CLAIM_TIMEOUT` older than `at`), else None."""
    found = {row[0] for row in conn.execute(
        "SELECT status FROM sentreminder WHERE day = ? AND recipient = ? AND digest = ? "
        "AND (status = 'sent' OR (status = 'sending' AND at > ?))",
        (day.isoformat(), mail.recipient, mail.digest, _stamp(at - CLAIM_TIMEOUT)))}
    return "sent" if "sent" in found else "sending" if found else None


def claim(conn: sqlite3.Connection, *, day: date, mail: OutgoingMail, at: datetime, force: bool = False,
          sleep: Callable[[float], None] = time.sleep) -> int | str:
    """Take this reminder for sending: the id of a new "sending" row, or why not — "sent" (sent
    today already) or "sending" (another run took it less than `CLAIM_TIMEOUT` ago).

    The check and the insert are one write transaction (SQLite's `BEGIN IMMEDIATE`; a SHARE ROW
    EXCLUSIVE lock on the table on PostgreSQL, which lets readers in and no other claim), so two
    runs at the same moment cannot both take it. Older "sending" rows of the same reminder are
    closed as "failed" (their run stopped mid-send). `force` takes it whatever the log says. Lock
    waits are retried (`_write`).
    """
    key = (day.isoformat(), mail.recipient, mail.digest)

    def take(conn: sqlite3.Connection) -> int | str:
        if not isinstance(conn, sqlite3.Connection):
            conn.execute("LOCK TABLE sentreminder IN SHARE ROW EXCLUSIVE MODE")
        conn.execute("UPDATE sentreminder SET status = 'failed', error = ? WHERE day = ? AND recipient = ? "
                     "AND digest = ? AND status = 'sending' AND at <= ?",
                     (_ABANDONED, *key, _stamp(at - CLAIM_TIMEOUT)))
        state = None if force else taken(conn, day=day, mail=mail, at=at)
        if state is not None:
            return state
        return int(conn.execute(
            "INSERT INTO sentreminder (day, recipient, owner, digest, status, error, at) "
            "VALUES (?, ?, ?, ?, 'sending', '', ?) RETURNING id", (*key[:2], mail.owner, key[2], _stamp(at)),
        ).fetchone()[0])

    return _write(conn, take, sleep=sleep)


def settle(conn: sqlite3.Connection, claim_id: int, *, status: str, error: str,
           sleep: Callable[[float], None] = time.sleep) -> None:
    """Turn a claim's "sending" row into "sent" or "failed" (with the error), in its own transaction."""
    _write(conn, lambda conn: conn.execute("UPDATE sentreminder SET status = ?, error = ? WHERE id = ?",
                                           (status, error, claim_id)), sleep=sleep)


def _stamp(at: datetime) -> str:
    """The sent-log's time format (the `at` column: text on SQLite, a timestamp on PostgreSQL)."""
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


def _write(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], _T],
           sleep: Callable[[float], None]) -> _T:
    """`work` in one write transaction, waiting out a writer that holds the lock.

    SQLite: `BEGIN IMMEDIATE`, waiting up to the busy timeout (5 s); PostgreSQL: `BEGIN` (waits
    only for a table lock, up to the session's lock timeout). If the lock is still held, the write
    is retried (`LOCK_RETRIES` times) before `DatabaseError` says the database stayed busy. A
    failed statement rolls the transaction back: the log changes whole or not at all.
    """
    for attempt in range(LOCK_RETRIES):
        try:
            return _transaction(conn, work)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise DatabaseError(f"the reminder log could not be written ({exc}).",
                                    zh=f"无法写入提醒发送记录 ({exc})。") from None
        except DatabaseError as exc:  # PostgreSQL: PgConnection's sentence
            if "lock timeout" not in str(exc):
                raise DatabaseError(f"the reminder log could not be written ({_pg_reason(exc)}).",
                                    zh=f"无法写入提醒发送记录 ({_pg_reason(exc, 'zh')})。") from None
        sleep(0.2 * (attempt + 1))
    raise DatabaseError("the database stayed busy (another tracker is writing); "
                        "the reminder log could not be written — try again.",
                        zh="数据库正忙 (另一个 tracker 程序正在写入), 无法写入提醒发送记录; 请稍后重试。")


def _transaction(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], _T]) -> _T:
    conn.execute("BEGIN IMMEDIATE")  # PgConnection runs it as BEGIN
    try:
        result = work(conn)
    except BaseException:
        with suppress(sqlite3.Error, DatabaseError):  # the statement's own error says more
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


def _pg_reason(exc: DatabaseError, lang: str = "en") -> str:
    """The server's own words when PostgreSQL refused a statement (`ServerError.reason`), else the
    sentence in `lang` (without its full stop)."""
    if isinstance(exc, ServerError):
        return exc.reason
    return exc.text(lang).removesuffix(".").removesuffix("。")


# ---------------------------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------------------------


def build_message(mail: OutgoingMail, settings: SmtpSettings, *, now: datetime) -> EmailMessage:
    """The MIME message: plain text, then an HTML alternative; Chinese subject encoded per RFC 2047."""
    # email.message/utils cost a few ms: imported only when mail is built.
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid

    sender = settings.sender or "tracker@localhost"
    msg = EmailMessage()
    msg["Subject"] = mail.subject
    msg["From"] = sender
    msg["To"] = mail.recipient
    msg["Date"] = format_datetime(now.astimezone())
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    return msg


def check_sendable(settings: SmtpSettings) -> None:
    """`UsageError` unless the settings can send: a server, and a password for a user. The command
    calls it before its notes, so that a run that cannot send says only why."""
    if not settings.host:
        raise UsageError("--mail needs an SMTP server: set TRACKER_SMTP_HOST (or host in the "
                         "[smtp] table of config.toml).",
                         zh="--mail 需要邮件服务器: 请设置 TRACKER_SMTP_HOST (或 config.toml 中 [smtp] 一节的 host)。")
    if settings.user and settings.password is None:
        raise UsageError("SMTP user is set but no password: set TRACKER_SMTP_PASSWORD or "
                         "TRACKER_SMTP_PASSWORD_FILE.",
                         zh="已设置邮件服务器用户名, 但没有密码: 请设置 TRACKER_SMTP_PASSWORD 或 "
                            "TRACKER_SMTP_PASSWORD_FILE。")


class Sender:
    """One SMTP session for a run, opened on first use and reopened after a failed message; its
    own failure words (a login it cannot make) are in `lang`."""

    def __init__(self, settings: SmtpSettings, lang: str = "zh") -> None:
        check_sendable(settings)
        self.settings, self.lang = settings, lang
        self._smtp: smtplib.SMTP | None = None

    def send(self, msg: EmailMessage, recipient: str) -> None:
        """Deliver one message; raises OSError or smtplib.SMTPException when it cannot."""
        smtp = self._smtp or self._connect()
        try:
            smtp.send_message(msg, to_addrs=[recipient])
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """End the session (politely if the server still listens)."""
        import smtplib

        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    def _connect(self) -> smtplib.SMTP:
        import smtplib  # stdlib, ~5 ms: only on the mail path
        import ssl

        s = self.settings
        assert s.host is not None
        if s.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=SMTP_TIMEOUT,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=SMTP_TIMEOUT)
        try:
            if s.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                _login(smtp, s.user, s.password or "", self.lang)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp


def _login(smtp: smtplib.SMTP, user: str, password: str, lang: str = "zh") -> None:
    """Log in: smtplib's `login` for ASCII credentials, else AUTH PLAIN carrying UTF-8 (RFC 4616).

    smtplib encodes every AUTH payload as ASCII, so a user or password such as "密码" raised
    UnicodeEncodeError; PLAIN is the one common mechanism whose payload is defined as UTF-8.
    A server that does not offer PLAIN gets a login failure that says why, in `lang`.
    """
    import smtplib

    if user.isascii() and password.isascii():
        smtp.login(user, password)
        return
    import base64

    smtp.ehlo_or_helo_if_needed()
    if "PLAIN" not in smtp.esmtp_features.get("auth", "").upper().split():
        raise smtplib.SMTPAuthenticationError(504, _words(lang, "no_plain"))
    payload = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, resp = smtp.docmd("AUTH", "PLAIN " + payload)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, resp)


def deliver(mails: Sequence[OutgoingMail], settings: SmtpSettings, *, db: str, day: date,
            now: datetime, force: bool = False, say: Callable[[str], None] = print,
            warn: Callable[[str], None] = print, lang: str = "zh",
            clock: Callable[[], datetime] | None = None) -> DeliveryReport:
    """Send every message not already sent today (all of them with `force`), logging each attempt.

    Each message is taken (`claim`) just before it is sent, at `clock()`'s time (the real clock
    by default; `now` dates the messages): one another run has taken, or sent, is skipped.

    A failure (refused connection, authentication, a refused recipient) is told through `warn`,
    recorded as "failed" and does not stop the others; the caller turns `report.failed` into
    exit 7. Once the server cannot be reached, the remaining messages fail with the same reason
    without waiting for it again. Any other error while building or sending a message (a fault
    of ours or of a library) fails that message and the remaining ones the same way, so nothing is
    left "sending" and the next run retries them all; an interrupt (Ctrl-C) fails the message it
    was sending and goes on up.
    """
    import smtplib

    report = DeliveryReport()
    clock = clock or (lambda: datetime.now(UTC))
    sender = Sender(settings, lang)  # its checks come before the database is opened
    unreachable: str | None = None
    with closing(open_log(db)) as conn, query.sql_errors():
        try:
            for mail in mails:
                claimed = claim(conn, day=day, mail=mail, at=clock(), force=force)
                if isinstance(claimed, str):  # "sent" or "sending": not this run's to send
                    report.skipped.append(mail)
                    say(_words(lang, "skipped" if claimed == "sent" else "in_flight", to=mail.recipient,
                               subject=mail.subject))
                    continue
                error = unreachable
                if error is None:
                    try:
                        sender.send(build_message(mail, settings, now=now), mail.recipient)
                    except (OSError, smtplib.SMTPException) as exc:
                        error = _describe(exc, settings)
                        if _is_connection_error(exc):
                            unreachable = error
                    except Exception as exc:  # a fault no retry of this run can mend: fail them all
                        error = unreachable = _describe(exc, settings)
                    except BaseException:  # Ctrl-C: never leave the claim "sending" for 10 minutes
                        settle(conn, claimed, status="failed", error=_INTERRUPTED)
                        raise
                settle(conn, claimed, status="sent" if error is None else "failed", error=error or "")
                if error is None:
                    report.sent.append(mail)
                    say(_words(lang, "sent", to=mail.recipient, subject=mail.subject))
                else:
                    report.failed.append((mail, error))
                    warn(_words(lang, "failed", to=mail.recipient, error=error))
        finally:
            sender.close()
    return report


def preview(mails: Sequence[OutgoingMail], *, db: str, day: date, force: bool,
            lang: str = "zh", at: datetime | None = None) -> str:
    """What `--dry-run` shows: each recipient, subject and text body, and which would be skipped
    (sent today, or being sent by another run as of `at`, now by default); reads the log, writes nothing."""
    blocks = []
    at = at or datetime.now(UTC)
    with closing(open_log(db, writable=False)) as conn, query.sql_errors():
        for mail in mails:
            state = None if force else taken(conn, day=day, mail=mail, at=at)
            word = {"sent": "would_skip", "sending": "would_wait", None: "would_send"}[state]
            head = _words(lang, word, to=mail.recipient)
            blocks.append(f"{head}\n{_words(lang, 'subject', subject=mail.subject)}\n\n{mail.text}")
    return "\n".join(blocks)


def _describe(exc: BaseException, settings: SmtpSettings) -> str:
    """One line for the user and the log: the error's kind and text, with any password removed."""
    words: Any = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    message = f"{type(exc).__name__}: {words}"
    if settings.password:
        message = message.replace(settings.password, "***")
    return message


def _is_connection_error(exc: BaseException) -> bool:
    """True when no later message can fare better: the server is unreachable or refuses our login."""
    import smtplib

    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected
                  | smtplib.SMTPAuthenticationError):
        return True
    # smtplib.SMTPException is itself an OSError: only a bare socket error means "unreachable".
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)
