"""tracker.parse — clean text → PlanDraft: kind, title, issuer, year, outline, owners, rules.

Pure: text in, a draft out, with plain-words warnings for what could not be read; no database,
no files. `parse(text)` takes the clean text tracker.ingest produces (simplified script, full-width
"(" ")" brackets, half-width digits) and is liberal in what else it accepts.

Which year a draft carries: the year the document is about — a plan's year, and for an annual
report the year it reports on (2020 for "…2020年度政府信息公开工作年度报告"), although its
commitments are for the year after.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import date

from tracker.model import Owners, PlanDraft, Requirement, SectionDraft, TaskDraft
from tracker.notes import Note, prefixed
from tracker.parse.numerals import to_int, year_of
from tracker.parse.outline import (
    COLONS,
    COMMAS,
    OPEN,
    SEMIS,
    RawTask,
    is_table_line,
    lead_phrase,
    read_outline,
    split_cells,
    trim,
)
from tracker.parse.owners import looks_like_unit, owners_from_cells, read_owners
from tracker.parse.report import read_report
from tracker.parse.rules import extract_requirements
from tracker.parse.tables import join_cell_lines, read_tables

__all__ = ["no_tasks_reason", "parse"]

_TITLE_WORDS = re.compile(r"工作要点|要点|实施方案|方案|工作计划|计划|年度报告|工作报告|任务清单|任务分工|"
                          r"工作台账|台账|责任清单")
_TITLE_IN_PROSE = re.compile(
    rf"\d{{4}}年度?[^{COMMAS}。{SEMIS}{COLONS}\s《》“”]{{2,40}}?(?:工作要点|年度报告|实施方案|工作计划)")
_ANNUAL = re.compile(r"年度报告|信息公开工作报告|年度工作报告")
_ORG_CUT = re.compile(r"政务公开|政府信息公开|信息公开|政务服务|工作要点|年度报告|工作报告|实施方案|"
                      r"工作计划|关于")
_ISSUER_LABELS = ("发布机构", "发文机关", "发文单位", "发布单位", "信息来源", "来源", "制发机关")
_DATE_LABELS = ("成文日期", "发文日期", "印发日期", "发布日期", "发布时间", "时间")
_DATE = re.compile(r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})")
_CN_YEAR = "[〇零○一二三四五六七八九]{4}"
"""A year in Chinese numerals, digit by digit: 二〇二〇."""
_YEAR = re.compile(rf"(\d{{4}}|{_CN_YEAR})\s*年")
_CN_DATE = re.compile(rf"({_CN_YEAR})年([一二三四五六七八九十]{{1,3}})月([一二三四五六七八九十]{{1,3}})日")
_REPORT_IN_PROSE = re.compile(rf"(\d{{4}})年度?[^{COMMAS}。{SEMIS}{COLONS}\s《》“”]{{2,40}}?年度报告")
_NEXT_YEAR_PLAN = re.compile(r"(\d{4})年(?:度)?(?:我局|我们|本局)?(?:将|计划|拟)")
_HEADER_CELLS = 40
"""Cells of a header table line looked at (a 发布机构/成文日期 table has a dozen; a hostile line of
300,000 cells took 3.8 s to read whole)."""
READ_LIMIT = 20_000
"""Owners and rules are read from this many characters of a task at most. Real tasks run to a
few hundred characters (the longest in the seeds: 318); a task longer than this is an
appendix or a flattened document, and reading all of it cost 1.8 s for one 400,000-character
line (25,000 rules nobody could check) and 6 s for a plan with 10 MB of appendix in its last task."""
_NO_YEAR = Note("the document names no year in its title; give it with --year",
                "文件标题中没有年份; 请用 --year 指定。")
"""The warning of a document whose year cannot be told."""
_SPACES = str.maketrans({"\u3000": " ", "\xa0": " ", "\r": "\n", "\ufeff": ""})


@dataclass
class _Meta:
    kind: str = "workplan"
    title: str = ""
    issuer: str | None = None
    year: int | None = None
    date_written: str | None = None
    warnings: list[Note] = field(default_factory=list)


def parse(text: str, *, budget_seconds: float | None = 10.0) -> PlanDraft:
    """Read a plan or an annual report into a PlanDraft.

    Never raises on odd text: a document with no numbered items gives a draft with no tasks
    and a warning (the command turns that into an error); what could not be read is listed in
    `warnings`, in plain English, task warnings prefixed "task N: "; each is a `tracker.notes.Note`
    carrying its Chinese sentence (`.zh`, prefixed "任务N: ").

    Hostile sizes stay bounded. Owners and rules are read from the first 20,000 characters of
    each task (a longer task keeps its whole text, with a warning). `budget_seconds` caps the
    time spent reading owners and rules: once it is spent, the remaining tasks are kept with
    their text and title but no owners or rules, and a warning names the task where reading
    stopped; None means no budget. The budget is measured with time.perf_counter — a stopwatch,
    not the calendar clock — so parse stays pure in the sense that matters: the same text gives
    the same draft, except that a document too large to read within the budget may stop at a
    different task on a slower machine (and says so).
    """
    started = time.perf_counter()
    text = text.translate(_SPACES)
    meta = read_meta(text)
    warnings = list(meta.warnings)
    if meta.kind == "annual_report":
        report = read_report(text)
        sections, raw, statistics = report.sections, report.tasks, report.statistics
        warnings.extend(report.warnings)
    else:
        text, table_notes = join_cell_lines(text)
        warnings.extend(table_notes)
        outline = read_tables(text)
        prose = read_outline(text)
        if outline is None or not outline.tasks:
            outline = prose
        elif prose.tasks:
            warnings.append(Note(f"tasks were read from the task table; the {len(prose.tasks)} numbered "
                                 "items outside it were not read as tasks",
                                 f"任务取自任务分工表; 表外的{len(prose.tasks)}个编号条目未作为任务读取。"))
        sections, raw, statistics = outline.sections, outline.tasks, {}
        warnings.extend(outline.warnings)
    tasks: list[TaskDraft] = []
    rules_year = _rules_year(meta)
    for index, item in enumerate(raw):
        if budget_seconds is not None and time.perf_counter() - started >= budget_seconds:
            warnings.append(_budget_warning(budget_seconds, item, index, len(raw)))
            tasks.extend(_bare_task(rest) for rest in raw[index:])
            break
        task, notes = _task(item, rules_year)
        tasks.append(task)
        warnings.extend(prefixed(f"task {task.number}: ", f"任务{task.number}: ", note) for note in notes)
    commitments = tuple(t.text for t in tasks) if meta.kind == "annual_report" else ()
    sections = [SectionDraft(s.number, read_owners(s.title)[1].strip() or s.title) for s in sections]
    return PlanDraft(kind=meta.kind, title=meta.title, issuer=meta.issuer, year=meta.year,
                     sections=tuple(sections), tasks=tuple(tasks), commitments=commitments,
                     statistics=statistics, warnings=tuple(warnings),
                     date_written=meta.date_written)


def no_tasks_reason(draft: PlanDraft, name: str) -> Note:
    """The sentence that says why a draft has no tasks, for a command to raise (exit 3): a `Note`,
    the English sentence with its Chinese one as `.zh`.

    An annual report (年度报告) is no plan with its items missing: it states no numbered
    improvement commitments (一是… / 1. under 下一步 or 改进措施), or has no section on problems
    and improvements at all. Anything else has no numbered items.
    """
    if draft.kind != "annual_report":
        return Note(f"{name} has no numbered tasks (1. 2. … or (一) (二) …); is it a work-point plan?",
                    f"{name} 中没有带编号的任务 (1. 2. … 或 (一) (二) …); 请确认它是一份工作要点。")
    if any(w.startswith("no section on problems") for w in draft.warnings):
        return Note(f"{name} is an annual report (年度报告) with no section on problems and improvements "
                    "(存在的主要问题及改进情况), so it states no improvement commitments to import as tasks.",
                    f"{name} 是年度报告, 没有“存在的主要问题及改进情况”部分, "
                    "所以其中没有可作为任务导入的改进措施。")
    return Note(f"{name} is an annual report (年度报告) that states no numbered improvement commitments "
                "(一是… / 1. under 下一步 or 改进措施), so it has no tasks to import.",
                f"{name} 是年度报告, 但没有列出带编号的改进措施 (一是… / “下一步”或“改进措施”下的 1.), "
                "所以没有可导入的任务。")


def _rules_year(meta: _Meta) -> int | None:
    """The year a draft's rules fall in: a plan's year; for an annual report the year after the
    one it reports on (its commitments are for that year, which `tracker import` schedules)."""
    if meta.year is None:
        return None
    return meta.year + 1 if meta.kind == "annual_report" else meta.year


def _budget_warning(budget: float, stopped_at: RawTask, index: int, total: int) -> Note:
    return Note(f"parsing stopped after {budget:g} s at task {stopped_at.number} ({index + 1:,} of "
                f"{total:,}): the document is too large; the last {total - index:,} tasks were kept "
                "without owners or rules (assign them with `tracker assign` and `tracker rule`, or "
                "split the document)",
                f"解析用时达到{budget:g}秒, 停在任务{stopped_at.number} (第{index + 1:,}项, 共{total:,}项): "
                f"文件太大; 最后{total - index:,}项任务已保留, 但未读取责任单位和规则 "
                "(请用 `tracker assign` 和 `tracker rule` 补上, 或把文件拆开)。")


def _bare_task(raw: RawTask) -> TaskDraft:
    """A task kept as the outline found it, with no owners or rules read (the budget was spent)."""
    return TaskDraft(raw.number, raw.path, raw.title or lead_phrase(raw.text), raw.text.strip(),
                     Owners((), ()), ())


def _task(raw: RawTask, year: int | None = None) -> tuple[TaskDraft, tuple[Note, ...]]:
    """Owners and rules of one raw task; rules never see the owner annotations' words.

    A task with no annotation of its own takes the owners annotated on the nearest heading above it.

    A table row's owners come from its owner cells, or from annotations in its text when those
    cells are empty; its title is its 工作任务 cell. Deadlines that name a year are read against
    `year`, the year the task's rules fall in.
    """
    head = raw.text[:READ_LIMIT]
    owners, bare = read_owners(head)
    for line in raw.headings if not owners.all() else ():
        owners = read_owners(line)[0]
        if owners.all():
            break
    title = lead_phrase(bare) or raw.title
    if raw.owner_cells is not None:
        cells = owners_from_cells(*raw.owner_cells)
        owners = cells if cells.all() else owners
        title = raw.title
    rules, notes = _rules(bare, year)
    if len(raw.text) > READ_LIMIT:
        notes = (Note(f"its text is {len(raw.text):,} characters long; owners and rules were read from "
                      f"its first {READ_LIMIT:,} characters only",
                      f"正文长{len(raw.text):,}字, 只从前{READ_LIMIT:,}字中读取了责任单位和规则。"), *notes)
    return TaskDraft(raw.number, raw.path, title, raw.text.strip(), owners, rules), notes


def _rules(text: str, year: int | None = None) -> tuple[tuple[Requirement, ...], tuple[Note, ...]]:
    """The rules of a task's text (tracker.parse.rules reads ，；：（） as well as , ; : ( ) and
    gives every source in the task's own words); deadlines naming a year are read against `year`."""
    rules, notes = extract_requirements(text, year=year)
    return tuple(rules), tuple(notes)


