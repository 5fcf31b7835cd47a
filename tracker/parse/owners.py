"""Owners: the units that answer for a task, read from annotations and table cells — never guessed.

Forms read (all in full- or half-width parentheses that close an item or one of its sentences):
"(责任单位:局办公室)", "(牵头单位:市政府办公室;配合单位:市发展改革委、市财政局)",
"(市政府办公室牵头,各县区政府负责)", "(市交通委负责落实)", "(A、B分别负责落实)",
"(各科室按职责分工负责)", and a bare list of unit names "(局办公室、政策法规科)". Owner cells of
task-division tables read the same way ("办公室牵头,各科室配合", "A、B等").

A parenthesis that is part of the requirement — "(需添加咨询方式)", "(试行)", "(社区)" — is
not an owner: an annotation must carry a role word (牵头/负责/配合/责任单位/…) or be a list of
names that each end like a unit (局, 委, 办公室, 科, 中心, 政府, 单位, 部门, …). A unit named in the
middle of a sentence is never taken.
"""

from __future__ import annotations

import functools
import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass

from tracker.model import Owners
from tracker.parse.outline import CLOSE, COLONS, COMMAS, ENDS, OPEN, SEMIS, trim

_LEAD_LABELS = ("牵头单位", "牵头部门", "牵头科室", "责任单位", "责任部门", "责任科室", "责任处室",
                "主责单位", "责任主体", "承办单位", "实施主体")
_SUPPORT_LABELS = ("配合单位", "配合部门", "配合科室", "协办单位", "参与单位", "协助单位")
_LABEL = re.compile("(" + "|".join(_LEAD_LABELS + _SUPPORT_LABELS) + f")\\s*[{COLONS}]?\\s*")
_ROLE_VERB = re.compile(
    r"^(?P<units>.+?)(?:按照?职责分工|按职责|分别|共同|具体|统筹)?"
    r"(?P<verb>牵头负责|牵头|负责落实|负责|落实|配合|参与|协助|协办)"
    r"(?:抓总|具体|组织)?(?:落实|实施|推进|执行|完成|办理)?(?:工作)?$"
)
"""An owner clause ends with its role verb: "A牵头", "B负责具体落实"; "A负责制定的" is not one."""
_SUPPORT_VERBS = ("配合", "参与", "协助", "协办")
_UNIT_END = re.compile(
    r"(?:局|委|办|厅|室|科|处|股|站|所|院|馆|队|组|会|部|司|社|中心|政府|单位|部门|机关|机构|"
    r"公司|集团|银行|支行|分行|街道|办事处|党委|党组|工委|管委会|法院|检察院|海关)$"
)
"""How a unit's name ends. 区/县/市/镇 are places as often as units: they count only after 各."""
_PAREN = re.compile(f"[{OPEN}]((?:[^{OPEN}{CLOSE}]|[{OPEN}][^{OPEN}{CLOSE}]*[{CLOSE}]){{2,120}})[{CLOSE}]")
"""A bracketed group, allowing one inner pair: "(各县(市、区)政府负责)"."""
_NOT_IN_NAME = re.compile(f"[。{SEMIS}{COLONS}{COMMAS}\\d]")
_BRACKET = re.compile(f"[{OPEN}{CLOSE}]")
_AND_EACH = re.compile("[及和](?=各)")
_BY = re.compile("^(?:由|请|各有关单位和)")
_ETC = re.compile("(?:等单位|等部门|等)$")
_LABEL_LINE = re.compile(
    f"(?:^|(?<=[\\n。 {SEMIS}{COMMAS}]))(?:{'|'.join(_LEAD_LABELS + _SUPPORT_LABELS)})[{COLONS}]"
    f"(?:(?!完成时限|完成时间|时限要求|时间要求|截止时间)"
    f"(?:[{OPEN}][^{OPEN}{CLOSE}]*[{CLOSE}]|[^{SEMIS}。\\n{OPEN}{CLOSE}]))+"
)
"""A label written without brackets, as its own line or clause: "责任单位:局办公室"."""
_CLOSERS = ENDS + SEMIS + COMMAS + ".\n"


