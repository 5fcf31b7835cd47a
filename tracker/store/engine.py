"""The database edge: a path or URL → a configured SQLAlchemy engine, and one transaction per action.

SQLite is the embedded default: WAL journal (readers never block the writer), busy_timeout 5000 ms,
and every transaction opened with `BEGIN IMMEDIATE`. Measured for issue 3: under WAL a plain
`BEGIN` that reads then writes lost 50–71% of contended transactions to "database is locked";
`BEGIN IMMEDIATE` takes the write lock up front and lost none. The recipe is SQLAlchemy's
"Serializable isolation / Savepoints / Transactional DDL" workaround for pysqlite: turn the
driver's own transaction handling off on connect and emit our BEGIN on the engine's "begin" event.
Nothing SQLite-only lives outside this module.

PostgreSQL (`postgresql+psycopg://…`): READ COMMITTED, the session in UTC, and the tracker user
(TRACKER_USER, else the URL's user) given to the server at connect time as the setting
`tracker.user`, which the row-level security policies read (`tracker.store.offices`). Lost updates
are prevented by row versions (`UPDATE … WHERE version = ?`) and `SELECT … FOR UPDATE` on the task
an action changes (`tracker.store.actions.find_task`), not by locking the whole database.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import DatabaseError, first_line, without_password

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 5000
"""How long a writer waits for another writer before giving up (issue 3: 5 s)."""

BUSY_MESSAGE = "the database is busy (another tracker is writing); try again"
BUSY_MESSAGE_ZH = ("数据库正忙: 另一个 tracker 程序正在写入 (如开着的 `tracker tui`、定时运行的 `tracker remind` "
                   "或正在进行的导入); 本次操作没有改动任何数据, 请稍后重试。")
"""`BUSY_MESSAGE` as a Chinese user reads it: who may hold the lock, that nothing was changed, to retry
(also raised on read paths: `tracker tasks` waiting on a writer)."""


SUPPORTED_URLS = ("tracker supports a SQLite file (a path, or sqlite:////absolute/path.db) and PostgreSQL "
                  "through psycopg 3 (postgresql+psycopg://USER@HOST/DB, also written postgresql:// or postgres://)")
"""The database URL forms tracker can use, for the sentence that refuses another."""
SUPPORTED_URLS_ZH = ("tracker 支持 SQLite 文件 (文件路径, 或 sqlite:////absolute/path.db) 和经 psycopg 3 连接的 "
                     "PostgreSQL (postgresql+psycopg://USER@HOST/DB, 也可写作 postgresql:// 或 postgres://)")


def is_url(db: str) -> bool:
    """True when `db` is a SQLAlchemy URL ("sqlite:///…", "postgresql://…") rather than a path."""
    return "://" in db


def sqlite_path(db: str) -> Path | None:
    """The file behind `db` when it is a SQLite file (path or sqlite:/// URL); None otherwise.

    An in-memory URL ("sqlite://" or "sqlite:///:memory:") has no file and also gives None.
    """
    if not is_url(db):
        return Path(db).expanduser()
    if db.startswith("sqlite:///"):
        rest = db.removeprefix("sqlite:///").split("?", 1)[0]
        return None if rest in ("", ":memory:") else Path(rest)
    return None


def prepare_file(path: Path, *, create: bool) -> None:
    """Make sure the SQLite file exists (mode 0600, parent created) or say clearly why it cannot.

    With `create=False` a missing file is an error naming the commands that make one.
    """
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file; give a file path with --db.",
                            zh=f"{path} 是目录, 不是数据库文件; 请用 --db 指定数据库文件。")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise DatabaseError(f"cannot open the database {path}: permission denied.",
                                zh=f"无法打开数据库 {path}: 没有读写权限。")
        return
    if not create:
        raise DatabaseError(f"no database at {path}; run `tracker import FILE` or `tracker demo` first.",
                            zh=f"找不到数据库 {path}; 请先运行 `tracker import FILE` 或 `tracker demo`。")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot create the database {path}: {exc.strerror or exc}.",
                            zh=f"无法创建数据库 {path}: {exc.strerror or exc}。") from None
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)  # user-only: plans are internal
        os.close(fd)
    except FileExistsError:  # another tracker created it a moment ago: use it
        return
    except OSError as exc:
        raise DatabaseError(f"cannot create the database {path}: {exc.strerror or exc}.",
                            zh=f"无法创建数据库 {path}: {exc.strerror or exc}。") from None


def make_engine(db: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine for `db`; for SQLite with WAL, busy_timeout and BEGIN IMMEDIATE wired in.

    The engine connects lazily: a corrupt file is only found by the first statement
    (`tracker.store.migrate.check_and_upgrade` runs it at once).
    """
    # sqlalchemy costs ~200 ms to import; only the write commands come here.
    from sqlalchemy import create_engine, event

    url = db if is_url(db) else f"sqlite:///{Path(db).expanduser()}"
    url = re.sub(r"^postgres(?:ql)?(?:\+psycopg)?://", "postgresql+psycopg://", url)  # the read path's forms
    if not url.startswith("sqlite"):
        try:
            if url.startswith("postgresql+psycopg://"):
                # lock_timeout mirrors SQLite's busy timeout: a task locked longer → "busy, try again"
                return create_engine(url, isolation_level="READ COMMITTED", pool_pre_ping=False,
                                     connect_args={"options": pg_options(tracker_user(url)) +
                                                   f" -c lock_timeout={int(busy_timeout_ms)}",
                                                   "connect_timeout": 10})
            return create_engine(url)
        except Exception as exc:  # unknown dialect, missing driver: a sentence, not a traceback
            reason = first_line(exc).rstrip(".")
            raise DatabaseError(without_password(f"cannot use the database URL {db} ({reason})")
                                + f"; {SUPPORTED_URLS}.",
                                zh=without_password(f"无法使用数据库地址 {db} ({reason})")
                                + f"; {SUPPORTED_URLS_ZH}。") from None
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA synchronous = NORMAL")  # safe under WAL: a crash loses no committed tx
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def url_user(url: str) -> str | None:
    """The user named in a database URL ("postgresql+psycopg://zhang@host/db" → "zhang"), or None."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url.replace("+psycopg", ""))
    return unquote(parts.username) if parts.username else None


def tracker_user(url: str, environ: dict[str, str] | None = None) -> str:
    """Who the tracker user is on a shared database: TRACKER_USER, else the URL's user, else $USER.

    Read here, at connect time, because the command line has no option for it; the value only
    names the person (row-level security decides what they may see), it is never a password.
    """
    env = os.environ if environ is None else environ
    return env.get("TRACKER_USER") or url_user(url) or env.get("USER") or "tracker"


def pg_options(user: str) -> str:
    """libpq `options` that set the session's time zone and `tracker.user` at connection start.

    Spaces and backslashes in the name are escaped as libpq requires; the value is data, never SQL.
    """
    escaped = user.replace("\\", "\\\\").replace(" ", "\\ ")
    return f"-c timezone=UTC -c tracker.user={escaped}"


def set_wal(engine: Engine) -> None:
    """Switch a SQLite database to WAL (persistent in the file); a no-op elsewhere."""
    if engine.dialect.name != "sqlite":
        return
    # On the raw DB-API connection: through SQLAlchemy the statement would run inside our
    # BEGIN IMMEDIATE, and SQLite cannot change the journal mode within a transaction.
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
    finally:
        raw.close()


def translate(exc: BaseException, where: str) -> DatabaseError | None:
    """One sentence for a driver error (locked, corrupt, unreadable, unreachable, not allowed), or
    None if it is not one. `where` is shown without any password a URL may hold."""
    import sqlite3

    from sqlalchemy import exc as sa_exc

    where = without_password(where)
    if isinstance(exc, sa_exc.DBAPIError):
        orig: BaseException = exc.orig if exc.orig is not None else exc
    elif isinstance(exc, sqlite3.Error):
        orig = exc
    else:
        return None
    text = str(orig).lower()
    first = first_line(orig).rstrip(".")
    if "locked" in text or "busy" in text or "lock timeout" in text or "deadlock detected" in text \
            or "could not obtain lock" in text:
        return DatabaseError(BUSY_MESSAGE, zh=BUSY_MESSAGE_ZH)
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseError(f"{where} is not a tracker database (the file is corrupt or not SQLite).",
                             zh=f"{where} 不是 tracker 数据库 (文件已损坏, 或不是 SQLite 数据库)。")
    if "unable to open" in text or "readonly" in text or "read-only" in text:
        return DatabaseError(f"cannot open the database {where} for writing: {orig}.",
                             zh=f"无法以写入方式打开数据库 {where}: {orig}。")
    if "row-level security" in text or "permission denied" in text:
        return DatabaseError(f"the database {where} refused the change: {first} "
                             "(a coordinator may change only their own offices' plans).",
                             zh=f"数据库 {where} 拒绝了这次修改: {first} (协调人只能修改自己所属机关的计划)。")
    if "connection" in text and ("failed" in text or "refused" in text):
        return DatabaseError(f"cannot connect to the database {where} ({first}).",
                             zh=f"无法连接数据库 {where} ({first})。")
    if isinstance(orig, sqlite3.OperationalError) or isinstance(exc, sa_exc.OperationalError):
        return DatabaseError(f"the database {where} could not be used: {first}.",
                             zh=f"数据库 {where} 无法使用: {first}。")
    return None


class Store:
    """An open database: the engine plus `transaction()`, one per user action."""

    def __init__(self, engine: Engine, where: str) -> None:
        self.engine = engine
        self.where = where
        """The path or URL, for messages."""

    @contextmanager
    def transaction(self, *, who: str, action: str, now: datetime | None = None) -> Iterator[Session]:
        """One user action = one transaction: commit on success, roll back on any exception.

        `session.info` carries "action_id" (a uuid shared by the action's audit rows), "who",
        "action" and "now" (the record timestamp; the real UTC clock unless given). A lock held
        longer than the busy timeout becomes `DatabaseError` ("the database is busy …").
        """
        from sqlmodel import Session

        session = Session(self.engine, expire_on_commit=False)
        session.info.update(action_id=uuid.uuid4().hex, who=who, action=action,
                            now=now or datetime.now(UTC))
        try:
            yield session
            session.commit()
        except BaseException as exc:
            session.rollback()
            mapped = translate(exc, self.where)
            if mapped is not None:
                raise mapped from None
            raise
        finally:
            session.close()

    def close(self) -> None:
        """Release every pooled connection (the file stays as it is)."""
        self.engine.dispose()
