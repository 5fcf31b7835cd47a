"""After-event phrases → after_event rules: 文件发布后,应于3个工作日内… / 收到申请之日起20个工作日内.

The after-event rows of `tracker.parse.rules.RULE_PATTERNS` (spliced in as `EVENT_PATTERNS`), with
their builders: working days (N个工作日内, 不超过N个工作日), calendar days (N日内/N天内), weeks
(一周内 = 7 days) and whole-day hours (24小时内 = 1 day). The event is read back from the words
before the allowance (…后 / …之日起 / 印发起); none named leaves `event` empty. Conditions
(未在3个工作日内答复的), penalty thresholds, extension caps and bare durations are not rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tracker.model import Requirement, RequirementKind
from tracker.parse.clauses import Context, Found, tidy_what, with_subject
from tracker.parse.periods import NUM, PERIODIC, number

_EVENT_ANCHOR = re.compile(
    r"(?P<event>[^,;:。]{1,40}?)(?:之日起|之日后|之后|以后|后|时起|日起|(?<=[发布台签成过达到收交理])起)"
    r"(?:,)?[^,;。]{0,12}$"
)
_EVENT_REACH = 60
"""How far back (characters) the event may start: keeps a run-on clause linear, not quadratic."""
_EVENT_HEAD = re.compile(r"^(?:原则上|一般|应当?|须|要|自从|自|从|在|于|对于|对|凡是|凡|经|待|当)+")
_EVENT_CUT = re.compile(r".*(?:应当?|须|要|必须)?(?:在|于|自|从)(?=..)")
"""Cut "解读材料应当在政策文件公开" to the event itself: "政策文件公开"."""
_EVENT_TAIL = re.compile(r"(?:之日|时)$")
_PERIOD_START = re.compile(PERIODIC)
_NOT_AN_ALLOWANCE = re.compile(r"延长|平均")
"""The statute's cap on an extension (延长的期限最长不得超过20个工作日) and averages (平均办理时间)."""
_TIME_WORD = re.compile(r"(?:的)?(?:时间|日期)\s*$")
_Builder = Callable[[re.Match[str], Context], "Found | None"]


def _event_before(ctx: Context, pos: int) -> tuple[str | None, int]:
    """The event that starts the clock, read back from `pos` over this and the previous clause
    ("文件发布后,应于" → "文件发布"); (None, pos) when the text names none."""
    start = max(ctx.sentence.previous_clause_start(pos), pos - _EVENT_REACH)
    found = _EVENT_ANCHOR.search(ctx.folded, start, pos)
    if not found:
        return None, pos
    raw = ctx.original[found.start("event") : found.end("event")].strip()
    event = _EVENT_TAIL.sub("", _EVENT_CUT.sub("", _EVENT_HEAD.sub("", raw))).strip()
    if event == "会":
        event = "会议"  # 会后3个工作日内
    return (event or None), found.start("event")


def _after_rule(ctx: Context, match: re.Match[str], *, working: bool,
                allowance: int | None = None) -> Found | None:
    """The after_event rule for an allowance match (workdays, or calendar days), unless it is a
    condition (…的), a finding, an extension cap or a bare duration; the event is read back."""
    if ctx.is_fact(match.start()) or ctx.folded[match.end() : match.end() + 1] == "的":
        return None  # 未在3个工作日内答复的 / 超过办理时限5个工作日的: a condition, not a duty
    if _NOT_AN_ALLOWANCE.search(ctx.clause_text(match.start())):
        return None  # 延长的期限最长不得超过20个工作日 / 平均办理时间: a cap or a statistic
    allowance = number(match.group("num")) if allowance is None else allowance
    if allowance is None or not 1 <= allowance <= 366:
        return None
    if not (match.group("cap") or match.group("within")):
        return None  # "公示期5个工作日": a duration, not an allowance
    event, begin = _event_before(ctx, match.start())
    if event and _PERIOD_START.match(event):
        return None  # 每季度结束后15日内: a period's due day, read by the periodic row
    if not working and event is None and not match.group("within"):
        return None  # "不超过30日" with no event: a duration, not a deadline
    head = ctx.original[ctx.clause(begin)[0] : match.start()]
    for marker in (event, "会后"):
        if marker and marker in head:
            head = head.split(marker)[0]  # "解读材料应于文件公开后" → "解读材料应于"
            break
    what = with_subject(tidy_what(ctx.rest_of_clause(match.end())), head)
    kind = RequirementKind.AFTER_EVENT
    source = ctx.source(begin, match.end())
    rule = (Requirement(kind, source, what, event=event, workdays=allowance) if working
            else Requirement(kind, source, what, event=event, days=allowance))
    return Found((rule,), begin, match.end())


