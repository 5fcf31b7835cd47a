"""A task's text → its machine-readable rules (要求), each with the words it came from.

`RULE_PATTERNS` is the table: (name, compiled regex, builder) rows tried in order (the recurring
rows here, then the after-event rows of `events.py` and the deadline rows of `deadlines.py`); a later row never re-reads words an earlier row already turned into a rule, so
"每年至少开展2次" is one recurring rule, not also a "每年" one. Guards drop what only looks like a
rule: past facts (共召开1场, 开展了4次), inspection findings (未…, 存在…), effective dates
(自…起施行), goal sentences (到2025年底…), percentages. Inventing a rule is worse than missing
one, so every row is written for the obligation phrasing of 政务公开 plans and nothing looser.

Choices (also in docs/rules.md): an ongoing rule (持续/常态化/及时/定期…) is emitted only for a
task with no dated rule, at most one; "每年X月X日前" is a deadline in the plan's year; an explicit
year ("2024年11月底前") gives year_offset 0 because the plan's year is not known here;
"每季度首月10日前" gives due_day 10 (read as the 10th of the period's last month).
"每两个月开展一次" is 6 per year (the schedule splits a year's 6 into its two-month parts).
A task table's time-limit cell (完成时限:每季度) that restates a rule of the task's own text adds
no second rule; neither do the same words read twice.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from tracker.model import Requirement, RequirementKind
from tracker.notes import Note
from tracker.parse.clauses import Context, Found, Sentence, fold, split, tidy_what, with_subject
from tracker.parse.deadlines import DEADLINE_PATTERNS
from tracker.parse.events import EVENT_PATTERNS
from tracker.parse.periods import (
    ENUM_TOKEN,
    NUM,
    PERIOD_OF,
    PERIODIC,
    YEAR_SPAN,
    enum_period,
    number,
    plausible_count,
)

REGULARLY_WARNING = Note(
    "task text says 定期 (regularly) without a period: set the period with `tracker rule`",
    "任务正文写了“定期”, 但没有写明周期: 请用 `tracker rule` 设置周期。",
)
"""Warning given (once per task) when 定期 appears in a clause that sets no period."""

_MIN_TAIL = re.compile(r"(?:至少|不少于|不低于|不得少于|最少|不少于)\s*$")
_POST_HEAD = re.compile(r"^(?:及?以上|左右|的)+")
_PREPOSITION = re.compile(r"^(?:向|对|在|通过|到|为|与|于|给|就|围绕|针对)")
_DUE_DAY = re.compile(  # used with .match(text, pos): right after the period word
    rf"(?:的)?(?:首月|次月|第一个月|最后一个月|末月|结束后)?(?P<dd>{NUM})(?:日|号)(?:前|之前|以前|内|之内)?"
    r"|(?:的)?(?:月|季度?|周)?(?P<part>最后一个?工作日|最后一天|底|末|上旬|中旬|下旬|初)(?:前|之前|以前)?"
    r"|(?<=周)[一二三四五六日](?!次)(?:前|之前|以前)?"  # 每周五前: the weekday is consumed, not a day
)
_DUE_LATER = re.compile(
    rf"(?:次月|下月|首月|当月|季后|下一?季度?首月)(?P<dd>{NUM})(?:日|号)(?:前|之前|以前)"
)
"""A due day later in the clause: "每月数据于次月10日前报送" → 10 (of the period's last month)."""
_YEAR_DATE_AHEAD = re.compile(
    rf"^度?(?:的|{NUM}月|第?[一二三四1-4]季度|[上下]半年|年?[底末终])"
)
_SPAN_AHEAD = re.compile(rf"^(?:[一二三四五六日天]|{NUM}[日号])(?:至|到|—|-|~)")
_EACH_HALF = re.compile(r"上(?:半年)?[、和及与]下半年各")
_PART_DAY = {"上旬": 10, "中旬": 20}  # 底/末/下旬/最后一个工作日 → None: the period's last day
_WORD_GOES_ON = re.compile(r"^(?:龄|级|限|期|节|薪|岁|边|终)")
_PLAN_NOUN = re.compile(r"^(?:计划|安排|目标|任务|预算|考核|工作要点|部署|报告|总结|绩效)")
_ONGOING_WORD = re.compile(
    r"持续|常态化|长期坚持|(?<!不)及时|定期|经常性|动态(?:更新|调整|管理)|实时|即时|随时"
    r"|(?<=:)\s*(?:全年|长期)"
)
"""Ongoing wording; 不定期 (irregularly) counts too, but only 定期 warns (its period is unset)."""

_NUMBERING = re.compile(
    r"^\s*(?:\d+[.\uff0e、]|[(\uff08][一二三四五六七八九十\d]{1,3}[)\uff09]|[一二三四五六七八九十]{1,3}、)\s*"
)
_Builder = Callable[[re.Match[str], Context], "Found | None"]


# ----- recurring --------------------------------------------------------------------------


def _build_period_list(match: re.Match[str], ctx: Context) -> Found | None:
    """按月、季、半年、年度 → one recurring rule per period named, count 1 each."""
    if ctx.is_fact(match.start()):
        return None
    tokens = re.findall(ENUM_TOKEN, re.sub(r"[按每照]", "", match.group()))
    periods = list(dict.fromkeys(enum_period(token) for token in tokens))
    what = tidy_what(ctx.rest_of_clause(match.end()))
    source = ctx.source(match.start(), match.end())
    owner = ctx.per_owner(match.start())
    rules = tuple(
        Requirement(RequirementKind.RECURRING, source, what, count=1, period=period,
                    per_owner=owner)
        for period in periods
    )
    return Found(rules, match.start(), match.end())


def _period_of(spelling: str) -> str:
    return PERIOD_OF.get(spelling, "year")  # YEAR_SPAN words (年内, 全年) bound a count to a year


def _build_count(match: re.Match[str], ctx: Context) -> Found | None:
    """每年至少开展2次X / 年内组织X不少于1次 / 各科室年内至少投稿一篇X → count per period."""
    period = _period_of(match.group("period"))
    if period == "year" and _EACH_HALF.search(match.group("mid")):
        period = "half"  # 每年上半年、下半年各开展1次: once in each half
    count = number(match.group("num"))
    if not plausible_count(count, period) or ctx.is_fact(match.start()):
        return None
    pre = ctx.original[match.end("period") : match.start("num")]
    if match.group("unit") in _ITEM_UNITS and not _MIN_TAIL.search(pre):
        return None  # "每年公开10条" is a quantity; "全年报送不少于10条" is a count of submissions
    due = _DUE_DAY.match(ctx.folded, match.end("period"))
    pre = _MIN_TAIL.sub("", pre[due.end() - match.end("period") :] if due else pre)
    post = _POST_HEAD.sub("", ctx.rest_of_clause(match.end()))
    pre_clean = tidy_what(pre)
    if post.strip() and _PREPOSITION.match(pre_clean) and len(pre_clean) > 4:
        pre_clean = pre_clean[-2:]  # "向…等平台投稿" + "政务公开宣传稿" → "投稿政务公开宣传稿"
    what = with_subject(tidy_what(pre_clean + post), ctx.head_of_clause(match.start()))
    rule = Requirement(
        RequirementKind.RECURRING,
        ctx.source(match.start(), match.end()),
        what,
        count=count,
        period=period,
        per_owner=ctx.per_owner(match.start()),
        due_day=_due_day(due) if period != "year" else None,
    )
    return Found((rule,), match.start(), match.end())


_ITEM_UNITS = ("条", "项", "件")
"""Units that count things, not occasions: a count only after 至少/不少于."""

_ONCE_PER = {"一年": "year", "半年": "half", "一季度": "quarter", "一季": "quarter",
             "一个月": "month", "一月": "month", "两周": "fortnight", "一周": "week",
             "一个星期": "week"}


def _build_once_per(match: re.Match[str], ctx: Context) -> Found | None:
    """一年一次 / 半年一次 / 一季度一次 / 一月一次 / 一周一次 → count per period."""
    period = _ONCE_PER[match.group("unit")]
    count = number(match.group("num"))
    if not plausible_count(count, period) or ctx.is_fact(match.start()):
        return None
    what = with_subject(tidy_what(ctx.rest_of_clause(match.end())), ctx.head_of_clause(match.start()))
    rule = Requirement(RequirementKind.RECURRING, ctx.source(match.start(), match.end()), what,
                       count=count, period=period, per_owner=ctx.per_owner(match.start()))
    return Found((rule,), match.start(), match.end())


_ONE_PER = {"年": "year", "季度": "quarter", "季": "quarter", "月": "month", "周": "week"}


def _build_one_per(match: re.Match[str], ctx: Context) -> Found | None:
    """一月一调度 / 一季一通报 / 一年一评估 → once per period (the idiom of plans)."""
    if ctx.is_fact(match.start()):
        return None
    rest = ctx.rest_of_clause(match.end())
    what = tidy_what(re.split(r"[、和及]", rest, maxsplit=1)[0])  # 一月一调度、一季一通报
    rule = Requirement(RequirementKind.RECURRING, ctx.source(match.start(), match.end()), what,
                       count=1, period=_ONE_PER[match.group("unit")],
                       per_owner=ctx.per_owner(match.start()))
    return Found((rule,), match.start(), match.end())


_TWO_MONTHS_COUNT = re.compile(
    rf"^(?P<pre>[^,;:。!?\n]{{0,20}}?)(?:至少|不少于|不低于)?(?P<num>{NUM})次(?!性)")
"""The count after 每两个月 in its clause: "开展一次" (1), "至少开展2次" (2)."""

TWO_MONTHS_COUNT_WARNING = Note(
    "task text says {words} (more than once every two months): set the rule with `tracker rule`",
    "任务正文写了{words} (每两个月不止一次), 未读作规则: 请用 `tracker rule` 设置规则。",
)
"""A template: `TWO_MONTHS_COUNT_WARNING.fill(words=…)`."""


def _build_two_months(match: re.Match[str], ctx: Context) -> Found | None:
    """每两个月开展一次检查 → 6 per year: the schedule cuts a year's 6 into its two-month parts
    (Jan–Feb, Mar–Apr, …), so each part is due at the end of its second month (or on its due
    day: 每两个月10日前 → the 10th). More than once in two months is not read (a warning)."""
    if ctx.is_fact(match.start()) or ctx.is_measure(match.start()):
        return None
    due = _DUE_DAY.match(ctx.folded, match.end())
    end = due.end() if due else match.end()
    rest = ctx.rest_of_clause(end)
    counted = _TWO_MONTHS_COUNT.match(fold(rest))
    if counted and number(counted.group("num")) != 1:
        words = ctx.original[match.start() : end + counted.end()]
        return Found((), match.start(), end + counted.end(),
                     (TWO_MONTHS_COUNT_WARNING.fill(words=f"“{words}”"),))
    if counted:  # "开展一次检查" → "开展检查"
        rest = rest[: counted.end("pre")] + rest[counted.end() :]
    what = with_subject(tidy_what(rest), ctx.head_of_clause(match.start()))
    rule = Requirement(RequirementKind.RECURRING, ctx.source(match.start(), end), what, count=6,
                       period="year", per_owner=ctx.per_owner(match.start()), due_day=_due_day(due))
    return Found((rule,), match.start(), end + (counted.end() if counted else 0))


def _build_each_half(match: re.Match[str], ctx: Context) -> Found | None:
    """上、下半年各开展1次 → once per half year (count as written)."""
    count = number(match.group("num"))
    if not plausible_count(count, "half") or ctx.is_fact(match.start()):
        return None
    what = with_subject(tidy_what(ctx.rest_of_clause(match.end())), ctx.head_of_clause(match.start()))
    rule = Requirement(RequirementKind.RECURRING, ctx.source(match.start(), match.end()), what,
                       count=count, period="half", per_owner=ctx.per_owner(match.start()))
    return Found((rule,), match.start(), match.end())


def _due_day(due: re.Match[str] | None) -> int | None:
    """The day of 10日前 (10), 上旬 (10), 中旬 (20); None for 底/末/下旬 (= the last day) and 初."""
    if due is None:
        return None
    groups = due.groupdict()
    day = number(groups["dd"]) if groups.get("dd") else _PART_DAY.get(groups.get("part") or "")
    return day if day is not None and 1 <= day <= 31 else None


def _build_periodic(match: re.Match[str], ctx: Context) -> Found | None:
    """每季度对X进行检查 / 按季度报送 / 每月10日前报送 → once per period (due_day if given)."""
    spelling = match.group()
    period = PERIOD_OF[spelling]
    after = ctx.folded[match.end() : min(ctx.clause(match.start())[1], match.end() + 40)]
    if period == "year" and _YEAR_DATE_AHEAD.match(after):
        return None  # 每年3月底前 / 每年一季度: a deadline each year, read by the deadline rows
    if spelling.startswith("按") and _PLAN_NOUN.match(after):
        return None  # 按年度计划 / 按季度安排: a plan's noun, not a period
    if _WORD_GOES_ON.match(after):
        return None  # 按年龄 / 按周期 / 按季节 / 每周期: the period word is part of another word
    if _SPAN_AHEAD.match(after):
        return None  # 每周一至周五 / 每月1日至5日: a window of days (office hours), not a rule
    due = _DUE_DAY.match(ctx.folded, match.end())
    if (after.startswith("的") and not due) or ctx.is_measure(match.start()) or ctx.is_fact(match.start()):
        return None  # 每年的…: a noun's attribute ("每个季度的第一个月10日前" is a due day)
    end = due.end() if due else match.end()
    head = ctx.head_of_clause(match.start())
    what = with_subject(tidy_what(ctx.rest_of_clause(end)), head)
    if due is None and period != "year":
        due = _DUE_LATER.search(ctx.folded, match.end(), match.end() + len(after))
    due_day = _due_day(due) if period != "year" else None  # a year's date is a deadline row's
    rule = Requirement(RequirementKind.RECURRING, ctx.source(match.start(), end), what, count=1,
                       period=period, per_owner=ctx.per_owner(match.start()), due_day=due_day)
    return Found((rule,), match.start(), max(end, due.end() if due else end))


RULE_PATTERNS: tuple[tuple[str, re.Pattern[str], _Builder], ...] = (
    ("period_list", re.compile(
        rf"(?:按照?|每){ENUM_TOKEN}(?:[、/和及与或](?:按|每)?{ENUM_TOKEN})+"), _build_period_list),
    ("two_months", re.compile(r"(?<![隔\d])每(?:两|2|二)个?月(?!后)"), _build_two_months),
    ("count_per_period", re.compile(
        rf"(?P<period>{PERIODIC}|{YEAR_SPAN})(?P<mid>[^,;:。!?\n]{{0,60}}?)(?<!第)"
        rf"(?P<num>{NUM})(?P<unit>次|篇|期|场|回|轮|份|条|项|件)(?!性|年|日|数)"), _build_count),
    ("once_per_period", re.compile(
        r"(?<![每按\d一二两三四五六七八九十])(?P<unit>一年|(?<![上下])半年|一季度|一季|一个月|一月|两周|一周|一个星期)"
        r"(?:至少|不少于|不低于)?(?P<num>[一两二三四五六\d])次(?!性)"),
        _build_once_per),
    ("one_per", re.compile(
        r"(?<![每第\d一二两三四五六七八九十])一(?P<unit>年|季度|季|月|周)一(?![度日号次])(?=[\u4e00-\u9fff])"),
        _build_one_per),
    ("each_half", re.compile(
        rf"上(?:半年)?[、和及与]下半年各[^,;:。!?\n]{{0,20}}?(?P<num>{NUM})(?:次|篇|期|场|回|轮)(?!性)"),
        _build_each_half),
    *EVENT_PATTERNS,
    *DEADLINE_PATTERNS,
    ("periodic", re.compile(PERIODIC), _build_periodic),
)
"""The rule phrases, tried in this order on each sentence; an earlier row's words are claimed."""


# ----- the entry point --------------------------------------------------------------------


_NEEDS: dict[str, tuple[str, ...]] = {
    "period_list": ("按", "每"),
    "two_months": ("每两", "每2", "每二"),
    "count_per_period": ("次", "篇", "期", "场", "回", "轮", "份", "条", "项", "件"),
    "once_per_period": ("次",),
    "each_half": ("下半年",),
    "one_per": ("一年一", "一季一", "一季度一", "一月一", "一周一"),
    "between_events": ("工作日",),
    "workdays": ("工作日",),
    "calendar_days": ("日内", "天内", "日以内", "天以内", "日之内", "天之内", "超过", "控制在"),
    "weeks": ("周内", "周以内", "周之内", "星期内", "星期以内", "星期之内"),
    "hours": ("小时",),
    "deadline_cell": ("时限", "时间", "期限", "安排"),
    "date": ("月",),
    "cut_off_date": ("截止",),
    "month_dot_day": (".",),
    "iso_date": ("-", ".", "/"),
    "each_year_month": ("每年",),
    "year_end": ("底", "末", "终"),
    "half_year": ("半年",),
    "quarter": ("季度",),
    "within_year": ("年内",),
    "periodic": ("每", "按", "双周", "逐"),
}
"""Words a row cannot match without: a row whose words are absent from the text is not run.
Called once per task, scanning is the cost (1.2 ms per task without this, most of it in rows
that could not match); a row missing here is always run."""


_NEEDED = {name: re.compile("|".join(map(re.escape, words))) for name, words in _NEEDS.items()}
"""`_NEEDS` as one search per row (a regex alternation: one C call instead of a generator)."""


class _Claims:
    """The spans already turned into rules, sorted: an overlap test in O(log n), so a run-on
    text with thousands of matches stays fast (a linear scan made it quadratic)."""

    def __init__(self) -> None:
        self.begins: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, begin: int, end: int) -> bool:
        index = bisect_right(self.begins, begin)
        before = index > 0 and self.ends[index - 1] > begin
        return before or (index < len(self.begins) and self.begins[index] < end)

    def add(self, begin: int, end: int, anchor: int) -> None:
        """Claim [begin, end), clipped to the gap around `anchor` (the match's start) so the
        spans stay disjoint: an event read back over an earlier rule does not swallow it."""
        index = bisect_right(self.begins, anchor)
        if index > 0:
            begin = max(begin, self.ends[index - 1])
        if index < len(self.begins):
            end = min(end, self.begins[index])
        self.begins.insert(index, begin)
        self.ends.insert(index, end)


