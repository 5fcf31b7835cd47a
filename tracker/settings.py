"""Where things live and which language to speak, resolved once by the entry point.

Database: `--db` > `TRACKER_DB` > the platform's per-user data directory (platformdirs), so the
TUI, the shell and cron share one database without flags. Language: `--lang` > `TRACKER_LANG` >
Chinese. Nothing here opens a file or a connection.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

APP_NAME = "tracker"
DB_FILENAME = "tracker.db"


def default_data_dir() -> Path:
    """The per-user data directory (e.g. ~/.local/share/tracker on Linux)."""
    # platformdirs costs ~2 ms to import; only resolved when no --db/TRACKER_DB is given.
    from pathlib import Path

    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_db(cli_value: str | None, environ: dict[str, str] | None = None) -> str:
    """Return the database as given (a path or a SQLAlchemy URL), by the documented precedence."""
    env = os.environ if environ is None else environ
    if cli_value:
        return cli_value
    if env.get("TRACKER_DB"):
        return env["TRACKER_DB"]
    return str(default_data_dir() / DB_FILENAME)


def resolve_lang(cli_value: str | None, environ: dict[str, str] | None = None) -> str:
    """"zh" (default) or "en", from --lang, then TRACKER_LANG."""
    env = os.environ if environ is None else environ
    value = (cli_value or env.get("TRACKER_LANG") or "zh").lower()
    return "en" if value.startswith("en") else "zh"


def log_path() -> Path:
    """Where unexpected errors are logged with their traceback (never shown on screen)."""
    from pathlib import Path

    env_dir = os.environ.get("TRACKER_LOG_DIR")
    base = Path(env_dir) if env_dir else default_data_dir()
    return base / "tracker.log"


def log_unexpected(exc: BaseException) -> str | None:
    """Append a bug's traceback to `log_path()`; return that path, or None when it cannot be written.

    The command line and the TUI both show one line naming this file instead of a traceback.
    """
    import traceback

    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(exc)))
    except OSError:
        return None
    return str(path)
