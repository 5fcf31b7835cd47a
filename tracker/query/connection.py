"""Open the database for reading: a SQLite file through `sqlite3`, or PostgreSQL through psycopg.

The read path is plain DB-API, no ORM. Its SQL is written once, for SQLite's `sqlite3` (`?` and
`:name` placeholders, dates as ISO text, booleans as 0/1). On PostgreSQL `PgConnection` runs that
same SQL: it rewrites the placeholders to psycopg's, turns the few SQLite-only phrases the views
use into their PostgreSQL equivalents (one table, `_REWRITES`), and hands rows back the way
`sqlite3` would (dates and datetimes as the ISO text the store writes on SQLite, booleans as 0/1),
so every view behaves the same on both engines. psycopg is imported only in the PostgreSQL branch:
the SQLite cold path (`tracker remind` from cron) never loads it. Nor does that path load
`pathlib` or `urllib.parse` (with `ipaddress`, ~5 ms together): a file path is checked with
`os.path` and written into SQLite's `file:` URI by `_file_uri`.
"""

from __future__ import annotations

import os.path
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, cast

from tracker.errors import DatabaseError, first_line, sentence, without_password
from tracker.store.version import SCHEMA_VERSION

READ_SCHEMA_VERSION = SCHEMA_VERSION
"""The schema this read path reads: the store's (from `tracker.store.version`, which imports
nothing — `tracker.store.tables` would load sqlmodel, ~335 ms). An older database is upgraded
once, on first open, through the store (it reads `obligation.done_on`, added in schema 4)."""


class _OlderSchema(DatabaseError):
    """The database's schema is older than `READ_SCHEMA_VERSION` (`connect` upgrades it)."""

    def __init__(self, where: str, version: int) -> None:
        super().__init__(f"{where} has schema {version}; this tracker reads schema {READ_SCHEMA_VERSION}.",
                         zh=f"{where} 的数据库版本是 {version}; 当前版本的 tracker 只能读取版本 {READ_SCHEMA_VERSION}。")
        self.version = version


def _sqlite_path(db: str) -> str:
    """A filesystem path from a path or a sqlite URL; DatabaseError for an in-memory or unknown URL."""
    if "://" not in db:
        return db
    scheme, _, rest = db.partition("://")
    if scheme.split("+")[0] != "sqlite":
        raise DatabaseError(
            f"the read path supports SQLite and PostgreSQL databases, not “{scheme}”; "
            "give a file path, a sqlite:///PATH URL or a postgresql+psycopg:// URL.",
            zh=f"tracker 只能读取 SQLite 和 PostgreSQL 数据库, 不支持“{scheme}”; "
               "请给出文件路径、sqlite:///PATH 地址或 postgresql+psycopg:// 地址。",
        )
    path = rest[1:] if rest.startswith("/") else rest
    if not path or path == ":memory:":
        raise DatabaseError("an in-memory SQLite URL holds no data to read; give a database file path.",
                            zh="内存中的 SQLite 数据库 (sqlite:// 或 :memory:) 没有可读的数据; 请给出数据库文件路径。")
    return path.split("?")[0]


def _file_uri(path: str) -> str:
    """SQLite's `file:` URI of an absolute path, opened read-write without creating it (`mode=rw`).

    SQLite decodes %HH escapes in a URI's path and ends the path at the first `?` or `#`
    (https://www.sqlite.org/uri.html), so exactly `%`, `?` and `#` are escaped; every other
    character, non-ASCII ones included, is passed as its UTF-8 bytes, which SQLite reads as they are.
    """
    escaped = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{escaped}?mode=rw"


def is_postgres(db: str) -> bool:
    """True when `db` is a PostgreSQL URL (postgresql://, postgresql+psycopg://, postgres://)."""
    return db.split("://", 1)[0].split("+")[0] in ("postgresql", "postgres") and "://" in db


