"""The outline of a plan: numbering markers → sections, headings and the raw tasks under them.

Pure text work, no rules and no owners (those are read from each task's text afterwards). It
knows the numbering styles of Chinese government documents: `一、` / `一.` / `第一部分` sections,
`(一)` subsections, `1.` / `1、` items; `(1)` and `①` sub-items are never split off — they stay
inside their task's text. An item may start mid-line when a number follows a sentence end
("…。2.做好…") or a space, but never inside "2024.1", "第1.2条" or "12345".

Which level holds the tasks is decided per branch ("leaf rule"): a numbered item (1.) is always a
task; a subsection (一) or section 一、 is a task only when nothing numbered sits under it and it
has text beyond its heading. So two-level plans (一、/1.) give the items, three-level plans
(一、/(一)/1.) give the items under their (一) headings, and a three-level plan without 1. items
gives its (一) subsections. Preamble sections (总体要求 / 指导思想 / 工作目标 …) carry no tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.model import SectionDraft
from tracker.notes import Note
from tracker.parse.numerals import to_chinese, to_int

_CN = "一二三四五六七八九十"
OPEN = "(\uff08"
"""Opening brackets: full-width （ (tracker.ingest's canonical form) and ASCII (."""
CLOSE = ")\uff09"
COMMAS = ",\uff0c"
SEMIS = ";\uff1b"
COLONS = ":\uff1a"
ENDS = "。!?\uff01\uff1f"
"""Sentence ends. Every punctuation class accepts the full-width and the ASCII form: tracker.ingest
keeps Chinese ，：；！？ as the document has them, and many web copies use ASCII ones."""
DATE_AHEAD = (r"(?:1[0-2]|0?[1-9])月"  # "2.12月底前" / "3.6月30日前"
              r"|(?:19|20)\d\d年"  # "1.2025年底前"
              r"|(?:1[0-2]|0?[1-9])[.．](?:3[01]|[12]\d|0?[1-9])(?:之前|以前|前)(?![后期])")  # "3.9.30前"
"""What may follow an item's point and make "N.M…" item N starting with a date, not a decimal:
a month (M月, M ≤ 12), a year (YYYY年) or a month.day deadline (9.30前). No decimal or month.day
date is followed by 月 or 年, and "N.M.D前" is no number at all."""
_MARKER = re.compile(
    rf"第(?P<part>[{_CN}]{{1,3}})部分[、.{COLONS} ]?"
    rf"|(?P<sec>[{_CN}]{{1,3}})[、.．](?![{_CN}\d])"
    rf"|[{OPEN}](?P<sub>[{_CN}]{{1,3}})[{CLOSE}]"
    r"|(?<!\d)(?P<item>\d+)(?:[.．](?![\d.．])|、|(?P<dated>[.．])(?=" + DATE_AHEAD + "))"
)
"""One numbering marker: section (第一部分 / 一、), subsection ((一)) or item (1. / 1、).

An item number has any number of digits (a 10,000-item plan numbers 1000. 1001. …), but one of
four or more digits opens an item only where it continues the numbering (999. → 1000.), so a year
("2023、2024年…") is never read as an item. `(?<!\\d)` keeps a long run of digits linear to scan.
A point followed by a digit ("2024.1", "2.5%") is no item, except before a date (DATE_AHEAD):
"2.12月底前…" is item 2 whose text starts "12月底前", a *dated* marker (see tokenize)."""
_SHORT_ITEM = 3
"""Item numbers of at most this many digits open an item wherever a marker may stand."""

_BOUNDARY = ENDS + SEMIS + CLOSE
"""A marker may start mid-line right after one of these — a sentence end, or the bracket closing an
owner annotation ("…(责任单位:X)2.做好…") — or after a space."""

_PREAMBLE_WORDS = "总体要求|指导思想|工作目标|总体目标|主要目标|基本原则|目标要求|工作原则|目标"
PREAMBLE = re.compile(f"^(?:{_PREAMBLE_WORDS})(?:[和与及、](?:{_PREAMBLE_WORDS}))?$")
"""Headings whose branch carries no tasks: the plan's preamble ("总体要求", "指导思想和工作目标";
not "工作目标和任务", which may hold tasks)."""


@dataclass
class Token:
    """A run of text that starts with one numbering marker (or none, for the text before)."""

    level: int
    """0 = plain text, 1 = section, 2 = subsection, 3 = item."""
    number: str
    """The number without punctuation ("一", "6"); a subsection's in canonical brackets "（一）"."""
    value: int
    parts: list[str] = field(default_factory=list)
    """Everything after the marker up to the next marker, one piece per line (kept as a list so a
    long run of lines is joined once, not copied on every line)."""

    @property
    def text(self) -> str:
        """The run's text, its lines joined with a newline."""
        return "\n".join(self.parts)


@dataclass
class RawTask:
    """A task as the outline found it, before owners and rules are read."""

    number: str
    path: tuple[str, ...]
    text: str
    title: str = ""
    owner_cells: tuple[str, str] | None = None
    """Task-division tables: the (lead, support) owner cells of the row."""
    headings: tuple[str, ...] = ()
    """The first lines of the headings above the task, nearest first: an owner annotation on a
    (一) heading ("(一)推进决策公开(市政府办公室牵头)") answers for the items under it."""


@dataclass
class Outline:
    """What the outline reader found: sections, raw tasks and plain-words warnings."""

    sections: list[SectionDraft] = field(default_factory=list)
    tasks: list[RawTask] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)


