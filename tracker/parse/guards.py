"""Tell an obligation from words that only look like one: facts, findings, goals, measures.

Pure predicates over a clause of folded text, used by `tracker.parse.rules` before it emits a
rule. Each regex names the phrasing it stops; inventing a rule is worse than missing one, so a
clause that trips any of them gives no dated rule.
"""

from __future__ import annotations

import re

_PAST = re.compile(
    r"(?<!公)共计?(?=[开召组举发办完收受处接有编报录\d一二两三四五六七八九十])"  # 共召开…1场 (not 公共/共同)
    r"|累计|合计|已经|已(?=[于开完召组举发办建出编报])"  # 已开展 / 已于6月底前完成
    r"|(?<![为除])了(?![解然])"  # 开展了4次 (not 为了/了解)
    r"|以来|截至|截止目前|目前已"  # 今年以来 / 截至12月31日
)
_FINDING = re.compile(r"(?<!尚)未(?![成来经])|尚未|没有|存在|逾期|超期|不到位|不及时|不规范")
"""Inspection findings and penalty conditions: 未按要求… / 存在…问题 / 逾期未答复的 (not 未成年人, 未经)."""
_EFFECTIVE = re.compile(r"起(?:施行|实施|执行|生效)")
"""Effective dates: 自2024年1月1日起施行."""
_GOAL = re.compile(r"^\s*(?:到|至)\s*\d{4}\s*年")
"""Goal sentences: 到2025年底,…基本建成 (a target, not a deadline)."""
_MEASURE = re.compile(
    r"%|百分之|比例|比率|覆盖率|达到"
    r"|\d+(?:\.\d+)?\s*(?:万|亿|千|余|多)?(?:人|元|个(?!月|工作日|季度|星期|自然日)|家|户|件|条|项|张|所|座|套|名|册|吨|亩|床|公里)"
)
"""Quantities and rates: 每年办结率达到95% / 每年新增就业5000人 — a target, not an occasion."""
_ISSUED_BEFORE = re.compile(r"(?:印发|出台|发布|制发|制定|下发|公布|施行|实施|颁布|通过|生效|形成)+的")
"""A date that describes documents (2023年底前印发的文件), not a deadline for doing something."""
_PER_OWNER = re.compile(
    r"(?:各|每个)[^,;。]{0,10}?(?:科室|单位|部门|县区|县市区|区县|县\(市、?区\)|县\(市\)区|乡镇|镇街"
    r"|街道|处室|地区|区|直属机构|机关)"
)
"""A distributive subject: 各科室、单位 / 各县区 / 每个部门 — one obligation per owner."""


def is_fact(clause: str) -> bool:
    """True when the clause reports a past fact, a finding or an effective date (no obligation)."""
    return bool(_PAST.search(clause) or _FINDING.search(clause) or _EFFECTIVE.search(clause))


def is_goal(clause: str) -> bool:
    """True when the clause opens with 到/至 + a year: a goal ("到2025年底…"), never a deadline."""
    return bool(_GOAL.match(clause))


def is_measure(clause: str) -> bool:
    """True when the clause sets a rate or a quantity (95%, 5000人): not a count of occasions."""
    return bool(_MEASURE.search(clause))


def describes_documents(after: str) -> bool:
    """True when the words right after a date are "印发的…": the date qualifies documents."""
    return bool(_ISSUED_BEFORE.match(after))


def per_owner_subject(folded: str, start: int, end: int) -> bool:
    """True when folded[start:end] (a clause up to the rule) has a distributive subject (各科室…)."""
    return bool(_PER_OWNER.search(folded, start, end))