def _build_workdays(match: re.Match[str], ctx: Context) -> Found | None:
    """文件发布后,应于3个工作日内X / 收到申请之日起20个工作日内予以答复 → after_event, workdays."""
    return _after_rule(ctx, match, working=True)


def _build_days(match: re.Match[str], ctx: Context) -> Found | None:
    """自收到之日起15日内 → after_event in calendar days (the text says 日/天 without 工作)."""
    return _after_rule(ctx, match, working=False)


def _build_weeks(match: re.Match[str], ctx: Context) -> Found | None:
    """收到后一周内 → after_event, 7 calendar days (两周内 → 14)."""
    weeks = number(match.group("num"))
    return None if weeks is None else _after_rule(ctx, match, working=False, allowance=weeks * 7)


def _build_hours(match: re.Match[str], ctx: Context) -> Found | None:
    """24小时内回应 → after_event, 1 calendar day (48 → 2). Hours that are not whole days
    (5小时内) are not read: the model counts days, and rounding would invent a looser rule."""
    hours = number(match.group("num"))
    if hours is None or hours % 24:
        return None
    return _after_rule(ctx, match, working=False, allowance=hours // 24)


def _build_between(match: re.Match[str], ctx: Context) -> Found | None:
    """文件发布时间与成文时间间隔不超过20个工作日 → after the later-named event (成文), 20 workdays."""
    allowance = number(match.group("num"))
    if allowance is None or not 1 <= allowance <= 366 or ctx.is_fact(match.start()):
        return None
    event = match.group("b").strip()
    begin = ctx.clause(match.start())[0]
    first = _TIME_WORD.sub("", ctx.original[begin : match.start()])  # "文件发布时间" → "文件发布"
    if not first.strip():
        return None
    rule = Requirement(RequirementKind.AFTER_EVENT, ctx.source(begin, match.end()), tidy_what(first),
                       event=event, workdays=allowance)
    return Found((rule,), begin, match.end())


_WITHIN = r"(?P<within>(?:以内|之内|内)(?!容))"  # not 内容 (content)
_CAP = r"(?:不超过|不得超过|不应超过|不宜超过|最长不超过|最多不超过|最长不得超过|控制在)"
_NO_NUM_BEFORE = r"(?<![\d零〇一二两三四五六七八九十百月])"


EVENT_PATTERNS: tuple[tuple[str, re.Pattern[str], _Builder], ...] = (
    ("between_events", re.compile(
        rf"(?:与|和|同)(?P<b>[^,;。\n与和]{{1,12}}?)(?:时间|日期)"
        rf"(?:之间)?(?:的)?(?:间隔|相隔|相差)?(?:时间)?(?:原则上|一般)?(?:应)?{_CAP}"
        rf"(?P<num>{NUM})个?工作日"), _build_between),
    ("workdays", re.compile(
        rf"(?P<cap>{_CAP})?{_NO_NUM_BEFORE}(?P<num>{NUM})个?工作日{_WITHIN}?"), _build_workdays),
    ("calendar_days", re.compile(
        rf"(?P<cap>{_CAP})?{_NO_NUM_BEFORE}(?P<num>{NUM})个?(?:自然)?(?:日|天){_WITHIN}?(?![前后起])"),
        _build_days),
    ("weeks", re.compile(
        rf"(?P<cap>{_CAP})?(?<![每\d零〇一二两三四五六七八九十])(?P<num>{NUM})个?(?:周|星期){_WITHIN}"),
        _build_weeks),
    ("hours", re.compile(
        rf"(?P<cap>{_CAP})?{_NO_NUM_BEFORE}(?P<num>{NUM})个?小时{_WITHIN}?"), _build_hours),
)
"""The after-event rows, in the order `RULE_PATTERNS` tries them."""
