"""Owner corpus: annotation forms and table cells → lead and supporting units; non-owners stay out."""

from __future__ import annotations

import pytest
from punctuation import FORMS, fw

from tracker.parse import parse
from tracker.parse.owners import owners_from_cells, read_owners

ANNOTATIONS = [
    ("responsible_unit", "做好政策解读工作(责任单位:局办公室)", ["局办公室"], []),
    ("lead_and_support_labels", "做好公开工作。(牵头单位:市政府办公室;配合单位:市发展改革委、市财政局)",
     ["市政府办公室"], ["市发展改革委", "市财政局"]),
    ("lead_then_responsible", "推进基层公开。(市政府办公室牵头,各县区政府负责)", ["市政府办公室"], ["各县区政府"]),
    ("after_each_sentence", "做好甲工作(市交通委负责落实)。做好乙工作(市财政局负责落实)。",
     ["市交通委", "市财政局"], []),
    ("respectively", "做好丙工作(市教育局、市卫健委分别负责落实)", ["市教育局", "市卫健委"], []),
    ("by_division_of_duties", "做好丁工作(各科室按职责分工负责)", ["各科室"], []),
    ("bare_unit_list", "做好戊工作。(局办公室、政策法规科)", ["局办公室", "政策法规科"], []),
    ("halfwidth_parens_and_colon", "做好己工作(责任单位: 信息中心)", ["信息中心"], []),
    ("support_verb", "做好庚工作(局办公室牵头,各科室配合)", ["局办公室"], ["各科室"]),
    ("list_ending_in_deng", "做好辛工作(责任单位:市民政局、市财政局等)", ["市民政局", "市财政局"], []),
    ("label_line_without_brackets", "做好壬工作。\n责任单位:局办公室、信息中心\n完成时限:2024年底前",
     ["局办公室", "信息中心"], []),
    ("label_clauses_before_a_deadline", "做好癸工作。牵头单位:局办公室;配合单位:各科室;完成时限:长期坚持",
     ["局办公室"], ["各科室"]),
    ("label_inside_brackets_read_once", "做好子工作(牵头单位:市政府办公室;配合单位:各县区政府,市直各部门)",
     ["市政府办公室"], ["各县区政府", "市直各部门"]),
    ("nested_brackets_in_a_unit", "做好丑工作(市市场监管局牵头,各县(市、区)政府负责落实)",
     ["市市场监管局"], ["各县(市、区)政府"]),
    ("nested_brackets_in_a_label", "做好寅工作。责任单位:各县(市、区)政府、市直各部门",
     ["各县(市、区)政府", "市直各部门"], []),
    ("departments_by_division_of_duties", "做好卯工作(市发展改革委、市财政局等按职责分工负责)",
     ["市发展改革委", "市财政局"], []),
    ("role_verb_inside_a_phrase", "按照方案执行(市委办公室负责制定的)。", [], []),
    ("responsible_for_carrying_out", "做好辰工作(市政府办公室牵头抓总,各县区政府负责具体落实)",
     ["市政府办公室"], ["各县区政府"]),
    ("owner_line_of_a_table_copied_one_cell_per_line",
     "围绕就业政策加强解读。\n市人社局牵头落实\n加强金融政策信息公开。\n市金融办、人民银行某市中心支行分别牵头落实",
     ["市人社局", "市金融办", "人民银行某市中心支行"], []),
    ("a_line_that_merely_starts_with_a_unit", "做好甲工作。\n局办公室负责统筹协调全局政务公开工作。", [], []),
    ("requirement_parenthesis", "在页面添加咨询电话(需添加咨询方式)。", [], []),
    ("trial_marker", "修订信息公开办法(试行)。", [], []),
    ("plan_marker", "发布年度计划(计划)。", [], []),
    ("place_in_mid_sentence", "利用农村(社区)公开栏公开信息。", [], []),
    ("place_alone_is_not_a_unit", "公开信息(社区)。", [], []),
    ("unit_named_mid_sentence", "由局办公室负责统筹推进相关工作。", [], []),
    ("no_annotation", "持续做好信息公开工作。", [], []),
]


@pytest.mark.parametrize(("text", "lead", "support"), [row[1:] for row in ANNOTATIONS],
                         ids=[row[0] for row in ANNOTATIONS])
@FORMS
def test_annotation(text, lead, support, form):
    owners, _ = read_owners(fw(text) if form == "fullwidth" else text)
    if form == "fullwidth":
        lead, support = [fw(name) for name in lead], [fw(name) for name in support]
    assert (list(owners.lead), list(owners.support)) == (lead, support)


def test_annotation_is_kept_in_text_but_hidden_from_rules():
    draft = parse(fw("2024年某局政务公开工作要点\n一、重点任务\n"
                     "1.推进政策解读。每季度开展一次检查(局办公室负责落实)。"))
    task = draft.tasks[0]
    assert fw("(局办公室负责落实)") in task.text
    assert task.owners.lead == ("局办公室",)
    assert all("局办公室" not in rule.source for rule in task.requirements)


def test_label_line_is_hidden_from_rules_but_its_deadline_is_not():
    draft = parse(fw("2024年某局政务公开工作要点\n一、重点任务\n"
                     "1.更新公开目录。\n责任单位:局办公室;完成时限:2024年6月底前"))
    task = draft.tasks[0]
    assert task.owners.lead == ("局办公室",)
    assert [(r.month, r.day) for r in task.requirements if r.kind == "deadline"] == [(6, 30)]


def test_items_take_the_owners_annotated_on_their_heading():
    draft = parse(fw("2024年某市政务公开工作要点\n一、推进决策公开(市政府办公室牵头)\n"
                     "(一)扩大公众参与(市发展改革委负责)\n1.做好甲。\n2.做好乙(市财政局负责)。\n"
                     "(二)做好解读\n3.做好丙。"))
    assert [t.owners.lead for t in draft.tasks] == [("市发展改革委",), ("市财政局",), ("市政府办公室",)]
    assert draft.sections[0].title == "推进决策公开"


def test_task_owners_are_the_union_of_its_sentences():
    draft = parse(fw("2024年某局政务公开工作要点\n一、重点任务\n"
                     "1.做好甲。落实A(市交通委负责落实)。落实B(市财政局牵头,市交通委配合)。"))
    owners = draft.tasks[0].owners
    assert owners.lead == ("市交通委", "市财政局")
    assert owners.support == ()


CELLS = [
    ("lead_and_support_phrase", ("办公室牵头,各科室配合", ""), ["办公室"], ["各科室"]),
    ("lists_ending_in_deng", ("市民政局、市财政局等", "各县区政府"), ["市民政局", "市财政局"], ["各县区政府"]),
    ("empty_support_dash", ("信息中心", "/"), ["信息中心"], []),
    ("unreadable_cell_kept_whole", ("分管领导同志", ""), ["分管领导同志"], []),
]


@pytest.mark.parametrize(("cells", "lead", "support"), [row[1:] for row in CELLS],
                         ids=[row[0] for row in CELLS])
@FORMS
def test_owner_cells(cells, lead, support, form):
    owners = owners_from_cells(*(fw(cell) if form == "fullwidth" else cell for cell in cells))
    assert (list(owners.lead), list(owners.support)) == (lead, support)