def connect(db: str, *, writable: bool = False) -> sqlite3.Connection:
    """Open the database for reading (see `_connect`); an older schema is upgraded first, once.

    The upgrade goes through the store (`tracker.store.open_store`, which loads the ORM: ~0.4 s,
    paid by the first command after tracker itself was upgraded). A database that cannot be
    written (a read-only file, a PostgreSQL login without the rights) cannot be upgraded: that is
    a `DatabaseError` saying so.
    """
    try:
        return _connect(db, writable=writable)
    except _OlderSchema as old:
        from tracker.store import open_store

        try:
            open_store(db, create=False).close()
        except DatabaseError as exc:
            raise DatabaseError(f"{old} It is upgraded once, by the first command that opens it, but "
                                f"this one could not: {exc}",
                                zh=f"{old.text('zh')}数据库会由第一个打开它的命令升级一次, 但这次未能升级: "
                                   f"{sentence(exc, 'zh')}") from None
        return _connect(db, writable=writable)


def _connect(db: str, *, writable: bool = False) -> sqlite3.Connection:
    """Open the database for reading (a path, a sqlite:/// URL, or a PostgreSQL URL) and check it is ours.

    SQLite: the connection never writes (`PRAGMA query_only`) and waits up to 5 s for a writer; it
    is opened in normal (not `mode=ro`) mode because a WAL database needs its -shm file.
    PostgreSQL: a `PgConnection` (typed as `sqlite3.Connection`: it offers the part of that
    interface tracker's views use: execute with `?`/`:name` parameters, fetchone/fetchall,
    iteration, close) in a read-only session, as the tracker user (row-level security applies).
    Raises `DatabaseError` with one sentence for: an unknown URL, a missing file, a directory, an
    unreadable or corrupt file, a server that cannot be reached, a database that is not a tracker
    database, and one written by a newer tracker (schema version above `READ_SCHEMA_VERSION`).

    `writable=True` is for the few plain-SQL writers (the reminder sent-log): the connection is in
    autocommit mode and the caller opens its own transactions (`BEGIN IMMEDIATE` … `COMMIT`; on
    PostgreSQL `BEGIN IMMEDIATE` runs as `BEGIN`).
    """
    if is_postgres(db):
        return cast(sqlite3.Connection, PgConnection.open(db, writable=writable))
    path = _sqlite_path(db)
    if not os.path.exists(path):
        raise DatabaseError(f"no database at {path}; run `tracker import FILE` or `tracker demo` first.",
                            zh=f"找不到数据库 {path}; 请先运行 `tracker import FILE` 或 `tracker demo`。")
    if os.path.isdir(path):
        raise DatabaseError(f"{path} is a directory, not a database file; give the file's path.",
                            zh=f"{path} 是目录, 不是数据库文件; 请用 --db 指定数据库文件。")
    uri = _file_uri(os.path.realpath(path))
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5.0, isolation_level=None if writable else "DEFERRED")
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open the database {path} ({exc}); check the path and its permissions.",
                            zh=f"无法打开数据库 {path} ({exc}); 请检查路径和文件权限。") from None
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        if not writable:
            conn.execute("PRAGMA query_only = 1")
        check_schema(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise DatabaseError(f"{path} is not a readable tracker database ({exc}).",
                            zh=f"{path} 不是可读取的 tracker 数据库 ({exc})。") from None
    except DatabaseError:
        conn.close()
        raise
    return conn


def check_schema(conn: sqlite3.Connection, where: str) -> None:
    """`DatabaseError` unless `conn` holds a tracker schema this read path understands."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
        row = None
    except _MissingTable:
        row = None
    if row is None:
        raise DatabaseError(f"{where} is not a tracker database (it has no schema version); "
                            "run `tracker import FILE` on a new path.",
                            zh=f"{where} 不是 tracker 数据库 (其中没有数据库版本); "
                               "请用 --db 指定一个新的文件路径, 再运行 `tracker import FILE`。")
    try:
        version = int(row[0])
    except ValueError:
        raise DatabaseError(f"{where} has an unreadable schema version “{row[0]}”.",
                            zh=f"{where} 的数据库版本“{row[0]}”无法识别。") from None
    if version > READ_SCHEMA_VERSION:
        raise DatabaseError(f"{where} was written by a newer tracker (schema {version}, this one reads "
                            f"up to {READ_SCHEMA_VERSION}); upgrade tracker.",
                            zh=f"{where} 由更新版本的 tracker 写入 (数据库版本 {version}, 当前版本的 tracker "
                               f"只能读取版本 {READ_SCHEMA_VERSION} 及更早的数据库); 请升级 tracker。")
    if version < READ_SCHEMA_VERSION:
        raise _OlderSchema(where, version)


@contextmanager
def sql_errors() -> Iterator[None]:
    """Turn a sqlite3 error met while reading into one `DatabaseError` sentence (never a traceback).

    (PostgreSQL errors are already `DatabaseError` sentences when `PgConnection` raises them.)
    So is a stored value the read path cannot decode — a date edited by hand into "notadate", a
    rule kind "bogus" (`stored_value_error`): the database is wrong, not tracker, and `tracker
    check` names the row and what to do. Its traceback still goes to the log file, as a bug's
    does; any other `ValueError` is left alone (a bug: exit 70, logged by `tracker.cli`).
    """
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            from tracker.store.engine import BUSY_MESSAGE_ZH

            raise DatabaseError("the database is busy (another tracker is writing); try again.",
                                zh=BUSY_MESSAGE_ZH) from None
        raise DatabaseError(f"the database could not be read ({exc}).",
                            zh=f"无法读取数据库 ({exc})。") from None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"the database is damaged or not a tracker database ({exc}).",
                            zh=f"数据库已损坏, 或不是 tracker 数据库 ({exc})。") from None
    except ValueError as exc:
        if not stored_value_error(exc):
            raise
        from tracker.settings import log_unexpected

        where = log_unexpected(exc)
        details = f" (details in {where})" if where else ""
        raise DatabaseError(f"the database holds a value tracker cannot read ({exc}); run `tracker check`"
                            f"{details}.",
                            zh=f"数据库里有 tracker 无法读取的值 ({exc}); 请运行 `tracker check`"
                               f"{f' (详情见 {where})' if where else ''}。") from None


_DECODERS = ("tracker.query.", "tracker.store.obligations")
"""Where the read path turns stored text into dates and rule kinds."""


_OUT_OF_RANGE = frozenset({"month must be in 1..12", "day is out of range for month",
                           "year 0 is out of range"})
"""What `date.fromisoformat` says of a date in ISO shape that is not on the calendar ("2024-13-45")."""


def stored_value_error(exc: ValueError) -> bool:
    """True when `exc` is a stored value failing to decode: `date.fromisoformat`'s "Invalid isoformat
    string: …" (or its out-of-range sentences, "2024-02-30"), or an enum's "'x' is not a valid
    RequirementKind", raised while the read path
    (`_DECODERS`: its innermost tracker frame) converted a row — not a bug's ValueError elsewhere."""
    import traceback

    text = str(exc)
    if not (text.startswith("Invalid isoformat string: ") or text in _OUT_OF_RANGE
            or (text.startswith("'") and "' is not a valid " in text)):
        return False
    modules = [str(frame.f_globals.get("__name__", "")) for frame, _ in traceback.walk_tb(exc.__traceback__)]
    ours = [name for name in modules if name == "tracker" or name.startswith("tracker.")]
    return bool(ours) and ours[-1].startswith(_DECODERS)


# ---------------------------------------------------------------------------------------------
# PostgreSQL: the same SQL, the same rows
# ---------------------------------------------------------------------------------------------


class _MissingTable(Exception):
    """PostgreSQL's "relation does not exist", for `check_schema`."""


_BOOL_COLUMNS = "removed|undone|per_owner|provisional|is_admin"

_REWRITES: tuple[tuple[str, int, str], ...] = (
    # an id list passed as JSON text: json_each → json_array_elements_text
    (r"SELECT value FROM json_each\(([^()]+)\)", re.IGNORECASE,
     r"SELECT CAST(value AS bigint) FROM json_array_elements_text(CAST(\1 AS json))"),
    # a rule's shape key (`tracker.query.stored.shape_key`), cast to text by the SQL itself
    (r"\bjson_array\(", 0, "json_build_array("),
    # SQLite stores booleans as 0/1 and the views compare them so; PostgreSQL has a boolean type
    (rf"\b((?:\w+\.)?(?:{_BOOL_COLUMNS}))\s*=\s*0\b", 0, r"\1 = FALSE"),
    (rf"\b((?:\w+\.)?(?:{_BOOL_COLUMNS}))\s*=\s*1\b", 0, r"\1 = TRUE"),
)
"""SQLite-only phrases of the read SQL → PostgreSQL (pattern, flags, replacement); anything else is
already portable. Patterns stay text until a PostgreSQL connection needs them (`_pg_patterns`):
compiling them cost every SQLite command ~0.4 ms at start-up."""

# `PRAGMA data_version` (the TUI's "did another process write?") has no PostgreSQL twin: every
# write action appends audit rows, so the newest audit id (and the row count, for undo) stands in.
_DATA_VERSION_SQL = "SELECT coalesce(max(id), 0) + count(*) FROM auditentry"

_TOKENS = r"'(?:[^']|'')*'|\"(?:[^\"])*\"|::|:(\w+)|\?|%"
_ZONE = r"[+-]\d\d(?::\d\d)?$"


@cache
def _pg_patterns() -> tuple[tuple[tuple[re.Pattern[str], str], ...], re.Pattern[str], re.Pattern[str]]:
    """(the compiled `_REWRITES`, `_TOKENS`, `_ZONE`), compiled once, on first PostgreSQL use."""
    rewrites = tuple((re.compile(pattern, flags), replacement) for pattern, flags, replacement in _REWRITES)
    return rewrites, re.compile(_TOKENS), re.compile(_ZONE)


def to_psycopg(sql: str, *, named: bool) -> str:
    """SQLite-style SQL → psycopg's: `?` → %s, `:name` → %(name)s, `%` doubled, SQLite phrases rewritten.

    Quoted strings and identifiers are left as they are (a `?` or `:x` inside them is text).
    """
    rewrites, tokens, _ = _pg_patterns()
    for pattern, replacement in rewrites:
        sql = pattern.sub(replacement, sql)

    def token(m: re.Match[str]) -> str:
        text = m.group(0)
        if text[0] in "'\"" or text == "::":
            return text.replace("%", "%%")
        if text == "%":
            return "%%"
        if text == "?":
            return "%s"
        return f"%({m.group(1)})s" if named else text

    return tokens.sub(token, sql)


def _sqlite_timestamp(text: str) -> str:
    """PostgreSQL's timestamp text → the store's SQLite text: "2024-07-01 09:00:00.000000" (UTC, no zone)."""
    text = _pg_patterns()[2].sub("", text)  # "…+00": the session is in UTC
    head, _, fraction = text.partition(".")
    return f"{head}.{fraction[:6].ljust(6, '0')}"


def _register_loaders(conn: Any) -> None:  # noqa: ANN401 - psycopg is imported lazily
    """Make psycopg return values as `sqlite3` returns the store's columns (in its C loop, not per row
    in Python: converting after the fact cost ~0.7 s for the city's 65k overdue obligations)."""
    from psycopg.adapt import Loader

    class AsText(Loader):
        def load(self, data: Any) -> str:  # noqa: ANN401 - a buffer
            return bytes(data).decode()

    class AsSqliteTimestamp(Loader):
        def load(self, data: Any) -> str:  # noqa: ANN401 - a buffer
            return _sqlite_timestamp(bytes(data).decode())

    class AsInt(Loader):
        def load(self, data: Any) -> int:  # noqa: ANN401 - a buffer
            return 1 if bytes(data) == b"t" else 0

    class AsNumber(Loader):
        def load(self, data: Any) -> int | float:  # noqa: ANN401 - a buffer
            text = bytes(data).decode()
            return float(text) if "." in text or "e" in text.lower() else int(text)

    for name, loader in (("date", AsText), ("timestamp", AsSqliteTimestamp), ("timestamptz", AsSqliteTimestamp),
                         ("bool", AsInt), ("numeric", AsNumber)):
        conn.adapters.register_loader(name, loader)


class PgCursor:
    """The rows of one statement, converted as `sqlite3` would give them."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows
        self._at = 0

    def fetchone(self) -> tuple[Any, ...] | None:
        """The next row, or None."""
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list[tuple[Any, ...]]:
        """The remaining rows."""
        rest = self._rows[self._at:]
        self._at = len(self._rows)
        return rest

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        while (row := self.fetchone()) is not None:
            yield row


_WRITING = frozenset({"INSERT", "UPDATE", "DELETE", "BEGIN", "COMMIT", "ROLLBACK"})


_VERBS_ZH = {"read": "读取", "written": "写入"}
"""`ServerError`'s verbs in Chinese."""


class ServerError(DatabaseError):
    """A statement PostgreSQL refused: one sentence, with the server's own words in `reason`."""

    def __init__(self, where: str, verb: str, reason: str) -> None:
        super().__init__(f"the database {where} could not be {verb} ({reason}).",
                         zh=f"数据库 {where} 无法{_VERBS_ZH.get(verb, verb)} ({reason})。")
        self.reason = reason


class PgConnection:
    """A read-only psycopg connection that runs the read path's SQLite-style SQL (see the module doc)."""

    def __init__(self, conn: Any, where: str, *, read_only: bool = False) -> None:  # noqa: ANN401 - psycopg is lazy
        self._conn = conn
        self.where = where
        self.read_only = read_only
        """A lock held longer than the busy timeout is then `BUSY_MESSAGE`, as on the write path."""

    @classmethod
    def open(cls, url: str, *, writable: bool = False) -> PgConnection:
        """Connect as the tracker user (TRACKER_USER or the URL's user), read-only unless `writable`
        (autocommit either way), and check the schema."""
        # psycopg costs ~40 ms to import: only a PostgreSQL URL pays for it.
        import psycopg

        from tracker.store.engine import BUSY_TIMEOUT_MS, pg_options, tracker_user

        dsn = re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql://", url)
        where = without_password(url)  # no user or password in messages
        try:
            # lock_timeout as the write path's: a table locked longer → "busy, try again", not a hang
            raw = psycopg.connect(dsn, autocommit=True, connect_timeout=10,
                                  options=pg_options(tracker_user(url)) + f" -c lock_timeout={BUSY_TIMEOUT_MS}")
        except psycopg.Error as exc:  # the first line, as the write path says it (the rest is libpq's hint)
            reason = first_line(exc).rstrip(".")
            raise DatabaseError(f"cannot connect to the database {where} ({reason}).",
                                zh=f"无法连接数据库 {where} ({reason})。") from None
        conn = cls(raw, where, read_only=not writable)
        try:
            _register_loaders(raw)
            if not writable:
                raw.execute("SET default_transaction_read_only = on")
            check_schema(cast(sqlite3.Connection, conn), where)
        except BaseException:
            raw.close()
            raise
        return conn

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> PgCursor:
        """Run one statement (SQLite placeholders) and return all its rows, converted."""
        import psycopg

        stripped = sql.strip()
        if stripped.upper() == "BEGIN IMMEDIATE":  # SQLite's write lock up front; rows are locked as written here
            stripped = "BEGIN"
        if stripped.upper().startswith("PRAGMA"):
            if "data_version" not in stripped:
                return PgCursor([])  # busy_timeout, query_only: the session is read-only already
            stripped = _DATA_VERSION_SQL
        named = isinstance(params, dict)
        text = to_psycopg(stripped, named=named)
        args: Any = dict(params) if named else (tuple(params) or None)
        if args is None:
            text = text.replace("%%", "%")
        try:
            cur = self._conn.execute(text, args)
            rows = cur.fetchall() if cur.description is not None else []
        except psycopg.errors.UndefinedTable as exc:
            raise _MissingTable(str(exc)) from None
        except psycopg.Error as exc:
            if self.read_only and isinstance(exc, psycopg.errors.LockNotAvailable):
                from tracker.store.engine import BUSY_MESSAGE, BUSY_MESSAGE_ZH

                raise DatabaseError(BUSY_MESSAGE, zh=BUSY_MESSAGE_ZH) from None
            writes = stripped.split(None, 1)[0].upper() in _WRITING if stripped else False
            raise ServerError(self.where, "written" if writes else "read", first_line(exc)) from None
        return PgCursor(rows)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._conn.close()

    def commit(self) -> None:
        """Nothing to commit: the session is read-only (autocommit)."""

    def rollback(self) -> None:
        """Nothing to roll back: the session is read-only (autocommit)."""

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
