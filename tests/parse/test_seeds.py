"""Every seed document end to end (tracker.ingest → parse): golden snapshot, round trip, and the
concrete things issue 2 says a coordinator must see."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.ingest import read_document
from tracker.model import PlanDraft, RequirementKind
from tracker.parse import parse
from tracker.parse.contract import from_json, to_json

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"  # as tests/conftest.py names them
JINING = SEEDS / "workplan_2024_jining_minzheng.txt"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
DATED = {RequirementKind.RECURRING, RequirementKind.AFTER_EVENT, RequirementKind.DEADLINE}


def read(path: Path) -> PlanDraft:
    return parse(read_document(path).text)


@pytest.fixture(scope="module")
def jining() -> PlanDraft:
    return read(JINING)


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_seed_matches_its_snapshot_and_round_trips(path, snapshot):
    data = to_json(read(path))
    assert data == snapshot
    assert to_json(from_json(data)) == data
    assert from_json(data) == read(path)


def test_jining_document_facts(jining):
    assert (jining.kind, jining.year, jining.issuer) == ("workplan", 2024, "济宁市民政局")
    assert jining.date_written == "2024-07-26"
    assert [s.number for s in jining.sections] == ["一", "二", "三", "四", "五"]
    assert [t.number for t in jining.tasks] == [str(n) for n in range(1, 16)]


def test_jining_task_6_is_due_3_working_days_after_publication(jining):
    task = jining.tasks[5]
    assert task.title == "推进政策解读规范化"
    assert [(r.kind, r.workdays) for r in task.requirements] == [(RequirementKind.AFTER_EVENT, 3)]
    assert "3个工作日" in task.requirements[0].source


def test_jining_task_8_twice_a_year_and_a_year_end_deadline(jining):
    rules = jining.tasks[7].requirements
    assert [(r.kind, r.count, r.period) for r in rules if r.kind is RequirementKind.RECURRING] == [
        (RequirementKind.RECURRING, 2, "year")]
    assert [(r.month, r.day) for r in rules if r.kind is RequirementKind.DEADLINE] == [(12, 31)]


def test_jining_task_12_quarterly(jining):
    rules = jining.tasks[11].requirements
    assert [(r.kind, r.period) for r in rules] == [(RequirementKind.RECURRING, "quarter")]


def test_jining_task_13_two_yearly_rules(jining):
    rules = [r for r in jining.tasks[12].requirements if r.kind in DATED]
    assert [(r.kind, r.count, r.period) for r in rules] == [(RequirementKind.RECURRING, 1, "year")] * 2
    assert "汇报" in rules[0].source
    assert "培训" in rules[1].source


def test_jining_task_15_one_per_owner_per_year(jining):
    rules = jining.tasks[14].requirements
    assert [(r.kind, r.count, r.period, r.per_owner) for r in rules] == [
        (RequirementKind.RECURRING, 1, "year", True)]


@pytest.mark.parametrize("number", [1, 3, 7, 10, 14])
def test_jining_tasks_without_a_dated_rule(jining, number):
    assert not [r for r in jining.tasks[number - 1].requirements if r.kind in DATED]


def test_jining_has_no_owner_annotations_so_no_owners(jining):
    assert all(not task.owners.all() for task in jining.tasks)


@pytest.mark.parametrize("name", ["annual_2020_tongxiang_tuiyijunren", "annual_2023_lanzhou_xinqu_minzheng"])
def test_reports_have_three_commitments_and_a_clean_title(name):
    draft = read(SEEDS / f"{name}.txt")
    assert draft.kind == "annual_report"
    assert len(draft.tasks) == 3
    assert len(draft.commitments) == 3
    assert [t.path for t in draft.tasks] == [("五", "1"), ("五", "2"), ("五", "3")]
    assert "年度报告" in draft.title
    assert not any(ch.isascii() and ch.isalpha() for ch in draft.title)  # no pinyin left


def test_tongxiang_commitments_are_the_measures_not_the_problems():
    draft = read(SEEDS / "annual_2020_tongxiang_tuiyijunren.txt")
    assert draft.tasks[0].title.startswith("进一步加强政府信息公开组织体系")
    assert not any("关注率" in c for c in draft.commitments)
    assert draft.statistics["主动公开政府信息"] == 1123


def test_chuzhou_publication_within_20_working_days():
    draft = read(SEEDS / "annual_2021_chuzhou_langya_renshe.txt")
    rules = [r for t in draft.tasks for r in t.requirements]
    assert any(r.kind is RequirementKind.AFTER_EVENT and r.workdays == 20 for r in rules)


def test_hunjiang_problems_are_not_commitments():
    draft = read(SEEDS / "annual_2019_hunjiang_minzheng.txt")
    assert draft.kind == "annual_report"
    assert draft.tasks == ()
    assert draft.warnings


def _shape(draft: PlanDraft) -> list[tuple[object, ...]]:
    return [(t.number, t.path, tuple((r.kind, r.count, r.period, r.workdays, r.month, r.day, r.per_owner)
                                     for r in t.requirements)) for t in draft.tasks]


def test_gb18030_big5_and_docx_copies_give_the_same_tasks_and_rules(tmp_path, jining):
    import docx
    import opencc

    text = JINING.read_text(encoding="utf-8")
    (tmp_path / "gb.txt").write_bytes(text.encode("gb18030"))
    traditional = opencc.OpenCC("s2t").convert(text)
    (tmp_path / "big5.txt").write_bytes(traditional.encode("big5", errors="replace"))
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(tmp_path / "plan.docx"))

    gb = read(tmp_path / "gb.txt")
    assert [(t.title, t.text) for t in gb.tasks] == [(t.title, t.text) for t in jining.tasks]
    for name in ("gb.txt", "big5.txt", "plan.docx"):
        assert _shape(read(tmp_path / name)) == _shape(jining), name