def is_table_line(line: str) -> bool:
    """A line of a pipe table with at least two non-empty cells ("发布机构 | 济宁市民政局 |")."""
    return "|" in line and len(split_cells(line)) >= 2


def split_cells(line: str) -> list[str]:
    """The cells of a pipe line, outer border pipes dropped; inner empty cells are kept."""
    cells = [cell.strip() for cell in line.split("|")]
    while cells and not cells[0]:
        cells.pop(0)
    while cells and not cells[-1]:
        cells.pop()
    return cells


_FIRST_SENTENCE = re.compile(f"[{ENDS}\n]")
_CUTS = (re.compile(f"[{SEMIS}{COLONS}]"), re.compile(f"[{COMMAS}]"))


def trim(text: str, chars: str, *, left: bool = True) -> str:
    """`text` without the given characters at its end (and start, unless left=False)."""
    end = len(text)
    while end and text[end - 1] in chars:
        end -= 1
    start = 0
    while left and start < end and text[start] in chars:
        start += 1
    return text[start:end]


def _marker_starts(line: str) -> list[re.Match[str]]:
    """The markers of one line that open a new run: at its start, or after a sentence end/space."""
    found = []
    for match in _MARKER.finditer(line):
        at = match.start() - 1
        while at >= 0 and line[at] == " ":
            at -= 1
        previous = line[at] if at >= 0 else ""
        spaced = at < match.start() - 1
        if not previous or previous in _BOUNDARY or (spaced and _spaced_ok(previous)):
            if match.group("item") and not _item_ok(line, match):
                continue
            found.append(match)
    return found


def _spaced_ok(previous: str) -> bool:
    """A marker after a space opens a run unless the space sits inside a number ("第 1、")."""
    return not previous.isdigit() and previous not in "第与和及、" + COMMAS


def _item_ok(line: str, match: re.Match[str]) -> bool:
    """An item number must be followed by text, not by a digit, unit or closing bracket."""
    if match.group("dated"):
        return True  # DATE_AHEAD has already seen the text that follows
    rest = line[match.end():match.end() + 1]
    return bool(rest) and rest not in CLOSE + "%\uff05]】>》" and not rest.isdigit()


def tokenize(text: str) -> list[Token]:
    """Cut clean text into runs, each opened by a numbering marker; pipe-table lines stay whole.

    A pipe line is a table row only in a table: next to another pipe line (a header and its
    rows, or rows). A lone line with a pipe ("1.推进公开 | 加强解读。") is text like any other,
    so an item that quotes a "|" is still an item.
    """
    tokens = [Token(0, "", 0)]
    last_item = 0
    lines = [line for line in (raw.strip() for raw in text.split("\n")) if line]
    piped = ["|" in line and is_table_line(line) for line in lines]  # blank lines do not part rows
    for index, line in enumerate(lines):
        if piped[index] and ((index and piped[index - 1]) or (index + 1 < len(lines) and piped[index + 1])):
            tokens.append(Token(0, "", 0, [line]))
            continue
        pos = 0
        for match in _marker_starts(line):
            item = match.group("item")
            if item and len(item) > _SHORT_ITEM and (len(item) > 9 or int(item) != last_item + 1):
                continue  # a year or a code number, not the next item: stays text (the length
                # test first: int() refuses more than 4,300 digits)
            if match.group("dated") and line[:match.start()].strip() and int(item) not in (1, last_item + 1):
                continue  # "N.M月" mid-line opens an item only as the next number (or a restart)
            _append(tokens, line[pos:match.start()].strip())
            tokens.append(_token_of(match))
            last_item = int(item) if item else last_item
            pos = match.end()
        _append(tokens, line[pos:].strip())
    return [t for t in tokens if t.level or t.parts]


def _token_of(match: re.Match[str]) -> Token:
    if match.group("part") or match.group("sec"):
        number = match.group("part") or match.group("sec")
        return Token(1, number, to_int(number) or 0)
    if match.group("sub"):
        number = match.group("sub")
        return Token(2, f"\uff08{number}\uff09", to_int(number) or 0)
    number = match.group("item")
    return Token(3, number, int(number))


def _append(tokens: list[Token], piece: str) -> None:
    if not piece:
        return
    tokens[-1].parts.append(piece)


def lead_phrase(text: str, cap: int = 40) -> str:
    """A task's title: its text up to the first 。 (or line end).

    When that first sentence is longer than `cap` characters, it is cut at the first ;/: and
    then at the first comma (if that leaves at least 4 characters); failing both, the first `cap`
    characters followed by "…". (The caller removes owner annotations first.)
    """
    first = _FIRST_SENTENCE.split(text.strip(), maxsplit=1)[0].strip()
    if len(first) <= cap:
        return trim(first, COMMAS + SEMIS + COLONS, left=False)
    for cut in _CUTS:
        head = cut.split(first, maxsplit=1)[0].strip()
        if 4 <= len(head) <= cap:
            return head
    return first[:cap] + "…"