def read_meta(text: str) -> _Meta:
    """Kind, title, issuer, year and date written, from the title and the header table/lines."""
    meta = _Meta()
    lines = [_arabic_date(line.strip()) for line in text.split("\n") if line.strip()]
    at = _title_index(lines)
    notice_org = None
    if at is not None:
        meta.title = _joined_title(lines, at)
        header = lines[:at + 6]
        notice = re.match(r"^(.+?)关于(?:印发|转发)", lines[at])
        notice_org = notice.group(1) if notice and looks_like_unit(notice.group(1)) else None
    else:
        header = lines[:8]
        cells = _header_values(header, ("标题", "题名", "名称", "文件名称"))
        found = _TITLE_IN_PROSE.search("\n".join(lines[:3]))
        meta.title = cells[0][1] if cells else found.group(0) if found else ""
        if not meta.title:
            meta.warnings.append(Note("no title line (…工作要点 / …年度报告) was found near the top",
                                      "开头部分没有找到标题行 (…工作要点 / …年度报告)。"))
    head_text = "\n".join(lines[:3])
    if _ANNUAL.search(meta.title) or (not meta.title and _ANNUAL.search(head_text)):
        meta.kind = "annual_report"
    meta.issuer = (_issuer(header, meta.title) or notice_org or _signature(header)
                   or _signature(lines[-4:]))
    meta.date_written = _date_written(header, lines)
    year = _YEAR.search(meta.title)
    if year:
        meta.year = year_of(year.group(1))
    elif meta.kind == "annual_report":
        meta.year, note = _report_year(text, meta.date_written)
        meta.warnings.append(note)
    elif meta.date_written:
        meta.year = int(meta.date_written[:4])
        meta.warnings.append(Note(f"the title names no year; {meta.year} was taken from the date written",
                                  f"标题中没有年份; 按成文日期取{meta.year}年。"))
    else:
        meta.warnings.append(_NO_YEAR)
    return meta


