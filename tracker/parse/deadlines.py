"""Deadline phrases → deadline rules: 年底前, 6月底前, 9月30日前, 次年1月31日前, 上半年, 一季度,
2024-09-30前 / 2024.9.30前 / 截止2024/9/30, 截止6月30日 / 截止9月底, 9.30前.

The deadline rows of `tracker.parse.rules.RULE_PATTERNS` (spliced in as `DEADLINE_PATTERNS`), with
their builders. A date is a deadline only with 前/之前/以前 (or 底/末…完成; 截止 before a numeric
date, or before a written month and day), or as the whole value of a table's time-limit cell (完成时限:2024年6月, 完成时限:2024-09-30);
never in a goal (到2025年底…), a past fact, or when it describes documents (2023年底前印发的文件).
A numeric date without such a marker ("2024-01-15印发") is no deadline.

A date that names its year is read against the plan's year when the caller gives it
(`Context.plan_year`): the plan's year → year_offset 0, the next year → 1, any other year → no
rule and a warning (a coordinator sets it with `tracker rule`). Without the plan's year the
named year is not checked (year_offset 0).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tracker.model import Requirement, RequirementKind
from tracker.notes import Note
from tracker.parse.clauses import Context, Found, tidy_what
from tracker.parse.guards import describes_documents, is_fact, is_goal
from tracker.parse.periods import NUM, month_end, number, part_day, quarter_end, valid_day

_QUARTER_LEAD = re.compile(r"(?:并|且|应当?|要|须|需)?(?:于|在)?(?:每年)?")
"""What may stand before a bare 一季度 that is a deadline: "并于每年第一季度对目录进行更新"."""
_SUBJECT_TAIL = re.compile(r"(?:要|应当?|须|需|必须|均|都|力争|原则上)*(?:在|于)?(?:每年)?(?:的)?\s*$")
"""Words between a subject and its date: "重大行政决策事项目录于每年" → "重大行政决策事项目录"."""
_NEXT = r"(?P<next>次年|明年|翌年|第二年|下一年度?|下年度?)"
_Builder = Callable[[re.Match[str], Context], "Found | None"]


def _deadline(match: re.Match[str], ctx: Context, month: int, day: int, offset: int,
              year: str | None = None) -> Found | None:
    """The deadline rule for a matched date, unless its clause is a fact, a goal or a document's
    description; `what` is the rest of the clause (or the clause around the date). `year` is the
    year the date names ("2025" of 2025年3月底前), checked against the plan's year."""
    clause = ctx.clause_text(match.start())
    if ctx.is_fact(match.start()) or is_goal(clause):
        return None
    if describes_documents(ctx.folded[match.end() : match.end() + 12]):
        return None  # 2023年底前印发的文件: the date qualifies documents
    if year is not None and ctx.plan_year is not None and offset == 0:
        named = int(year)
        if named == ctx.plan_year + 1:
            offset = 1
        elif named != ctx.plan_year:
            words = ctx.original[match.start() : match.end()].strip()
            note = Note(f"“{words}” names the year {named}, not the plan's year {ctx.plan_year}: it was "
                        "not read as a deadline; set one with `tracker rule` if it is one",
                        f"“{words}”写的是{named}年, 不是计划所在的{ctx.plan_year}年: 未读作完成时限; "
                        "如确是时限, 请用 `tracker rule` 设置。")
            return Found((), match.start(), match.end(), (note,))
    after = tidy_what(ctx.rest_of_clause(match.end()))
    subject = tidy_what(_SUBJECT_TAIL.sub("", ctx.head_of_clause(match.start())))
    what = tidy_what(subject + after) if len(after) <= 5 else after  # 目录于每年3月底前向社会公布
    rule = Requirement(RequirementKind.DEADLINE, ctx.source(match.start(), match.end()), what,
                       per_owner=ctx.per_owner(match.start()), month=month, day=day,
                       year_offset=offset)
    return Found((rule,), match.start(), match.end())


def _offset(match: re.Match[str]) -> int:
    return 1 if match.group("next") else 0


def _build_date(match: re.Match[str], ctx: Context) -> Found | None:
    """9月30日前 / 6月底前 / 次年1月31日前 / 11月中旬前 → a deadline on that date."""
    month = number(match.group("m"))
    if month is None or not 1 <= month <= 12:
        return None
    day = number(match.group("d")) if match.group("d") else part_day(month, match.group("part"))
    if not valid_day(month, day) or day is None:
        return None
    return _deadline(match, ctx, month, day, _offset(match), match.group("y"))