def heading(text: str) -> tuple[str, str]:
    """A heading run's (title, body): its first line up to the first 。 (or the first space)."""
    line, _, rest = text.partition("\n")
    title, mark, tail = line.partition("。")
    if " " in title.strip():  # a heading run into its text on one line: "一、总体情况 根据…"
        title, _, lead = title.strip().partition(" ")
        tail = f"{lead}{mark}{tail}"
    body = f"{tail}\n{rest}".strip()
    return trim(title.strip(), COMMAS + SEMIS + COLONS, left=False), body


@dataclass
class _Node:
    token: Token
    children: list[_Node] = field(default_factory=list)


def _tree(tokens: list[Token], warnings: list[Note]) -> list[_Node]:
    """Nest the runs: sections hold subsections and items; subsections hold items."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    last_section = 0
    for token in tokens:
        if token.level == 0:
            if stack:
                stack[-1].token.parts.extend(token.parts)
            continue
        if token.level == 1 and last_section and token.value != last_section + 1:
            if token.value <= last_section:  # an inner list (一、二、…), not a new section
                warnings.append(Note(f"section number {token.number} after {_cn(last_section)} "
                                     "was read as text of the section before it",
                                     f"板块序号“{token.number}”出现在“{_cn(last_section)}”之后, "
                                     "已作为上一板块的正文读取。"))
                _as_text(stack, token)
                continue
            warnings.append(Note(f"section numbering skips from {_cn(last_section)} to {token.number}",
                                 f"板块序号从“{_cn(last_section)}”跳到了“{token.number}”。"))
        if token.level == 1:
            last_section = token.value
        while stack and stack[-1].token.level >= token.level:
            stack.pop()
        node = _Node(token)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def _cn(value: int) -> str:
    return to_chinese(value) if value < 100 else str(value)


def _as_text(stack: list[_Node], token: Token) -> None:
    if stack:
        stack[-1].token.parts.append(f"{token.number}、{token.text}")


def read_outline(text: str) -> Outline:
    """Read the numbered outline of a plan's text into sections and raw tasks.

    Text before the first numbered line (title, header table, preamble paragraphs) carries no
    tasks. A document with no numbered items gives an Outline with no tasks and a warning.
    """
    outline = Outline()
    roots = _tree(tokenize(text), outline.warnings)
    for node in roots:
        _walk(node, (), outline)
    _check_numbering(outline)
    if outline.tasks:
        _drop_signature(outline.tasks[-1])
    if not outline.tasks:
        outline.warnings.append(Note("no numbered tasks were found (一、 / (一) / 1. …)",
                                     "没有找到带编号的任务 (一、 / (一) / 1. …)。"))
    return outline


def _walk(node: _Node, path: tuple[str, ...], outline: Outline,
          above: tuple[str, ...] = ()) -> None:
    token = node.token
    title, body = heading(token.text)
    if token.level == 1:
        outline.sections.append(SectionDraft(token.number, title))
    if PREAMBLE.match(title) and token.level < 3:
        return
    here = (*path, token.number)
    if token.level == 3 or (not node.children and body):
        text = token.text.strip()
        outline.tasks.append(RawTask(token.number, here, text, lead_phrase(text), headings=above))
        return
    first_line = token.parts[0] if token.parts else ""
    for child in node.children:
        _walk(child, here, outline, (first_line, *above))


_DATE_LINE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月"
                        r"[一二三四五六七八九十]{1,3}日")
"""A signature's date line, in Arabic or Chinese numerals (二〇二四年三月一日)."""


def _drop_signature(task: RawTask) -> None:
    """The document's closing signature (a short unit line and a date line) is no part of the
    last task."""
    lines = task.text.split("\n")
    if len(lines) >= 2 and _DATE_LINE.fullmatch(lines[-1].strip()):
        lines.pop()
        if len(lines) >= 2 and len(lines[-1]) <= 30 and not lines[-1].endswith("。"):
            lines.pop()
        task.text = "\n".join(lines)


def _check_numbering(outline: Outline) -> None:
    """Warn where item numbers (1. 2. …) skip or repeat; a restart at 1 under a new heading is fine.

    Plans number their items 1..N straight through (Jining) or restart in each section; both
    read without a warning.
    """
    previous: RawTask | None = None
    for task in outline.tasks:
        if not task.number.isdigit():
            continue
        if previous is not None:
            value, before = int(task.number), int(previous.number)
            new_branch = task.path[:-1] != previous.path[:-1]
            if value != before + 1 and not (new_branch and value == 1):
                what, what_zh = ("repeats", "重复") if value <= before else ("skips", "跳号")
                outline.warnings.append(Note(f"task numbering {what}: {previous.number} is followed "
                                             f"by {task.number}",
                                             f"任务编号{what_zh}: {previous.number}之后是{task.number}。"))
        previous = task
