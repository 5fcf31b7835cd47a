"""Turn the raw text of a plan (as pasted from a web page, Word or a legacy editor) into clean text.

Pure: a string in, a string (and warnings) out; no file, no clock. What "clean" means:

- one paragraph or table row per line, LF line ends, no indentation, no trailing spaces, at most
  one blank line in a row;
- simplified script: web copies in traditional script carry pinyin after characters
  ("發(fā)布", "蘭州新區(qū)"); the pinyin is dropped, then opencc t2s converts;
- half-width ASCII digits and letters ("２０２４" → "2024", "1．" → "1."); other punctuation
  (，。：；、“” or their ASCII look-alikes) is kept as written; brackets have ONE canonical form
  in Chinese text: FULL-WIDTH "（" U+FF08 and "）" U+FF09 (`OPEN`, `CLOSE`) — the parser's
  outline numbers "（一）" and owner notes "（牵头单位：…）" rely on it; a line with no CJK
  character (a URL, a file name) keeps its ASCII brackets;
- table rows as "cell | cell | cell" (pipes or tabs in; empty cells at either end and pipe-only
  lines out; inner empty cells kept, "a |  | c", so cells stay under their header);
- web furniture removed ("字号:[大][中][小]", "【打印】", "关闭窗口", "当前位置:…");
- garbled regions (UTF-8 read as GBK) repaired where the bytes allow, otherwise kept and named
  in a warning with their line number.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from tracker.ingest.charsets import TRADITIONAL_MARKERS
from tracker.ingest.encoding import is_punctuation, profile, suspect_runs
from tracker.notes import Note


@dataclass(frozen=True)
class Cleaned:
    """Clean text and what the cleaning could not fix."""

    text: str
    warnings: tuple[Note, ...] = ()


def clean_text(text: str) -> str:
    """Return `text` cleaned as described in the module docstring; never raises.

    Idempotent: cleaning clean text changes nothing. An empty or whitespace-only text gives "".
    """
    return clean_with_warnings(text).text


def clean_with_warnings(text: str) -> Cleaned:
    """Clean `text` and report, by input line number (1-based), what could not be repaired."""
    warnings: list[Note] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [_repair_line(line, number, warnings) for number, line in enumerate(lines, 1)]
    joined = "\n".join(lines).translate(_CHAR_MAP)
    joined = _to_simplified(_strip_pinyin(joined))
    out: list[str] = []
    for raw in joined.split("\n"):
        out.extend(_clean_line(raw))
    return Cleaned(_collapse_blank_lines(out), tuple(warnings))


# --- characters ---------------------------------------------------------------------------------

_CHAR_MAP: dict[int, str | None] = {
    **{code: chr(code - 0xFEE0) for code in range(0xFF10, 0xFF1A)},  # ０-９
    **{code: chr(code - 0xFEE0) for code in range(0xFF21, 0xFF3B)},  # Ａ-Ｚ
    **{code: chr(code - 0xFEE0) for code in range(0xFF41, 0xFF5B)},  # ａ-ｚ
    # ．％＋－／＝＃＆＠ → .%+-/=#&@; not ，：；！？（）～, which Chinese text keeps
    **{code: chr(code - 0xFEE0) for code in (0xFF0E, 0xFF05, 0xFF0B, 0xFF0D, 0xFF0F, 0xFF1D)},
    **{code: chr(code - 0xFEE0) for code in (0xFF03, 0xFF06, 0xFF20)},
    **dict.fromkeys((0x3000, 0x00A0, 0x202F, 0x205F, *range(0x2000, 0x200B)), " "),
    **dict.fromkeys((0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)),
    0x000B: " ",
    0x000C: " ",
}
"""Full-width digits, letters and a few signs → ASCII; exotic spaces → space; zero-width → gone."""

OPEN = "\uff08"
"""The canonical opening bracket of Chinese text: full-width "（"."""
CLOSE = "\uff09"
"""The canonical closing bracket of Chinese text: full-width "）"."""

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_CJK = re.compile(f"[{_CJK}]")

# --- pinyin and traditional script --------------------------------------------------------------

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_AFTER_CJK = re.compile(f"(?<=[{_CJK}])[({OPEN}] ?([a-zü{_TONED}]{{1,6}}) ?[){CLOSE}]")
_HAS_TONE = re.compile(f"[{_TONED}]")
_SYLLABLE = re.compile(
    r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|er"
    r"|ia|ie|iu|ua|uo|ui|ue|üe|ve|a|o|e|i|u|ü|v)"
)
_MIN_TONED_FOR_PLAIN = 3
"""A toneless "(men)" is only taken for pinyin in a text that already shows 3 toned annotations."""


def _strip_pinyin(text: str) -> str:
    """Drop "(fā)" / "（fā）" after a CJK character; keep "(一)", "(2024)", "(试行)", "(PDF)"."""
    if "(" not in text and OPEN not in text:
        return text
    toned = sum(1 for match in _PINYIN_AFTER_CJK.finditer(text) if _HAS_TONE.search(match[1]))

    def replace(match: re.Match[str]) -> str:
        syllable = match[1]
        if _HAS_TONE.search(syllable):
            return ""
        if toned >= _MIN_TONED_FOR_PLAIN and _SYLLABLE.fullmatch(syllable):
            return ""
        return match[0]

    return _PINYIN_AFTER_CJK.sub(replace, text)


@functools.cache
def _t2s() -> Callable[[str], str]:
    """The opencc traditional → simplified converter, built once per process, on first need.

    Building it loads opencc's dictionaries: import ~7 ms plus ~6 ms per converter here, against
    ~1 ms to convert a 7 kB plan; so it is cached, and never built for simplified text.
    """
    import opencc  # deferred: only traditional-script documents pay for it

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


def _to_simplified(text: str) -> str:
    """Convert to simplified script when any traditional-only character appears, else unchanged."""
    if TRADITIONAL_MARKERS.isdisjoint(text):
        return text
    return _t2s()(text)


# --- garbled text (mojibake) --------------------------------------------------------------------

_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")
_SIGNATURE = re.compile("[\u2500-\u257f\u3100-\u312f\ue000-\uf8ff]|锟斤拷|烫烫烫|屯屯屯")
"""Box drawing, bopomofo and private-use characters amid Chinese text are the marks of a wrong
decoding; so are 锟斤拷 (UTF-8 U+FFFD read as GBK) and 烫烫 / 屯屯 (uninitialised memory)."""
_MIN_SCORED = 4
_GARBLED_BELOW = 0.4
_REPAIRED_AT_LEAST = 0.6


def _repair_line(line: str, number: int, warnings: list[Note]) -> str:
    """Repair UTF-8-read-as-GBK runs in one line; warn about runs that stay garbled."""
    if line.isascii():
        return line
    garbled: list[str] = []

    def fix(run: str) -> str:
        seen = profile(run)
        low = seen.scored >= _MIN_SCORED and seen.commonness < _GARBLED_BELOW
        if not (low or seen.rare_run is not None or _SIGNATURE.search(run)):
            return run
        repaired = _utf8_read_as_gbk(run)
        if repaired is not None and _better(repaired, run, seen.commonness):
            return repaired
        garbled.append(run[seen.rare_run or 0 :])
        return run

    if _SIGNATURE.search(line):
        fixed = _NON_ASCII_RUN.sub(lambda match: fix(match[0]), line)
    else:  # only runs with 3+ uncommon characters can score as garbled: score just those
        pieces: list[str] = []
        pos = 0
        for start, end in suspect_runs(line):
            pieces += (line[pos:start], fix(line[start:end]))
            pos = end
        fixed = "".join(pieces) + line[pos:] if pieces else line
    if garbled:
        warnings.append(Note(
            f"Line {number} contains garbled characters that could not be repaired "
            f"(starting “{garbled[0][:16]}”); check that passage against the original document.",
            f"第{number}行有无法修复的乱码 (从“{garbled[0][:16]}”开始); 请对照原文件核对这一段。",
        ))
    return _note_unreadable(fixed, number, warnings)


def _note_unreadable(line: str, number: int, warnings: list[Note]) -> str:
    unreadable = line.count("\ufffd")
    if unreadable:
        warnings.append(Note(
            f"Line {number} has {unreadable} unreadable character(s), shown as �; "
            "check that passage against the original document.",
            f"第{number}行有{unreadable}个无法识别的字符, 已显示为 �; 请对照原文件核对这一段。",
        ))
    return line


def _better(repaired: str, run: str, score: float) -> bool:
    """Accept a repair only when it reads clearly better and loses nothing more."""
    seen = profile(repaired)
    return (
        seen.commonness >= max(_REPAIRED_AT_LEAST, score + 0.1)
        and seen.rare_run is None
        and repaired.count("\ufffd") <= run.count("\ufffd")
        and _SIGNATURE.search(repaired) is None
    )


def _utf8_read_as_gbk(run: str) -> str | None:
    """Undo UTF-8 → GBK mis-decoding inside `run`, leaving its genuine characters as they are.

    The run's GB18030 bytes are read as UTF-8: the stretches that decode to CJK text were
    garbled; the bytes that do not (a genuine "一、" before the garbled part) are decoded back
    with GB18030. Returns None when the run cannot be re-encoded (lone surrogates).
    """
    try:
        data = run.encode("gb18030")
    except UnicodeEncodeError:
        return None
    out: list[str] = []
    raw = bytearray()
    for char in data.decode("utf-8", errors="surrogateescape"):
        if char.isascii() or _HAS_CJK.match(char) or is_punctuation(char):
            if raw:
                out.append(raw.decode("gb18030", errors="replace"))
                raw.clear()
            out.append(char)
        else:
            raw += char.encode("utf-8", errors="surrogateescape")
    if raw:
        out.append(raw.decode("gb18030", errors="replace"))
    return "".join(out)


# --- lines --------------------------------------------------------------------------------------

_INLINE_FURNITURE = re.compile(
    r"[【\[\uff3b]\s*字\s*[号体]\s*[:\uff1a]?[^】\]\uff3d\n]{0,12}[】\]\uff3d]?"
    r"|字\s*[号体]\s*[:\uff1a]\s*(?:[【\[\uff3b]?\s*[大中小]\s*[】\]\uff3d]?\s*){1,3}"
    r"|[【\[\uff3b]\s*(?:打印(?:本页|此页|文章)?|关闭(?:窗口|本页)?|收藏(?:本页)?|保存(?:本页)?"
    r"|我要纠错|纠错|返回顶部|分享|[大中小])\s*[】\]\uff3d]"
)
_FURNITURE_LINES = frozenset(
    {"打印", "打印本页", "打印此页", "关闭", "关闭窗口", "关闭本页", "打印 关闭", "打印关闭",
     "返回顶部", "收藏", "保存", "视力保护色", "扫一扫在手机打开当前页", "扫一扫在手机上打开当前页",
     "扫一扫在手机打开本页", "扫一扫在手机上查看当前页面"}
)
_FURNITURE_PREFIXES = (
    "分享到", "当前位置", "您现在的位置", "您当前的位置", "你现在的位置", "您的位置", "上一篇", "下一篇",
)
_HIT_COUNTER = re.compile(r"(?:浏览|访问|阅读)(?:次数|量)\s*[:\uff1a]?\s*\d*")
# A set and a prefix tuple rather than one alternation: that regex took ~9 ms to compile.
_LEFTOVER = re.compile(r"[\s|【】\[\]\uff3b\uff3d:\uff1a、,\uff0c/>»]*")
_INLINE_OUTLINE = re.compile(
    r" (?=[一二三四五六七八九十]{1,3}、|[(\uff08](?:[一二三四五六七八九十]{1,3}|\d{1,2})[)\uff09]"
    r"|\d{1,2}[、.](?!\d))"
)
_TABS = re.compile(r"\t+")
_LONG_LINE = 200
"""A line this long holding 2+ outline numbers after spaces is a whole document flattened."""


def _clean_line(raw: str) -> list[str]:
    """One raw line → zero or more clean lines (a flattened document is split at its outline)."""
    line = raw.strip()
    if not line:
        return [""]
    if "\t" in line:  # 3+ tab-separated cells: a row copied from Excel; else tabs are spacing
        line = re.sub(r"\t+", " | " if len(_TABS.findall(line)) >= 2 else " ", line)
    line = re.sub(r" {2,}", " ", line)
    if "|" in line:
        line = _pipe_row(line)
    if _HAS_CJK.search(line):
        line = line.replace("(", OPEN).replace(")", CLOSE)
    line = _INLINE_FURNITURE.sub("", line).strip()
    if _is_furniture(line):
        return [""]
    if len(line) > _LONG_LINE and "|" not in line and len(_INLINE_OUTLINE.findall(line)) >= 2:
        return _INLINE_OUTLINE.split(line)
    return [line]


def _pipe_row(line: str) -> str:
    """Normalise a pipe row: border pipes and empty cells at either end go; inner empty cells
    stay, so each cell keeps its column under the header ("1 |  | 局办公室")."""
    cells = [cell.strip() for cell in line.split("|")]
    while cells and not cells[-1]:
        cells.pop()
    first = next((index for index, cell in enumerate(cells) if cell), len(cells))
    return " | ".join(cells[first:])


def _is_furniture(line: str) -> bool:
    """True for a line that is only web-page furniture (or what is left of a furniture row)."""
    return (
        line in _FURNITURE_LINES
        or line.startswith(_FURNITURE_PREFIXES)
        or _HIT_COUNTER.fullmatch(line) is not None
        or _LEFTOVER.fullmatch(line) is not None
    )


def _collapse_blank_lines(lines: list[str]) -> str:
    """Join lines, keeping at most one blank line in a row and none at either end."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
