"""Annual disclosure reports (政府信息公开工作年度报告): improvement commitments and headline figures.

A report's obligations are its improvement commitments — the 一是…二是…三是… items under
下一步 / 改进措施 in its "存在的主要问题及改进情况" section. The problems in that section are often
numbered 一是…二是… too, so each item is judged by its context and its own words:

- the heading it sits under: 改进措施/下一步/工作计划 → commitments; 存在的主要问题 → problems;
  "2020年改进情况" (what was already improved) → neither;
- the lead-in of its paragraph: "下一步,我局将…" → commitments; "还存在一定差距" → problems;
- the item's first clause: it opens with a verb of action (加强/提升/推进/完善…, after 持续/进一步/将…)
  → a commitment, unless it states a shortcoming in a commitment-less context; it states a
  shortcoming (不够/不足/有待/还需/不高…) → a problem.

Headline statistics are read from prose only ("主动公开政府信息1123条", "政策解读14条"): a label
containing 公开/解读/申请/发布会/回应/访谈/征集 right before a number and a unit (条/件/篇/项/次/场).
The one-cell-per-line statistical tables are not read: their cells cannot be paired reliably.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from tracker.model import SectionDraft
from tracker.notes import Note
from tracker.parse.numerals import to_int
from tracker.parse.outline import (
    CLOSE,
    COLONS,
    COMMAS,
    ENDS,
    OPEN,
    SEMIS,
    RawTask,
    Token,
    heading,
    lead_phrase,
    split_cells,
    tokenize,
    trim,
)

_IMPROVE_SECTION = re.compile(r"(问题.*(?:改进|整改|措施|打算))|改进措施|下一步|工作计划|工作打算|努力方向")
_STANDARD_SECTION = re.compile(r"^(?:总体情况|基本情况|概述|主动公开|收到和处理|依申请|政府信息公开行政复议|"
                               r"行政复议|存在的主要问题|存在的问题|主要问题|其他需要报告|其他需报告)")
_OTHER_SECTION = re.compile(r"其他需要报告|其他需报告")
_COMMIT_HEADING = re.compile(r"改进措施|整改措施|下一步|工作计划|工作打算|努力方向|改进方向|工作安排|工作思路|重点工作")
_PAST_HEADING = re.compile(r"改进情况|整改情况|落实情况|完成情况")
_PROBLEM_HEADING = re.compile(r"问题|不足|短板")
_COMMIT_LEAD = re.compile(r"下一步|今后|明年|下一年|\d{4}年(?:度)?(?:我局)?将|将(?:重点|进一步|继续|着力|持续|从以下)|"
                          r"采取以下|以下措施|如下措施|改进措施|整改措施|计划|打算|拟")
_PROBLEM_CUE = re.compile(r"不够|不足|有待|不高|不强|不到位|不规范|不完善|不及时|不全面|不深入|欠缺|薄弱|滞后|"
                          r"单一|较少|较弱|缺乏|还需|仍需|尚需|还应|仍应|尚未|未能|不多|较低|偏低|不明显|"
                          r"需要进一步|存在|问题|差距|短板|不容忽视")
_ADVERBS = re.compile(r"^(?:要|将|进一步|持续|继续|不断|切实|全面|着力|加快|重点|大力|积极|认真|努力|"
                      r"深入|稳步|逐步|扎实|坚持|全力|有序)+")
_VERBS = re.compile(r"^(?:加强|提升|提高|推进|推动|完善|强化|做好|深化|优化|健全|规范|落实|抓好|建立|拓展|"
                    r"创新|加大|丰富|拓宽|贯彻|严格|确保|探索|开展|实施|加快|夯实|营造|打造|搭建|畅通|"
                    r"构建|建设|扩大|注重|突出|坚持|统筹|增强|主动|及时|定期|做实|抓实|制定|修订|编制|"
                    r"明确|组织|继续|压实|用好|筑牢|提质)")
_AFTER = f"(?<![^。{SEMIS}{COMMAS}{COLONS}\\s])"
_ORDINAL = "([一二三四五六七八九十]{1,2})"
_ENUMS = (
    re.compile(f"{_AFTER}{_ORDINAL}是"),
    re.compile(f"{_AFTER}[{OPEN}]{_ORDINAL}[{CLOSE}]"),
    re.compile(f"{_AFTER}第{_ORDINAL}[{COMMAS}、]"),
    re.compile(f"{_AFTER}(\\d{{1,2}})[.、](?!\\d)"),
)
"""Enumerations inside a paragraph: 一是…, (一)…, 第一,…, 1. … (the one with most marks wins).
A single mark counts: "…以下工作:(一)A。" is often followed by a (二) run the outline split off."""
_STAT = re.compile(rf"(?P<label>[^\s\d。{COMMAS}{SEMIS}{COLONS}(\uff08)\uff09《》“”\"|]{{2,30}}?)"
                   r"(?P<n>\d+)(?P<unit>条|件|篇|项|次|场)")
_FIGURE_DIGITS = 12
"""A stated figure has at most this many digits; a longer run of digits is no count (and int()
refuses more than 4,300 digits)."""
_STAT_WORDS = re.compile(r"公开|解读|申请|发布会|回应|访谈|征集")
_STAT_FILLER = re.compile(r"^(?:年度?|月|以来|全年|本年度?|今年|其中|共计?|累计|合计|总计|共有|并|以及|同时|另外)+")
_THOUSANDS = re.compile(r"(\d)[,\uff0c](\d{3})(?!\d)")
_NUMERIC_CELL = re.compile(r"^[\d\s.,%\uff05+\-|/]+$")


@dataclass
class ReportParts:
    """What an annual report yields: sections, commitments as raw tasks, figures, warnings."""

    sections: list[SectionDraft] = field(default_factory=list)
    tasks: list[RawTask] = field(default_factory=list)
    statistics: dict[str, int] = field(default_factory=dict)
    warnings: list[Note] = field(default_factory=list)


def read_report(text: str) -> ReportParts:
    """Read an annual report's sections, improvement commitments and headline statistics.

    A report whose problem section states no numbered commitment (only prose, or only problems)
    gives no tasks and a warning saying so.
    """
    parts = ReportParts(statistics=read_statistics(text))
    tokens = tokenize(_drop_table_cells(text))
    parts.sections = _sections(tokens)
    start, end = _improvement_span(tokens)
    if start is None:
        parts.warnings.append(Note("no section on problems and improvements (存在的主要问题及改进情况) "
                                   "was found, so no commitments were read",
                                   "没有找到“存在的主要问题及改进情况”部分, 所以没有读取改进措施。"))
        return parts
    number = tokens[start].number
    for index, item in enumerate(_commitments(tokens[start:end]), start=1):
        parts.tasks.append(RawTask(str(index), (number, str(index)), item, lead_phrase(item)))
    if not parts.tasks:
        parts.warnings.append(Note(f"section {number} states no numbered improvement commitments "
                                   "(一是… / 1. under 下一步 or 改进措施)",
                                   f"第{number}部分没有列出带编号的改进措施 "
                                   "(一是… / “下一步”或“改进措施”下的 1.)。"))
    return parts


def _drop_table_cells(text: str) -> str:
    """Drop one-cell-per-line statistical tables: each number-only line and the label before it."""
    lines = text.split("\n")
    keep = [True] * len(lines)
    label = None
    for index, line in enumerate(lines):
        cell = line.strip()
        if not cell:
            continue
        if _NUMERIC_CELL.match(cell):
            keep[index] = False
            if label is not None and len(lines[label].strip()) <= 40:
                keep[label] = False
        label = index
    return "\n".join(line for line, kept in zip(lines, keep, strict=True) if kept)


def _sections(tokens: list[Token]) -> list[SectionDraft]:
    """The report's top-level sections, in numbering order.

    Reports follow the State Council template (总体情况 / 主动公开 / 收到和处理申请 / 行政复议 /
    存在的问题及改进 / 其他事项); when at least three headings read like it, only those count, so a
    work plan quoted inside the report ("一、加强政策解读…") does not take their places. Otherwise
    the 一、二、三… headings in sequence.
    """
    headings = [(token, heading(token.text)[0]) for token in tokens if token.level == 1]
    standard = [(token, title) for token, title in headings if _STANDARD_SECTION.search(title)]
    sections: list[SectionDraft] = []
    last = 0
    for token, title in standard if len(standard) >= 3 else headings:
        if token.value == last + 1 or (len(standard) >= 3 and token.value > last):
            sections.append(SectionDraft(token.number, title))
            last = token.value
    return sections


def _improvement_span(tokens: list[Token]) -> tuple[int | None, int]:
    """Token indexes of the problems-and-improvements section: (its heading, the next section)."""
    start = None
    for index, token in enumerate(tokens):
        heading = token.text.split("\n", 1)[0][:40]
        if token.level == 1 and _IMPROVE_SECTION.search(heading) and not _OTHER_SECTION.search(heading):
            start = index
    if start is None:
        return None, len(tokens)
    for index in range(start + 1, len(tokens)):
        token = tokens[index]
        if token.level == 1 and (token.value == tokens[start].value + 1
                                 or _OTHER_SECTION.search(token.text[:20])):
            return start, index
    return start, len(tokens)


def _blocks(tokens: list[Token]) -> list[tuple[str, list[str]]]:
    """The section as (heading, paragraphs) blocks: its own text, then one per (一) or 1. run."""
    blocks: list[tuple[str, list[str]]] = [("", [])]
    for token in tokens:
        text = token.text
        if token.level == 1:
            text = heading(text)[1]
        else:
            title, _, text = text.partition("。")
            blocks.append((title.strip(), []))
        blocks[-1][1].extend(p for p in text.split("\n") if p.strip())
    return blocks


def _commitments(tokens: list[Token]) -> list[str]:
    """The improvement commitments of the section's tokens, in order.

    The mode (commitments or problems) set by a heading or a lead-in carries on to the runs after
    it, so "下一步,我局将做好以下工作:" followed by (一)/(二) or 1./2. runs makes those runs commitments.
    """
    found: list[str] = []
    title = heading(tokens[0].text)[0] if tokens else ""
    # the section's own heading: "六、改进措施" → commitments; "存在的主要问题及改进情况" → problems
    # until a lead-in or a subsection says otherwise (its 改进情况 is the section's name, not a past)
    carry = "commit" if _COMMIT_HEADING.search(title) else (
        "problem" if _PROBLEM_HEADING.search(title) else None)
    for run_title, paragraphs in _blocks(tokens):
        mode = _heading_mode(run_title) if run_title else None
        if run_title and mode is None and carry == "commit" and _is_commitment(run_title, carry):
            found.append("。".join([run_title, *paragraphs]).rstrip("。") + "。")
            continue
        carry = mode or carry
        for paragraph in (piece for whole in paragraphs for piece in _runs(whole)):
            lead, items = _enumerate(paragraph)
            said = _lead_mode(lead)
            if carry != "past" or said == "commit":
                carry = said or carry
            if carry != "past":  # "2020年改进情况": what was done, unless a lead-in says 将…
                found.extend(item for item in items if _is_commitment(item, carry))
            last = re.split("(?<=。)", paragraph.rstrip("。"))[-1]
            if items and _COMMIT_LEAD.search(last):  # "…三是…。为此,我们将采取以下措施:"
                carry = "commit"
    return found


def _heading_mode(heading: str) -> str | None:
    if _COMMIT_HEADING.search(heading):
        return "commit"
    if _PAST_HEADING.search(heading):
        return "past"
    if _PROBLEM_HEADING.search(heading):
        return "problem"
    return None


def _lead_mode(lead: str) -> str | None:
    if _COMMIT_LEAD.search(lead):
        return "commit"
    if _PROBLEM_CUE.search(lead):
        return "problem"
    return None


def _runs(paragraph: str) -> list[str]:
    """Cut a paragraph where a lead-in starts a new enumeration after an earlier one.

    "还存在一些不足:一是A;二是B。针对上述问题,下一步将重点做好以下工作:一是C;二是D。" holds two runs: the
    problems and the commitments. The cut falls at the start of the sentence that introduces a
    second first mark (一是 / (一) / 第一 / 1.) when that sentence is a lead-in (下一步 / 将… / 以下措施 …)
    and holds no mark of its own; so "一是加强X,下一步将:1.A;2.B。二是C" (a list inside an item) stays whole.
    """
    marks = sorted((match.start(), match.end(), to_int(match.group(1)))
                   for pattern in _ENUMS for match in pattern.finditer(paragraph))
    cuts = [0]
    previous_end = None
    for start, end, value in marks:
        if value == 1 and previous_end is not None:
            before = paragraph[:start]
            cut = max(before.rfind(ch) for ch in ENDS + SEMIS) + 1
            if cut >= previous_end and cut > cuts[-1] and _COMMIT_LEAD.search(paragraph[cut:start]):
                cuts.append(cut)
        previous_end = end
    cuts.append(len(paragraph))
    return [paragraph[a:b] for a, b in itertools.pairwise(cuts) if paragraph[a:b].strip()]


def _enumerate(paragraph: str) -> tuple[str, list[str]]:
    """Split "lead-in,一是A;二是B。" into ("lead-in", ["A", "B"]); ordinals must run 一, 二, …

    Also reads (一)(二)…, 第一,第二,… and 1. 2. … inside a paragraph.
    """
    best: list[re.Match[str]] = []
    for pattern in _ENUMS:
        marks: list[re.Match[str]] = []
        for match in pattern.finditer(paragraph):
            if to_int(match.group(1)) == len(marks) + 1:
                marks.append(match)
        if len(marks) > len(best):
            best = marks
    if not best:
        return paragraph, []
    items = []
    for index, mark in enumerate(best):
        end = best[index + 1].start() if index + 1 < len(best) else len(paragraph)
        items.append(trim(paragraph[mark.end():end].strip(), SEMIS + COMMAS, left=False).strip())
    return paragraph[:best[0].start()], [item for item in items if item]


def _is_commitment(item: str, context: str | None) -> bool:
    """Judge one 一是… item: an action to take (commitment) or a shortcoming (problem)."""
    first = re.split(f"[{COMMAS}{SEMIS}。]", item, maxsplit=1)[0]
    acts = bool(_VERBS.match(_ADVERBS.sub("", first)))
    lacks = bool(_PROBLEM_CUE.search(first))
    if acts and not lacks:
        return True
    if lacks and not acts:
        return False
    return context == "commit"


def read_statistics(text: str) -> dict[str, int]:
    """Headline figures stated in prose, {label: number}, first mention of each label wins.

    "2020年,主动公开政府信息1123条(项)" → {"主动公开政府信息": 1123}. Table lines are skipped.
    """
    stats: dict[str, int] = {}
    text = _THOUSANDS.sub(r"\1\2", text)
    for line in text.split("\n"):
        if "|" in line and len(split_cells(line)) >= 2:
            continue
        for match in _STAT.finditer(line):
            label = _STAT_FILLER.sub("", match.group("label"))
            figure = match.group("n")
            if (2 <= len(label) <= 20 and len(figure) <= _FIGURE_DIGITS and _STAT_WORDS.search(label)
                    and label not in stats):
                stats[label] = int(figure)
    return stats
