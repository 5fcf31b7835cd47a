"""Cut a task's text into sentences and clauses, and turn match positions back into source words.

Also the `Context` a rule builder reads a match in, and the `Found` it returns.

Rules are matched on a *folded* copy of the text (full-width digits and punctuation → ASCII) that
has exactly the same length, so every position found in it is a position in the original: the
`source` of a rule is always a verbatim substring of what the plan says.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from tracker.model import Requirement
from tracker.notes import Note
from tracker.parse.guards import is_fact, is_measure, per_owner_subject

_FOLD = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}  # ０-９ → 0-9
_FOLD.update({  # ，；：（）！？％［］ and the ideographic space → ASCII, one for one
    0xFF0C: ord(","), 0xFF1B: ord(";"), 0xFF1A: ord(":"), 0xFF08: ord("("), 0xFF09: ord(")"),
    0xFF01: ord("!"), 0xFF1F: ord("?"), 0xFF05: ord("%"), 0xFF3B: ord("["), 0xFF3D: ord("]"),
    0x3000: ord(" "),
})

_FOLDABLE = re.compile("[" + "".join(chr(code) for code in _FOLD) + "]")
_OPEN = "(「《“‘【["
_CLOSE = ")」》”’】]"
_HARD_STOP = "。!?\n"
"""Always end a sentence, even inside an unclosed bracket (so one stray “ cannot swallow a task)."""
_SOFT_STOP = ";"
"""Ends a sentence outside brackets only: "(牵头单位:A;配合单位:B)" stays one piece."""
_CLAUSE_CUT = ",:"
_MARKS = re.compile("[" + re.escape(_OPEN + _CLOSE + _HARD_STOP + _SOFT_STOP + _CLAUSE_CUT) + "]")

_OWNER_TAIL = re.compile(r"\s*\([^()]*(?:负责|牵头|责任|配合|分工)[^()]*\)\s*$")
_LEAD_JUNK = re.compile(r"^(?:[\s,:、)]|并且?|同时|要|应当?|须|需|需要|必须|均|都|将|把|至少|原则上|务必)+")
_TAIL_JUNK = re.compile(r"[\s,:、]+$")
_WHAT_MAX = 40
_HEAD_TAIL = re.compile(r"(?:原则上|一般|应当?|须|需|要|必须|均|都|至少)*(?:在|于)?\s*$")
"""Modal and preposition words between a subject and its rule: "首页栏目信息原则上" → "首页栏目信息"."""
_SOURCE_MAX = 200
_SOURCE_MARGIN = 60
_REACH = 80
"""How far `rest_of_clause`/`head_of_clause` look: a `what` is at most 40 characters anyway."""
_TRIM = " \t\r\n,;:、\u3000\uff0c\uff1b\uff1a"
"""Characters trimmed from both ends of a source: blanks and clause punctuation (both widths)."""


def fold(text: str) -> str:
    """Full-width digits and ,;:()!?% → ASCII; same length as `text`, position for position."""
    return text.translate(_FOLD) if _FOLDABLE.search(text) else text  # most text has none


@dataclass(frozen=True)
class Sentence:
    """A sentence of the folded text: its span and the cuts between its clauses (absolute)."""

    start: int
    end: int
    cuts: tuple[int, ...]
    """Clause boundaries, ascending: start, each position just after a , or :, end."""

    def clause(self, pos: int) -> tuple[int, int]:
        """The (start, end) of the clause holding position `pos` (clamped into the sentence)."""
        pos = min(max(pos, self.start), self.end - 1)
        index = bisect_right(self.cuts, pos) - 1
        index = min(max(index, 0), len(self.cuts) - 2)
        return self.cuts[index], self.cuts[index + 1]

    def previous_clause_start(self, pos: int) -> int:
        """The start of the clause before the one holding `pos` (or of that clause if first)."""
        start, _ = self.clause(pos)
        return self.clause(start - 1)[0] if start > self.start else start


def split(folded: str) -> list[Sentence]:
    """Cut folded text into sentences (。!?newline, and ; outside brackets) with clause cuts.

    Empty sentences are dropped; brackets that never close are forgiven at the next hard stop.
    """
    sentences: list[Sentence] = []
    start, depth = 0, 0
    cuts: list[int] = [0]
    for found in _MARKS.finditer(folded):  # visiting only punctuation: ~10x faster than every char
        pos, char = found.start(), found.group()
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif char in _HARD_STOP or (char in _SOFT_STOP and depth == 0):
            _close(sentences, start, pos, cuts)
            start, depth, cuts = pos + 1, 0, [pos + 1]
        elif char in _CLAUSE_CUT and depth == 0:
            cuts.append(pos + 1)
    _close(sentences, start, len(folded), cuts)
    return sentences


def _close(sentences: list[Sentence], start: int, end: int, cuts: list[int]) -> None:
    if end > start:
        if cuts[-1] >= end:  # a , or : just before the stop: drop the empty last clause
            cuts = [cut for cut in cuts if cut < end]
        sentences.append(Sentence(start, end, (*cuts, end)))


def source_words(original: str, sentence: Sentence, begin: int, end: int) -> str:
    """The original words of the clauses that span [begin, end): whole clauses, trimmed of
    surrounding punctuation and of a closing owner annotation "(责任单位:…)"."""
    first = sentence.clause(begin)[0]
    last = sentence.clause(max(end - 1, begin))[1]
    if last - first > _SOURCE_MAX:  # a run-on clause (no punctuation): the words around the match
        first, last = max(first, begin - _SOURCE_MARGIN), min(last, end + _SOURCE_MARGIN)
    owner = _OWNER_TAIL.search(fold(original[first:last]))  # folded: （责任单位：…） too
    if owner:
        last = first + owner.start()
    return original[first:last].strip(_TRIM)


def tidy_what(phrase: str) -> str:
    """A short "what must be done" phrase: leading modal/particle words and a trailing 工作
    dropped ("要开展专题性政策评价工作" → "开展专题性政策评价"), at most 40 characters."""
    folded = fold(phrase)  # the regexes read ASCII punctuation; cut the original at their spots
    owner = _OWNER_TAIL.search(folded)
    end = owner.start() if owner else len(folded)
    lead = _LEAD_JUNK.match(folded, 0, end)
    start = lead.end() if lead else 0
    tail = _TAIL_JUNK.search(folded, start, end)
    end = tail.start() if tail else end
    phrase = phrase[start:end]
    if len(phrase) > 4 and phrase.endswith("工作"):
        phrase = phrase[:-2]
    return phrase[:_WHAT_MAX]


def with_subject(what: str, head: str) -> str:
    """A one-word `what` ("更新") with the clause's subject before it ("首页栏目信息更新")."""
    if len(what) > 2:
        return what
    subject = tidy_what(_HEAD_TAIL.sub("", head))
    return tidy_what(subject + what) if subject else what


