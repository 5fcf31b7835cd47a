"""Chinese numerals ↔ int, for outline numbers (一、十二、) and counts (两次, 二十个工作日).

Pure and small: covers 0–9999 in the forms government documents use (一二三…十百千, 两/俩, 〇/零,
full-width digits, circled ①–⑳).
"""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3,
           "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8,
           "捌": 8, "九": 9, "玖": 9}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}
_ZH = "零一二三四五六七八九"

CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)
"""Every character `to_int` accepts besides digits: for building regular expressions."""


def to_int(text: str) -> int | None:
    """Read "12", "１２", "十二", "二十一", "两", "一百零五", "③" as an int; None if it is not a number
    (or a run of more than 18 digits, which is no count or item number).

    >>> to_int("十二"), to_int("两"), to_int("二十"), to_int("③"), to_int("第")
    (12, 2, 20, 3, None)
    """
    value = text.strip().translate({code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)})
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return int(value) if len(value) <= 18 else None  # no count has 19 digits; int() refuses 4,301
    if len(value) == 1 and value in _CIRCLED:
        return _CIRCLED[value]
    total, digit = 0, None
    for char in value:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def year_of(text: str) -> int | None:
    """A year written digit by digit: "2020", "二〇二〇", "二零二零" → 2020; None otherwise.

    >>> year_of("二〇二一"), year_of("2024"), year_of("二十")
    (2021, 2024, None)
    """
    value = text.strip()
    if len(value) != 4:
        return None
    if value.isascii() and value.isdigit():
        return int(value)
    if all(char in _DIGITS and char not in "两俩" for char in value):
        return int("".join(str(_DIGITS[char]) for char in value))
    return None


def to_chinese(number: int) -> str:
    """An int 0–99 as an outline numeral: 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一."""
    if number < 10:
        return _ZH[number]
    tens, units = divmod(number, 10)
    head = "" if tens == 1 else _ZH[tens]
    return f"{head}十{_ZH[units] if units else ''}"