@dataclass(frozen=True)
class Annotation:
    """One owner annotation found in a text: where it is and whom it names."""

    start: int
    end: int
    owners: Owners


def looks_like_unit(name: str) -> bool:
    """A plausible unit name: 2–30 characters, ending like a unit (or 各… for a class of units)."""
    if not 2 <= len(name) <= 30 or _NOT_IN_NAME.search(name):
        return False
    return bool(_UNIT_END.search(name.rstrip(CLOSE)) or name.startswith("各"))


@functools.cache
def _splitter(separators: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(separators)}]")


def split_outside(text: str, separators: str) -> list[str]:
    """Split at the separators that are not inside brackets: "各县(市、区)政府、市财政局" → 2 names."""
    if not _BRACKET.search(text):
        return _splitter(separators).split(text)
    parts: list[str] = []
    depth = start = 0
    for index, char in enumerate(text):
        if char in OPEN:
            depth += 1
        elif char in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and char in separators:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _units(text: str) -> list[str] | None:
    """Split "A、B和各县区政府等" into unit names; None when any piece does not look like a unit."""
    text = _ETC.sub("", _BY.sub("", text.strip()))
    names = [n.strip() for n in split_outside(_AND_EACH.sub("、", text), "、/" + COMMAS) if n.strip()]
    if not names or not all(looks_like_unit(name) for name in names):
        return None
    return names


def parse_phrase(text: str, default: str | None = "lead") -> Owners | None:
    """Read one owner phrase ("A牵头,B配合", "责任单位:A;配合单位:B", "A、B") into Owners.

    `default` is the role of a bare list of units with no role word: "lead" for annotations and
    lead-owner cells, "support" for supporting-owner cells, None to refuse bare lists. Returns
    None when the phrase is not an owner phrase at all (a piece names something else).
    """
    text = text.strip().rstrip("。")
    if _LABEL.search(text):
        return _labelled(text)
    found: list[tuple[list[str], str]] = []
    for clause in split_outside(text, SEMIS + COMMAS):
        clause = clause.strip()
        if not clause:
            continue
        match = _ROLE_VERB.match(clause)
        if match:
            names, verb = _units(match.group("units")), match.group("verb")
        else:
            names, verb = (_units(clause) if default else None), ""
        if names is None:
            return None
        found.append((names, verb))
    return _roles(found, default or "lead")


def _roles(found: list[tuple[list[str], str]], default: str) -> Owners:
    """Give each clause's units a role: 配合/参与/协助 support; 牵头 lead; 负责/落实 lead, except
    beside a 牵头 unit ("A牵头,B负责": B carries it out under A, so B is supporting)."""
    has_lead_verb = any(verb.startswith("牵头") for _, verb in found)
    lead: list[str] = []
    support: list[str] = []
    for names, verb in found:
        if verb in _SUPPORT_VERBS or (has_lead_verb and verb and not verb.startswith("牵头")):
            support.extend(names)
        elif verb or default == "lead":
            lead.extend(names)
        else:
            support.extend(names)
    return _owners(lead, support)


def _labelled(text: str) -> Owners | None:
    """"牵头单位:A;配合单位:B、C" → lead A, support B, C (the text between labels is their list)."""
    lead: list[str] = []
    support: list[str] = []
    marks = list(_LABEL.finditer(text))
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        body = trim(text[mark.end():end], " 。" + SEMIS + COMMAS)
        role = "support" if mark.group(1) in _SUPPORT_LABELS else "lead"
        inner = parse_phrase(body, default=role) if body else None
        if inner is None:
            continue
        lead.extend(inner.lead)
        support.extend(inner.support)
    return _owners(lead, support) if lead or support else None


def _owners(lead: list[str], support: list[str]) -> Owners:
    leads = tuple(dict.fromkeys(lead))
    return Owners(leads, tuple(name for name in dict.fromkeys(support) if name not in leads))


