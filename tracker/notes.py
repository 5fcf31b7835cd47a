"""Warnings in two languages: a `Note` is its English sentence (a `str`) carrying its Chinese one.

tracker.ingest and tracker.parse say in warnings what they could not read ("task 9: task text
says 定期 (regularly) without a period: …"). The English sentence is part of the parse contract
(`tracker parse --json` prints `warnings` as English strings; tests and outside scripts compare
them), so a warning stays that `str`: every comparison, `startswith`, dedup (`dict.fromkeys`), the
JSON and the snapshots see the English. The Chinese sentence rides along as `.zh`, written where
the warning is made (as `zh=` is for errors, tracker.errors), and the commands show it unless the
user asked for English: `shown(warning, lang)`.

Pure and tiny, below both tracker.ingest and tracker.parse (which may not import each other). A
warning read back from JSON (`tracker.parse.contract.from_json`) is a plain `str`: it is shown in
English, whatever the language.
"""

from __future__ import annotations


class Note(str):
    """A warning: the English sentence itself, and its Chinese sentence as `.zh`.

    `Note(en, zh)`; a template with `{fields}` in both sentences is filled with `fill(**values)`.
    """

    zh: str
    """The Chinese sentence (the same facts: numbers, quoted words, commands, options)."""

    def __new__(cls, en: str, zh: str) -> Note:
        note = str.__new__(cls, en)
        note.zh = zh
        return note

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]  # copy, pickle keep .zh
        return (str(self), self.zh)

    def text(self, lang: str = "zh") -> str:
        """The sentence shown to a user of `lang`: Chinese unless "en" was asked for."""
        return str(self) if lang == "en" else self.zh

    def fill(self, **values: object) -> Note:
        """A template's sentences with `values` filled in, both languages."""
        return Note(self.format(**values), self.zh.format(**values))


def chinese(warning: str) -> str:
    """The Chinese sentence of a warning (a plain `str`, from JSON say, is its own)."""
    return getattr(warning, "zh", None) or str(warning)


def shown(warning: str, lang: str) -> str:
    """The sentence a user of `lang` reads: the Chinese one unless lang is "en"."""
    return str(warning) if lang == "en" else chinese(warning)


def prefixed(en: str, zh: str, warning: str) -> Note:
    """A warning behind a prefix in each language: ("task 9: ", "任务9: ", w) → "task 9: …" / "任务9: …"."""
    return Note(en + warning, zh + chinese(warning))
