"""The few errors a user can meet, each with its exit code and one plain sentence in two languages.

`tracker.cli.main` catches `TrackerError` in one place, prints `error.text(lang)` on stderr and
exits with `EXIT_CODE`. Anything else is a bug: it is logged with its traceback to the log file and
the user sees one sentence naming that file (exit 70), never a traceback.

Why both sentences are written where the error is raised: the users read Chinese (the default of
every screen), but the code that meets the problem (a date parser, the store) does not know the
user's language, and should not. So each raise gives the English sentence (`str(error)`, what the
log, `--lang en` and developers read) and its Chinese one (`zh=`); the edge that shows it — the
command line, the TUI — picks one. Keeping the two side by side at the raise site means a message
and its translation cannot drift apart, and `tests/test_messages.py` checks that no raise forgets
its Chinese.
"""

from __future__ import annotations


class TrackerError(Exception):
    """Base of every error a user can cause or meet; `str()` is the sentence shown."""

    EXIT_CODE = 1

    def __init__(self, message: str, *, zh: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.zh = zh

    def __str__(self) -> str:
        return self.message

    def text(self, lang: str = "zh") -> str:
        """The sentence shown to a user of `lang`: Chinese unless "en" was asked for (the English
        one when the raise gave no Chinese)."""
        return self.message if lang == "en" or not self.zh else self.zh


class UsageError(TrackerError):
    """The command line itself is wrong: an unknown option value, a date that does not parse."""

    EXIT_CODE = 2


class BadInputError(TrackerError):
    """A file given to tracker cannot be read as what it should be (plan, workbook, calendar)."""

    EXIT_CODE = 3


class NotFoundError(TrackerError):
    """A task, plan, owner or rule named on the command line does not exist."""

    EXIT_CODE = 4


class DatabaseError(TrackerError):
    """The database cannot be opened, is corrupt, locked too long, or is from a newer tracker."""

    EXIT_CODE = 5


class ConflictError(TrackerError):
    """Someone else changed the same record since it was read; nothing was overwritten.

    `task`, `expected` and `current` (when known) let a view say it in its own language.
    """

    EXIT_CODE = 6

    def __init__(self, message: str, *, zh: str | None = None, task: str | None = None,
                 expected: int | None = None, current: object = None) -> None:
        super().__init__(message, zh=zh)
        self.task, self.expected, self.current = task, expected, current


class DeliveryError(TrackerError):
    """A reminder could not be delivered (SMTP); it is kept and tried again on the next run."""

    EXIT_CODE = 7


class OutputError(TrackerError):
    """An output file cannot be written (locked by Excel/WPS, read-only directory, disk full)."""

    EXIT_CODE = 8


INTERNAL_ERROR_EXIT = 70
"""Exit code of an unexpected error (a bug): the traceback goes to the log file, not the screen."""


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped_char(char: str) -> str:
    """One character as Python would escape it in a string: newline → \\n, NUL → \\x00, U+202E →
    \\u202e. What messages (`tracker.dates.shown`) and a terminal's output
    (`tracker.commands.terminal_text`) write instead of a character that would not show."""
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def sentence(exc: BaseException, lang: str = "zh") -> str:
    """Any error as a user of `lang` reads it: a `TrackerError`'s sentence in that language, else
    `str(exc)` (for errors wrapped into another message: "cannot open X (<this>)")."""
    return exc.text(lang) if isinstance(exc, TrackerError) else str(exc)


def first_line(exc: BaseException) -> str:
    """A driver error's first line, for a one-sentence message (its class name when it says nothing)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def without_password(where: str) -> str:
    """A database URL without its user and password, for messages
    ("postgresql+psycopg://u:pw@h/db" → "postgresql+psycopg://h/db"); a path is returned as it is."""
    import re  # only when a message names a database

    return re.sub(r"//[^@/]*@", "//", where) if "://" in where else where