_ISO = (r"(?<![\d./-])(?P<y>\d{4})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
        r"(?!\d|[-./]\d)")
"""A numeric date: 2024-09-30, 2024-9-30, 2024.9.30, 2024/9/30 (one separator throughout)."""


def _build_iso_date(match: re.Match[str], ctx: Context) -> Found | None:
    """2024-09-30前 / 2024.9.30前完成 / 截止2024/9/30 → a deadline on that date; a numeric date
    without 前 or 截止 ("2024-01-15印发") is not one."""
    if not (match.group("by") or match.group("before")):
        return None
    if match.group("by") and is_fact(ctx.folded[match.start() : ctx.sentence.end]):
        return None  # 截止2023-12-31,共受理…: 截止 written for 截至 (as of), a fact follows
    month, day = int(match.group("m")), int(match.group("d"))
    if not valid_day(month, day):
        return None
    return _deadline(match, ctx, month, day, 0, match.group("y"))


def _build_cut_off(match: re.Match[str], ctx: Context) -> Found | None:
    """截止6月30日完成… / 截止9月底报送… → a deadline on that date, 前 or not: 截止 is the limit.
    Not when a fact follows (截止6月30日,共发布信息120条: 截止 written for 截至, "as of")."""
    if is_fact(ctx.folded[match.start() : ctx.sentence.end]):
        return None
    return _build_date(match, ctx)


def _build_month_dot_day(match: re.Match[str], ctx: Context) -> Found | None:
    """9.30前完成 / 6.30之前报送 (month.day, as notices abbreviate it) → a deadline on that date."""
    month, day = int(match.group("m")), int(match.group("d"))
    if not 1 <= month <= 12 or not valid_day(month, day):
        return None
    return _deadline(match, ctx, month, day, 0)


def _build_year_end(match: re.Match[str], ctx: Context) -> Found | None:
    """年底前 / 年底前完成 / 次年年底前 → December 31."""
    return _deadline(match, ctx, 12, 31, _offset(match), match.group("y"))


def _build_half(match: re.Match[str], ctx: Context) -> Found | None:
    """上半年(前/内/完成) → June 30; 下半年… → December 31."""
    first = (match.group("h") or match.group("h2")) == "上"
    return _deadline(match, ctx, 6 if first else 12, 30 if first else 31, 0)


def _build_quarter(match: re.Match[str], ctx: Context) -> Found | None:
    """一季度末前 / 第二季度完成 / 于三季度 → the quarter's last day."""
    month = quarter_end(match.group("q"))
    bare = not (match.group("edge") or match.group("tail"))
    clause_start = ctx.clause(match.start())[0]
    if month is None:
        return None
    if bare and not _QUARTER_LEAD.fullmatch(ctx.folded[clause_start : match.start()].strip()):
        return None  # a bare "一季度" mid-sentence is a noun (一季度工作情况), not a deadline
    return _deadline(match, ctx, month, month_end(month), 0)


_CELL_VALUE = re.compile(
    r"\s*(?:(?P<iy>\d{4})(?P<sep>[-./])(?P<im>\d{1,2})(?P=sep)(?P<id>\d{1,2})(?!\d)"
    rf"|(?:(?P<y>\d{{4}})年)?(?:(?P<m>\d{{1,2}}|十[一二]?|[一二三四五六七八九])月"
    rf"(?:(?P<d>{NUM})(?:日|号)|(?P<part>底|末|上旬|中旬|下旬))?|(?P<ye>年?[底末终]|年内)"
    r"|(?P<h>[上下])半年|第?(?P<q>[一二三四1-4])季度(?:末|底)?))(?:前|之前|以前)?(?:完成)?\s*"
)
"""A time-limit cell's whole value: 2024年6月 / 6月30日 / 12月底 / 年底 / 上半年 / 一季度 /
2024-09-30 (a spreadsheet's date cell, as tracker.ingest renders it)."""


