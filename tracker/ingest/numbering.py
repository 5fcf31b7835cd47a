"""Write out the numbers Word draws itself (automatic list numbering) in front of paragraph text.

A plan typed in Word often numbers its items with the list feature: "1." or "一、" is drawn by
Word from numbering.xml and is not in the paragraph's text, so python-docx returns "加强政策解读"
where the reader sees "5.加强政策解读", and the parser would lose the outline. This module keeps
one counter per list (w:num) and level, and renders each level's `lvlText` ("%1." / "%1、" /
"（%2）") with its number format (decimal, Chinese counting, circled, letters, roman numerals).
Bullets have no number and give "". Word's rarer features (legal numbering, restarts after a
higher level of another list, numbering in table cells) are approximated, not reproduced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document
    from lxml.etree import _Element

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str


@dataclass
class ListNumbers:
    """The list definitions of one document and the running counters while its body is read."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    """numId → ilvl → how that level is numbered (abstract definition with overrides applied)."""
    styles: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Paragraph style id → (numId, ilvl) for styles that carry numbering ("List Number")."""
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    def label(self, paragraph: _Element) -> str:
        """The number Word shows before `paragraph` (a w:p element), "" when it has none.

        Advances the list's counter and restarts its deeper levels, as Word does.
        """
        found = self._num_of(paragraph)
        if found is None:
            return ""
        num_id, ilvl = found
        level = self.levels.get(num_id, {}).get(ilvl)
        if level is None or level.fmt in {"bullet", "none"}:
            return ""
        counts = self.counters.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, level.start - 1) + 1
        for deeper in [key for key in counts if key > ilvl]:
            del counts[deeper]
        text = level.text
        for index in range(ilvl, -1, -1):
            placeholder = f"%{index + 1}"
            if placeholder in text:
                upper = self.levels[num_id].get(index, level)
                value = counts.get(index, upper.start)
                text = text.replace(placeholder, format_number(value, upper.fmt))
        return text

    def _num_of(self, paragraph: _Element) -> tuple[str, int] | None:
        ppr = paragraph.find(f"{_W}pPr")
        if ppr is None:
            return None
        numpr = ppr.find(f"{_W}numPr")
        if numpr is not None:
            num_id = _val(numpr.find(f"{_W}numId"))
            ilvl = _val(numpr.find(f"{_W}ilvl")) or "0"
            if num_id is not None:
                return None if num_id == "0" else (num_id, _int(ilvl, 0))
        style = _val(ppr.find(f"{_W}pStyle"))
        return self.styles.get(style) if style else None


def list_numbers(document: Document) -> ListNumbers:
    """Read the numbering and style definitions of a python-docx `Document`.

    A document without a numbering part (no lists) gives an empty `ListNumbers`, whose
    `label` is always "".
    """
    numbers = ListNumbers()
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return numbers
    abstract: dict[str, dict[int, _Level]] = {}
    for definition in root.iterfind(f"{_W}abstractNum"):
        levels = {_int(lvl.get(f"{_W}ilvl", "0"), 0): _level(lvl) for lvl in definition.iterfind(f"{_W}lvl")}
        abstract[definition.get(f"{_W}abstractNumId", "")] = levels
    for num in root.iterfind(f"{_W}num"):
        levels = dict(abstract.get(_val(num.find(f"{_W}abstractNumId")) or "", {}))
        for override in num.iterfind(f"{_W}lvlOverride"):
            ilvl = _int(override.get(f"{_W}ilvl", "0"), 0)
            start = _val(override.find(f"{_W}startOverride"))
            if start is not None and ilvl in levels:
                old = levels[ilvl]
                levels[ilvl] = _Level(_int(start, 1), old.fmt, old.text)
        numbers.levels[num.get(f"{_W}numId", "")] = levels
    numbers.styles.update(_numbered_styles(document))
    return numbers


def _numbered_styles(document: Document) -> dict[str, tuple[str, int]]:
    """Style id → (numId, ilvl) for paragraph styles whose pPr carries numPr."""
    found: dict[str, tuple[str, int]] = {}
    try:
        styles = document.styles.element
    except (KeyError, NotImplementedError, AttributeError):
        return found
    for style in styles.iterfind(f"{_W}style"):
        ppr = style.find(f"{_W}pPr")
        numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
        num_id = _val(numpr.find(f"{_W}numId")) if numpr is not None else None
        if numpr is not None and num_id and num_id != "0":
            ilvl = _val(numpr.find(f"{_W}ilvl")) or "0"
            found[style.get(f"{_W}styleId", "")] = (num_id, _int(ilvl, 0))
    return found


def _level(lvl: _Element) -> _Level:
    return _Level(
        _int(_val(lvl.find(f"{_W}start")) or "1", 1),
        _val(lvl.find(f"{_W}numFmt")) or "decimal",
        _val(lvl.find(f"{_W}lvlText")) or "",
    )


def _val(element: _Element | None) -> str | None:
    return None if element is None else element.get(f"{_W}val")


def _int(text: str, default: int) -> int:
    """A level or start number of numbering.xml; `default` for anything else — a damaged or
    hostile file ("x", "²", 5,000 digits) must not stop the document being read."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else default


def format_number(value: int, fmt: str) -> str:
    """`value` in Word's number format `fmt`: 3 → "3", "三", "③", "c", "iii"…

    Unknown formats fall back to decimal; values a format cannot show (⑳ is the last circled
    number) fall back to decimal too.
    """
    if fmt in {"chineseCounting", "chineseCountingThousand", "ideographDigital",
               "japaneseCounting", "taiwaneseCounting", "chineseLegalSimplified"}:
        return chinese_numeral(value)
    if fmt in {"decimalEnclosedCircle", "decimalEnclosedCircleChinese"} and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if fmt in {"lowerLetter", "upperLetter"} and 1 <= value <= 26 * 10:  # z, aa … (10 letters: decimal)
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in {"lowerRoman", "upperRoman"} and 1 <= value < 4000:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def chinese_numeral(value: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (0 ≤ value < 1000; else decimal)."""
    if not 0 <= value < 1000:
        return str(value)
    if value < 10:
        return _DIGITS[value]
    hundreds, rest = divmod(value, 100)
    tens, ones = divmod(rest, 10)
    out = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (_DIGITS[ones] if ones else "")


def _roman(value: int) -> str:
    out = ""
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                            (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                            (4, "IV"), (1, "I")):
        while value >= number:
            out += letters
            value -= number
    return out
