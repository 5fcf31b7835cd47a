"""Command implementations, one module per group, loaded on demand by `tracker.cli`.

This package's `__init__` stays light (the stdlib and `tracker.errors` only, no `dataclasses`, no `json` until JSON is
printed): `tracker.cli` imports `Context` from here on every run, including cron's `tracker remind`.
"""

# No `from __future__ import annotations`: the NamedTuples below would then compile a
# ForwardRef per field at import (see the per-file-ignores in pyproject.toml).


import gc
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import NamedTuple, TextIO, cast

from tracker.errors import escaped_char


class Context(NamedTuple):
    """What every command receives besides its arguments: resolved once, by `tracker.cli`."""

    today: date
    """The real date, or TRACKER_TODAY (ISO) for reproducible runs and tests."""
    db: str
    """The database path or URL, by precedence --db > TRACKER_DB > per-user data dir."""
    lang: str
    """"zh" or "en"."""
    out: TextIO
    err: TextIO


_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What a terminal would act on instead of showing: C0 controls but tab and newline (ESC starts
the sequences that clear a screen or retitle a window; CR overwrites a line), DEL, C1 controls,
and the bidirectional overrides and isolates that reorder the text around them."""


def _visible(match: "re.Match[str]") -> str:
    return escaped_char(match.group())


class _TerminalText(io.TextIOBase):
    """A text stream that writes every control character as its escape (ESC → "\\x1b").

    The words tracker prints come partly from other people: task titles from documents, notes,
    evidence and unit names typed in the shell or returned in an office's ledger. Printed raw, an
    escape sequence in them would clear the coordinator's screen or rewrite what it shows. JSON
    output has none to escape (json writes them as \\u001b); tab and newline pass.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        if _UNSHOWABLE.search(text):
            text = _UNSHOWABLE.sub(_visible, text)
        return self._stream.write(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def writable(self) -> bool:
        return True


def terminal_text(stream: TextIO) -> TextIO:
    """`stream` wrapped, when it is a terminal, so that control characters in what is written are
    shown, not acted on; any other stream (a file, a pipe, cron's mail) is returned as it is.

    Only a terminal obeys them, and a file or pipe keeps what was stored, byte for byte. Scanning
    costs ~3 ms per MB of mostly Chinese text (a whole city's `tracker remind` prints ~0.9 MB),
    which the cron path does not pay for a terminal it does not have.
    """
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError, OSError):  # no such method, or a closed stream
        interactive = False
    return cast(TextIO, _TerminalText(stream)) if interactive else stream


def print_json(value: object, out: TextIO) -> None:
    """Print a value as stable JSON: keys in the order given, UTF-8 text, dates as ISO strings.

    A list is printed one element per line (`[`, then each element compact, then `]`): json's C
    encoder only runs without `indent`, and indenting a city's `tracker tasks --json` (2,500 tasks,
    8 MB) in pure Python took 460 ms against 100. One task per line also greps well. Anything else
    (one task, one plan) is indented.
    """
    import json  # ~2 ms: only the commands that print JSON pay for it

    if isinstance(value, list):
        if not value:
            out.write("[]\n")
            return
        out.write("[\n" + ",\n".join("  " + json.dumps(item, ensure_ascii=False, default=str) for item in value)
                  + "\n]\n")
        return
    out.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block (then restored as it was).

    A listing or a digest makes tens of thousands of short-lived rows, tuples and lists, none in
    a reference cycle; every 700 allocations the collector walked the ones still alive, again and
    again: ~3% of the instructions of a cold `tracker tasks --status overdue` or `tracker remind`
    on the city, for nothing to collect. `tracker tasks` and `tracker remind` run under it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