def _dated_hits(original: str, folded: str, sentences: list[Sentence],
                plan_year: int | None = None) -> list[tuple[Sentence, Found]]:
    """Every row's hits, earlier rows first; a hit stays inside one sentence, and words are
    claimed by one hit only. Each row scans the whole text once (not once per sentence: 3x faster).
    A hit with warnings and no rule (a date in another year) claims its words too."""
    starts = [sentence.start for sentence in sentences]
    contexts: dict[int, Context] = {}
    claims = _Claims()
    pairs: list[tuple[Sentence, Found]] = []
    for name, pattern, build in RULE_PATTERNS:
        needs = _NEEDED.get(name)
        if needs is not None and needs.search(folded) is None:
            continue
        for match in pattern.finditer(folded):
            index = bisect_right(starts, match.start()) - 1
            if index < 0 or match.end() > sentences[index].end:
                continue
            if claims.overlaps(match.start(), match.end()):
                continue
            ctx = contexts.setdefault(index, Context(original, folded, sentences[index], plan_year))
            found = build(match, ctx)
            if found is not None and (found.requirements or found.warnings):
                claims.add(found.begin, found.end, match.start())
                pairs.append((sentences[index], found))
    return sorted(pairs, key=lambda pair: pair[1].begin)


def _ongoing(original: str, folded: str, sentences: list[Sentence]) -> Requirement | None:
    """The first 持续/常态化/及时/定期… clause of the task, as one ongoing rule (or None)."""
    for sentence in sentences:
        match = _ONGOING_WORD.search(folded, sentence.start, sentence.end)
        if match:
            ctx = Context(original, folded, sentence)
            what = tidy_what(ctx.rest_of_clause(match.end())) or tidy_what(  # 实行动态管理
                ctx.head_of_clause(match.start()) + match.group())
            return Requirement(RequirementKind.ONGOING, ctx.source(match.start(), match.end()), what)
    return None