def _build_cell(match: re.Match[str], ctx: Context) -> Found | None:
    """完成时限:2024年6月 (a task table's time-limit cell) → a deadline, 前 or not: a cell's
    date is the limit. Values that are not a bare date are left to the other rows."""
    value = _CELL_VALUE.fullmatch(ctx.folded, match.start("value"), match.end("value"))
    if value is None:
        return None
    year = value.group("iy") or value.group("y")
    month: int | None
    day: int | None
    if value.group("im"):
        month, day = int(value.group("im")), int(value.group("id"))
        if not valid_day(month, day):
            return None
    elif value.group("m"):
        month = number(value.group("m"))
        if month is None or not 1 <= month <= 12:
            return None
        day = number(value.group("d")) if value.group("d") else part_day(month, value.group("part"))
        if day is None or not valid_day(month, day):
            return None
    elif value.group("h"):
        month, day = (6, 30) if value.group("h") == "上" else (12, 31)
    elif value.group("q"):
        month = quarter_end(value.group("q")) or 12
        day = month_end(month)
    else:
        month, day = 12, 31
    return _deadline(match, ctx, month, day, 0, year)


def _build_each_year_month(match: re.Match[str], ctx: Context) -> Found | None:
    """每年5月开展宣传周活动 → a deadline at the end of May (the 15th for 每年5月15日), in the
    plan's year; with 前 the date row has already read it."""
    month = number(match.group("m"))
    if month is None or not 1 <= month <= 12:
        return None
    day = number(match.group("d")) if match.group("d") else month_end(month)
    if day is None or not valid_day(month, day):
        return None
    return _deadline(match, ctx, month, day, 0)


def _build_within_year(match: re.Match[str], ctx: Context) -> Found | None:
    """年内完成 → December 31 (the same promise as 年底前完成)."""
    return _deadline(match, ctx, 12, 31, 0)


DEADLINE_PATTERNS: tuple[tuple[str, re.Pattern[str], _Builder], ...] = (
    ("deadline_cell", re.compile(
        r"(?:(?:完成)?(?:时限|时间节点|时间要求|时间安排|进度安排)|完成(?:时间|期限))(?:要求)?:(?P<value>[^。;\n|]{1,20})"),
        _build_cell),
    ("date", re.compile(
        rf"{_NEXT}?(?:(?P<y>\d{{4}})年)?(?<!\d)(?P<m>\d{{1,2}}|十[一二]?|[一二三四五六七八九])月"
        rf"(?:(?P<d>{NUM})(?:日|号)|(?P<part>底|末|上旬|中旬|下旬))"
        rf"(?:前|之前|以前|(?<=[底末旬])(?:完成|结束))(?![后往])"), _build_date),
    ("cut_off_date", re.compile(
        rf"截止(?:日期|时间)?(?:为|到|于)?:?\s*{_NEXT}?(?:(?P<y>\d{{4}})年)?(?<!\d)"
        rf"(?P<m>\d{{1,2}}|十[一二]?|[一二三四五六七八九])月"
        rf"(?:(?P<d>{NUM})(?:日|号)|(?P<part>底|末|上旬|中旬|下旬))(?!\s*(?:前|之前|以前))"), _build_cut_off),
    ("month_dot_day", re.compile(
        r"(?<![\d.．/-])(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?:前|之前|以前)(?![后往述面期提沿列款言景端])"),
        _build_month_dot_day),
    ("iso_date", re.compile(
        rf"(?P<by>截止(?:日期|时间)?(?:为|到|于)?:?\s*)?{_ISO}(?:\s*(?P<before>前|之前|以前)(?![后往]))?"),
        _build_iso_date),
    ("each_year_month", re.compile(
        rf"每年(?:的)?(?P<m>\d{{1,2}}|十[一二]?|[一二三四五六七八九])月份?(?:(?P<d>{NUM})(?:日|号))?"
        r"(?![前之以底末上中下至到\d])"), _build_each_year_month),
    ("year_end", re.compile(
        rf"(?:(?P<y>\d{{4}})年年?|{_NEXT}年?|(?:今|本|当)?年)(?:底|末|终)(?:前|之前|以前|完成)(?!后)"),
        _build_year_end),
    ("half_year", re.compile(
        r"(?P<h>[上下])半年(?:底|末)?(?:前|之前|以前|内|完成|结束前)|(?<=[于在])(?P<h2>[上下])半年"),
        _build_half),
    ("quarter", re.compile(
        r"(?<![每按各本上下个\d一二三四五六七八九十])第?(?P<q>[一二三四1-4])季度"
        r"(?P<edge>末|底)?(?P<tail>前|之前|以前|内|完成)?(?![的度])"), _build_quarter),
    ("within_year", re.compile(r"(?<![一二两三四五六七八九十\d个])年内(?:全面)?完成"),
     _build_within_year),
)
"""The deadline rows, in the order `RULE_PATTERNS` tries them."""
