"""Decode the bytes of a text or HTML file without asking the user which encoding it is in.

Chinese offices save plans as UTF-8 (with or without BOM), GBK/GB18030 (Windows Notepad and WPS
on the mainland) or Big5 (Hong Kong, Taiwan, and some traditional-script web copies). The order:

1. a BOM decides (UTF-8-BOM, UTF-16 from Notepad's "Unicode");
2. strict UTF-8 — a legacy-encoded Chinese text is almost never valid UTF-8 by accident;
3. GB18030 and Big5 both decoded strictly; Big5 bytes are nearly always valid GBK too, so the
   candidate whose characters are more often among the ~1200 commonest (`charsets.COMMON_CHARS`)
   wins — a wrong decoding produces rare characters;
4. if no candidate decodes strictly, the best one decoded with U+FFFD replacements is accepted
   when only a few bytes are bad (with a warning); otherwise the file is not text we can read.

charset_normalizer is deliberately not a dependency: this covers the four encodings offices use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.errors import BadInputError
from tracker.ingest.charsets import COMMON_CHARS

_MAX_REPLACED_SHARE = 0.02
"""More than 2% undecodable characters means the wrong kind of file, not a few damaged bytes."""


@dataclass(frozen=True)
class Decoded:
    """A decoded text, the encoding that produced it, and what was lost on the way."""

    text: str
    encoding: str
    """"utf-8", "utf-8-sig", "utf-16", "gb18030" or "big5"."""
    replaced: int = 0
    """How many undecodable byte sequences became U+FFFD."""


def decode_bytes(data: bytes, name: str = "the file") -> Decoded:
    """Decode `data`, detecting its encoding; `name` is used in the error sentence.

    Promises: a UTF-8 file always comes back as "utf-8"/"utf-8-sig" (never mis-guessed as GBK);
    a file with a few bad bytes comes back with `replaced > 0` rather than failing. Raises
    BadInputError when no supported encoding reads more than 98% of the characters.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_with_bom(data[3:], "utf-8", "utf-8-sig", name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_with_bom(data, "utf-16", "utf-16", name)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    strict = [
        Decoded(text, label)
        for label, codec in (("gb18030", "gb18030"), ("big5", "big5"), ("big5", "cp950"))
        if (text := _strict(data, codec)) is not None
    ]
    if strict:
        return max(strict, key=lambda candidate: commonness(candidate.text))
    loose = [_loose(data, codec, label) for label, codec in _LOOSE_CODECS]
    best = max(loose, key=lambda candidate: commonness(candidate.text) - candidate.replaced)
    if _too_damaged(best):
        raise BadInputError(
            f"{name} cannot be decoded as text: it is not UTF-8, GB18030 (GBK) or Big5; "
            "save it as UTF-8 text and try again.",
            zh=f"{name} 无法解码为文本: 它不是 UTF-8, GB18030 (GBK) 或 Big5 编码; 请另存为 UTF-8 文本后重试。",
        )
    return best


_LOOSE_CODECS = (("utf-8", "utf-8"), ("gb18030", "gb18030"), ("big5", "cp950"))


def _decode_with_bom(body: bytes, codec: str, label: str, name: str) -> Decoded:
    """Decode after a BOM: the BOM is a promise, so only replacement, never another codec."""
    text = _strict(body, codec)
    if text is not None:
        return Decoded(text, label)
    decoded = _loose(body, codec, label)
    if _too_damaged(decoded):
        raise BadInputError(
            f"{name} starts with a {label} byte-order mark but is not {label} text; "
            "save it as UTF-8 text and try again.",
            zh=f"{name} 以 {label} 字节顺序标记 (BOM) 开头, 但内容不是 {label} 文本; 请另存为 UTF-8 文本后重试。",
        )
    return decoded


def _too_damaged(decoded: Decoded) -> bool:
    """More than 2% (at least 3 allowed: a truncated last character) or half the text replaced."""
    size = max(len(decoded.text), 1)
    return decoded.replaced > max(_MAX_REPLACED_SHARE * size, 3) or decoded.replaced * 2 >= size


def _strict(data: bytes, codec: str) -> str | None:
    """The strict decoding of `data`, or None when any byte sequence is invalid."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _loose(data: bytes, codec: str, label: str) -> Decoded:
    """Decode with U+FFFD for bad bytes and count how many were replaced."""
    text = data.decode(codec, errors="replace")
    # A U+FFFD already written in the file (a copy of a damaged page) is not a decoding loss.
    encoded = "\ufffd".encode(codec, errors="ignore")
    already = data.count(encoded) if encoded else 0
    return Decoded(text, label, max(text.count("\ufffd") - already, 0))


_SPACES = (0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B))
_PUNCTUATION = (*range(0x3000, 0x3040), *range(0xFF00, 0xFFF0), *range(0x2010, 0x2070))
_CLASSES: dict[int, str] = {
    **dict.fromkeys(range(0x80), "a"),
    **dict.fromkeys(_PUNCTUATION, "p"),
    **dict.fromkeys(_SPACES, "p"),
    **dict.fromkeys(map(ord, COMMON_CHARS), "c"),
}
"""str.translate table: ASCII → "a", punctuation and space → "p", common → "c"; an uncommon
character stays itself. Translating is C-speed; a regex class of 2,400 characters would cost
~20 ms to compile at import."""


def _classes(text: str) -> str:
    return text.translate(_CLASSES)


def commonness(text: str) -> float:
    """Share of the non-ASCII characters of `text` (not punctuation or space) that are common (0..1).

    Text with no such character scores 0.0 (pure ASCII is equal under every candidate encoding
    anyway). Characters the decoder could not read (U+FFFD) count as uncommon.
    """
    classes = _classes(text)
    total = len(classes) - classes.count("a") - classes.count("p")
    return classes.count("c") / total if total > 0 else 0.0


@dataclass(frozen=True)
class Profile:
    """How Chinese a stretch of text looks: the figures garbled-text detection needs."""

    scored: int
    """Characters that count: not ASCII, punctuation or space."""
    commonness: float
    """Share of those that are common characters (0..1; 0.0 when none count)."""
    rare_run: int | None
    """Where the first run of `RARE_RUN` uncommon characters in a row starts, or None."""


RARE_RUN = 6
"""Genuine plans show at most 4 uncommon characters in a row in the seeds ("新冠肺炎疫情": 冠肺炎疫);
UTF-8 read as GBK yields GB2312 level-2 and GBK-extension characters, nearly all uncommon."""
_RARE_RUN = re.compile(f"[^acp]{{{RARE_RUN}}}")


def profile(text: str) -> Profile:
    """Score `text` in one pass of `str.translate` (see `Profile`)."""
    classes = _classes(text)
    total = len(classes) - classes.count("a") - classes.count("p")
    common = classes.count("c") / total if total > 0 else 0.0
    match = _RARE_RUN.search(classes)
    return Profile(total, common, match.start() if match else None)


_SUSPECT_RUN = re.compile(r"(?<![^a])(?:[cp]*[^acp]){3}[^a]*")
"""In a line's classes: a whole non-ASCII run (it starts after an "a" or at the start) holding at
least 3 uncommon characters. [cp]* and [^acp] never overlap, so the scan is linear."""


def suspect_runs(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each run of non-ASCII characters of `text` that holds at least 3
    uncommon characters — the only runs that can score as garbled (scored ≥ 4 with under 40 %
    common means at least 3 uncommon; a `RARE_RUN` means 6). One translate of the whole line
    instead of one per run, and no scoring of the others: clean_text on a plan with 10 MB of
    prose took 1.7 s instead of 2.5 s (bench/parse_bench.py, busy two-core machine)."""
    return [match.span() for match in _SUSPECT_RUN.finditer(_classes(text)) if match.end() - match.start() >= 2]


def is_punctuation(char: str) -> bool:
    """True for CJK and general punctuation and full-width forms (,。“”…), which every decoding shares."""
    code = ord(char)
    return 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or 0x2010 <= code <= 0x206F