def _closes(text: str, match: re.Match[str]) -> bool:
    """The parenthesis ends the text or a sentence, or comes right after a sentence end."""
    after = match.end()  # indexes, not slices: a slice per parenthesis made long texts quadratic
    while after < len(text) and text[after] == " ":
        after += 1
    before = match.start() - 1
    while before >= 0 and text[before] == " ":
        before -= 1
    return after == len(text) or text[after] in _CLOSERS or text[after] in OPEN or (
        before >= 0 and text[before] in "。" + SEMIS)


def find_annotations(text: str) -> list[Annotation]:
    """Every owner annotation of a text, in order; parentheses that name no units are skipped.

    Besides bracketed annotations, a bare label clause counts ("…。责任单位:局办公室;完成时限:…"):
    the label names its role, so it is never a guess. So does a line that is nothing but units and
    their role verb ("市发改委牵头落实" — the owner cell of a table copied one cell per line).
    """
    found = []
    for match in _PAREN.finditer(text):
        if not _closes(text, match):
            continue
        owners = parse_phrase(match.group(1))
        if owners is not None and (owners.lead or owners.support):
            found.append(Annotation(match.start(), match.end(), owners))
    starts = [note.start for note in found]  # in order and disjoint: bisect, not a scan of all
    for match in _LABEL_LINE.finditer(text):
        index = bisect_right(starts, match.start()) - 1
        if index >= 0 and match.start() < found[index].end:
            continue  # a label inside a bracketed annotation, read with it above
        owners = parse_phrase(match.group(0))
        if owners is not None and (owners.lead or owners.support):
            found.append(Annotation(match.start(), match.end(), owners))
    if "\n" in text:
        found.extend(_owner_lines(text, found))
    return sorted(found, key=lambda note: note.start)


def _owner_lines(text: str, found: list[Annotation]) -> list[Annotation]:
    """Whole lines that are an owner phrase with a role verb and nothing else."""
    lines = []
    start = 0
    spans = sorted((note.start, note.end) for note in found)
    starts = [begin for begin, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))
    for line in text.split("\n"):
        end = start + len(line)
        bare = line.strip()
        if (bare and len(bare) <= 80 and not _overlaps(starts, reach, start, end)
                and _ROLE_VERB.match(trim(bare, "。" + SEMIS + COMMAS, left=False))):
            owners = parse_phrase(bare, default=None)
            if owners is not None and owners.all():
                lines.append(Annotation(start, end, owners))
        start = end + 1
    return lines


def _overlaps(starts: list[int], reach: list[int], begin: int, end: int) -> bool:
    """True when [begin, end) overlaps a span; `starts` sorted, `reach[i]` the furthest end of the
    spans up to i (so spans that overlap one another are still found)."""
    index = bisect_right(starts, begin) - 1
    if index >= 0 and reach[index] > begin:
        return True
    return index + 1 < len(starts) and starts[index + 1] < end


def read_owners(text: str) -> tuple[Owners, str]:
    """A task's owners (the union of its annotations) and its text without the annotations.

    The stripped text is what the rule reader gets, so annotation words never become rules; the
    task keeps its whole text. No annotation → empty Owners (the coordinator assigns one later).
    """
    found = find_annotations(text)
    lead: list[str] = []
    support: list[str] = []
    pieces = []
    pos = 0
    for note in found:
        lead.extend(note.owners.lead)
        support.extend(note.owners.support)
        pieces.append(text[pos:note.start])
        pos = note.end
    pieces.append(text[pos:])
    return _owners(lead, support), "".join(pieces)


def owners_from_cells(lead_cell: str, support_cell: str) -> Owners:
    """Owners from a task-division table's cells: 责任/牵头单位 and 配合单位.

    A cell may hold a phrase with role words ("办公室牵头,各科室配合") or a plain list ("A、B等").
    A cell that does not read as units is kept whole as one lead/support name rather than dropped,
    since the column says it is an owner.
    """
    lead: list[str] = []
    support: list[str] = []
    for cell, role in ((lead_cell, "lead"), (support_cell, "support")):
        cell = cell.strip()
        if not cell or cell in {"/", "-", "—", "无"}:
            continue
        owners = parse_phrase(cell, default=role)
        if owners is None:
            (support if role == "support" else lead).append(cell)
            continue
        lead.extend(owners.lead)
        support.extend(owners.support)
    return _owners(lead, support)