def _regularly_unset(folded: str, sentences: list[Sentence], dated: list[tuple[Sentence, Found]]) -> bool:
    """True when some 定期 stands in a clause that no dated rule of the task covers."""
    for sentence in sentences:
        for match in re.finditer("(?<!不)定期", folded[sentence.start : sentence.end]):
            start, end = sentence.clause(sentence.start + match.start())
            covered = any(s is sentence and hit.begin < end and start < hit.end for s, hit in dated)
            if not covered:
                return True
    return False


def _lead_phrase(text: str, sentences: list[Sentence]) -> str:
    """The task's opening phrase (its title, as a rule's `what` of last resort)."""
    for sentence in sentences:
        words = tidy_what(_NUMBERING.sub("", text[sentence.start : sentence.end]))
        if words:
            return words
    return ""


def _with_what(rule: Requirement, lead: str) -> Requirement:
    """A rule whose `what` is empty (a table's time-limit cell) or one bare word (持续推进 →
    推进) takes the task's opening phrase instead."""
    too_short = not rule.what or (rule.kind is RequirementKind.ONGOING and len(rule.what) <= 2)
    return rule._replace(what=lead) if too_short and lead else rule


_TIMING_LABEL = re.compile(
    r"(?:(?:完成)?(?:时限|时间节点|时间要求|时间安排|进度安排)|完成(?:时间|期限))(?:要求)?:")