def _report_year(text: str, written: str | None) -> tuple[int | None, Note]:
    """The year a report whose title names none reports on, and a warning saying where it came from.

    In order: its own name in the text ("编制2020年度政府信息公开年度报告" → 2020); the year before
    the date written (a report is written early in the year after the one it reports on); its
    plans for the next year ("2021年将重点抓好…" → 2020).
    """
    named = _REPORT_IN_PROSE.search(text)
    if named:
        return int(named.group(1)), Note(f"the title names no year; {named.group(1)} was read from the "
                                         f"text ({named.group(0)})",
                                         f"标题中没有年份; 按正文中的报告名称 ({named.group(0)}) 取{named.group(1)}年。")
    if written:
        year = int(written[:4]) - 1
        return year, Note(f"the title names no year; {year} was taken as the year before the date written "
                          f"({written}): a report is written early in the year after the one it reports on",
                          f"标题中没有年份; 取成文日期 ({written}) 的前一年{year}年: "
                          "年度报告一般在所报告年度的次年年初编写。")
    plans = _NEXT_YEAR_PLAN.search(text)
    if plans:
        year = int(plans.group(1)) - 1
        return year, Note(f"the title names no year; {year} was taken as the year before the one its "
                          f"commitments are for ({plans.group(0)}…)",
                          f"标题中没有年份; 按其下一年度的工作打算 ({plans.group(0)}…) 取前一年{year}年。")
    return None, _NO_YEAR