@dataclass(frozen=True)
class Context:
    """What a builder may look at: the original and folded text and the sentence matched in."""

    original: str
    folded: str
    sentence: Sentence
    plan_year: int | None = None
    """The year the plan's rules fall in, when the caller knows it: a deadline naming another
    year is then read against it (next year → year_offset 1; any other year → a warning)."""
    _memo: dict[tuple[str, int], bool] = field(default_factory=dict, compare=False, repr=False)
    """Guard results per clause start: a run-on clause with many matches is checked once."""

    def clause(self, pos: int) -> tuple[int, int]:
        """The (start, end) of the clause holding `pos`."""
        return self.sentence.clause(pos)

    def clause_text(self, pos: int) -> str:
        """The folded words of the clause holding `pos`."""
        start, end = self.clause(pos)
        return self.folded[start:end]

    def source(self, begin: int, end: int) -> str:
        """The original words of the clauses spanning [begin, end) (see `source_words`)."""
        return source_words(self.original, self.sentence, begin, end)

    def rest_of_clause(self, pos: int) -> str:
        """The original words from `pos` to the end of its clause (at most 80 characters)."""
        return self.original[pos : min(self.clause(pos)[1], pos + _REACH)]

    def head_of_clause(self, pos: int) -> str:
        """The original words from the start of the clause holding `pos` up to `pos` (≤ 80)."""
        return self.original[max(self.clause(pos)[0], pos - _REACH) : pos]

    def per_owner(self, pos: int) -> bool:
        """True when the clause's subject, just before `pos`, is 各科室/各单位/每个部门…"""
        return per_owner_subject(self.folded, max(self.clause(pos)[0], pos - _REACH), pos)

    def is_fact(self, pos: int) -> bool:
        """True when the clause at `pos` reports a past fact, a finding or an effective date."""
        return self._guard(pos, is_fact)

    def is_measure(self, pos: int) -> bool:
        """True when the clause at `pos` sets a rate or a quantity (95%, 5000人)."""
        return self._guard(pos, is_measure)

    def _guard(self, pos: int, test: Callable[[str], bool]) -> bool:
        key = (test.__name__, self.clause(pos)[0])
        if key not in self._memo:
            self._memo[key] = test(self.clause_text(pos))
        return self._memo[key]


@dataclass(frozen=True)
class Found:
    """A builder's result: the rules, and the span of words it claims (not re-read later)."""

    requirements: tuple[Requirement, ...]
    begin: int
    end: int
    warnings: tuple[Note, ...] = ()
    """Plain-words notes on words read but not turned into a rule (their span is still claimed)."""