"""The label of a time-limit cell (tracker.parse.tables writes a table's as "完成时限:…")."""
_COUNT_WORD = re.compile(r"\d|[一二两三四五六七八九十]\s*(?:次|篇|期|场|回|轮|份|条|项|件)")
"""A count written in a rule's source: a cell "每季度" names the period only, "每季度2次" a count."""


_COMPARED = 64
"""Rules of a task compared for restating (real tasks have under ten; a hostile run-on task
with thousands keeps its later cell rules as read, rather than cost quadratic time)."""


def _in_timing_cell(labels: list[int], sentence: Sentence, found: Found) -> bool:
    """True when the hit is a time-limit cell's: a label (at one of the sorted `labels`
    positions) opens its words or stands before them in their sentence (完成时限:每季度 /
    完成时限:年底前)."""
    index = bisect_right(labels, found.begin) - 1
    return index >= 0 and labels[index] >= sentence.start


def _restates(cell: Requirement, text: Requirement) -> bool:
    """True when a time-limit cell's rule says nothing the text's rule does not: the same kind
    and the same dates, counts, periods and allowances. A cell has no subject, so its per_owner
    (always False) is no difference, nor is a due day the cell leaves out, a count it does not
    write (完成时限:每季度 beside "每季度至少报送2篇") or an event it does not name (完成时限:3个工作日内
    beside "文件印发后3个工作日内发布": the same allowance, in the same kind of days)."""
    if cell.kind is not text.kind:
        return False
    if cell.kind is RequirementKind.RECURRING:
        count_ok = cell.count == text.count or not _COUNT_WORD.search(cell.source)
        return cell.period == text.period and count_ok and cell.due_day in (None, text.due_day)
    if cell.kind is RequirementKind.DEADLINE:
        return (cell.month, cell.day, cell.year_offset) == (text.month, text.day, text.year_offset)
    if cell.kind is RequirementKind.AFTER_EVENT:
        return (cell.workdays, cell.days) == (text.workdays, text.days) and cell.event in (None, text.event)
    return True