def _arabic_date(line: str) -> str:
    """A date in Chinese numerals written the Arabic way: 二〇二一年一月十五日 → 2021年1月15日."""
    if "年" not in line or not _CN_DATE.search(line):
        return line
    return _CN_DATE.sub(lambda m: f"{year_of(m.group(1))}年{to_int(m.group(2))}月{to_int(m.group(3))}日",
                        line)


def _title_index(lines: list[str]) -> int | None:
    """Index of the title line among the first lines: short, no sentence end, a title word."""
    for index, line in enumerate(lines[:15]):
        if is_table_line(line) or "|" in line or len(line) > 60 or line.endswith(("。", *SEMIS)):
            continue
        if re.match(f"^(?:[一二三四五六七八九十]+[、.]|\\d+[.、]|[{OPEN}])", line):
            continue
        if _TITLE_WORDS.search(line) and not re.search(f"[{COLONS}]", line):
            return index
    return None


def _joined_title(lines: list[str], at: int) -> str:
    """The title line, with an organisation line above it when the title starts with its year."""
    title = lines[at]
    inner = re.search(r"《([^》]+)》", title)
    if inner and _TITLE_WORDS.search(inner.group(1)):
        title = inner.group(1)
    title = re.sub(r"的通知$", "", re.sub(r"^.*?关于(?:印发|转发)", "", title))
    if at and _YEAR.match(title) and looks_like_unit(lines[at - 1]):
        title = lines[at - 1] + title
    return title


def _title_org(title: str) -> str | None:
    """The organisation a title names: "2024年济宁市民政局政务公开工作要点" → 济宁市民政局."""
    rest = re.sub(rf"^关于(?:印发)?|(?:\d{{4}}|{_CN_YEAR})\s*年度?", "", title)
    cut = _ORG_CUT.search(rest)
    org = re.sub(r"年度?$", "", rest[:cut.start()].strip()) if cut else ""
    return org if looks_like_unit(org) else None


def _header_values(header: list[str], labels: tuple[str, ...]) -> list[tuple[str, str]]:
    """(label, value) pairs from header table cells and "label: value" lines, in label order."""
    found: list[tuple[str, str]] = []
    for line in header:
        cells = split_cells(line)[:_HEADER_CELLS] if "|" in line else [line]
        for index, cell in enumerate(cells):
            name = trim(re.sub(r"\s+", "", cell), COLONS, left=False)
            if name in labels and index + 1 < len(cells) and cells[index + 1].strip():
                found.append((name, cells[index + 1].strip()))
                continue
            for match in re.finditer(r"(?:^|\s)(" + "|".join(labels) + rf")\s*[{COLONS}]\s*([^\s|]+)", cell):
                found.append((match.group(1), match.group(2)))
    return sorted(found, key=lambda pair: labels.index(pair[0]))


def _issuer(header: list[str], title: str) -> str | None:
    """发布机构/来源 of the header; the title's organisation when it is the fuller name."""
    org = _title_org(title)
    for _, value in _header_values(header, _ISSUER_LABELS):
        if _DATE.search(value) or not looks_like_unit(value):
            continue
        return org if org and org.endswith(value) else value
    return org


def _signature(header: list[str]) -> str | None:
    """The signing unit: a unit-name line right above a date line (a covering notice's, or the
    document's own signature at its end)."""
    for line, below in itertools.pairwise(header):
        if looks_like_unit(line) and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", below):
            return line
    return None


def _date_written(header: list[str], lines: list[str]) -> str | None:
    """成文日期/发文日期/发布时间 as ISO; else a signature date (…2021年1月15日): a date line
    among the first lines (a covering notice's) or on the very last lines."""
    for _, value in _header_values(header, _DATE_LABELS):
        iso = _iso(value)
        if iso:
            return iso
    for line in header:
        if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line):
            return _iso(line)
    for line in lines[-3:]:
        match = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*\|?$", line)
        if match and len(line) <= 40:
            return _iso(match.group(0))
    return None


def _iso(text: str) -> str | None:
    match = _DATE.search(text)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None