def _looser(cell: Requirement, text: Requirement) -> bool:
    """True when the text's rule is the cell's with less said: the cell adds only a due day
    (完成时限:每月10日前 beside "每月更新目录") or only the event (完成时限:文件发布后5个工作日内 beside
    "在5个工作日内作出回应")."""
    if text.due_day is None and cell.due_day is not None:
        return _restates(cell._replace(due_day=None), text)
    if text.event is None and cell.event is not None:
        return _restates(cell._replace(event=None), text)
    return False


def _without_repeats(folded: str, dated: list[tuple[Sentence, Found]]) -> list[Requirement]:
    """The dated rules, each obligation once. A rule read from a time-limit cell that restates a
    rule of the task's text is dropped (the text's words say more; when the cell adds only a due
    day or an event, its rule is kept instead, with the text's `what`); a rule whose words and fields repeat an
    earlier rule's is dropped. Two rules of one shape from different words both stay (Jining task
    13: 听取汇报 and 培训, once a year each)."""
    labels = [label.start() for label in _TIMING_LABEL.finditer(folded)]
    cells = {id(found) for sentence, found in dated if labels and _in_timing_cell(labels, sentence, found)}
    text_rules = [rule for _, found in dated if id(found) not in cells
                  for rule in found.requirements][:_COMPARED]
    replaced: dict[int, Requirement] = {}
    dropped: set[int] = set()
    for _, found in [pair for pair in dated if id(pair[1]) in cells][:_COMPARED] if text_rules else ():
        for rule in found.requirements:
            same = next((other for other in text_rules if _restates(rule, other)), None)
            if same is not None:
                dropped.add(id(rule))
                continue
            looser = next((other for other in text_rules if _looser(rule, other)), None)
            if looser is not None and id(looser) not in replaced:  # 完成时限:每月10日前 + 每月更新
                replaced[id(looser)] = rule._replace(what=looser.what or rule.what,
                                                     per_owner=looser.per_owner)
                dropped.add(id(rule))
    rules: dict[Requirement, None] = {}  # insertion-ordered; a rule equal to an earlier one
    for _, found in dated:                # (the same words, the same fields) is not added twice
        for rule in found.requirements:
            if id(rule) not in dropped:
                rules.setdefault(replaced.get(id(rule), rule))
    return list(rules)


def extract_requirements(text: str, *, year: int | None = None,
                         ) -> tuple[tuple[Requirement, ...], tuple[Note, ...]]:
    """One task's whole text → its rules in text order, and warnings in plain English (each a
    `tracker.notes.Note` carrying its Chinese sentence).

    Every rule's `source` is a verbatim substring of `text`. A task with no dated rule
    (recurring, after_event, deadline) gets at most one ongoing rule, and only if it says
    持续/常态化/及时/定期…; a task with dated rules gets no ongoing one. A time-limit cell that
    restates a rule of the text (完成时限:每季度 beside "每季度检查") gives no second rule. `year`,
    the year the task's rules fall in, checks deadlines that name a year (2025年3月底前 in a 2024
    plan → year_offset 1; 2023 → no rule, a warning). Text that sets no rule gives `((), ())` —
    never an error, whatever the input.
    """
    folded = fold(text)
    sentences = split(folded)
    dated = _dated_hits(text, folded, sentences, year)
    rules = _without_repeats(folded, dated)
    notes = [note for _, hit in dated for note in hit.warnings]
    if not rules:
        ongoing = _ongoing(text, folded, sentences)
        rules = [ongoing] if ongoing else []
    if any(len(rule.what) <= 2 for rule in rules):
        lead = _lead_phrase(text, sentences)
        rules = [_with_what(rule, lead) for rule in rules]
    if _regularly_unset(folded, sentences, dated):
        notes.append(REGULARLY_WARNING)
    return tuple(rules), tuple(dict.fromkeys(notes))
