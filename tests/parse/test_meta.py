"""Document facts: kind, title, issuer, year and date written, from the title and header lines."""

from __future__ import annotations

import pytest
from punctuation import FORMS, fw

from tracker.parse import parse

BODY = "\n一、重点任务\n1.做好甲工作。"

META = [
    ("title_names_the_issuer", "2024年济宁市民政局政务公开工作要点" + BODY,
     ("workplan", "2024年济宁市民政局政务公开工作要点", "济宁市民政局", 2024, None)),
    ("header_table_of_a_web_page",
     "索 引 号 | 1137/2024-02054 | 公开方式 | 主动公开 |\n发布机构 | 济宁市民政局 | 组配分类 | 推进 |\n"
     "成文日期 | 2024-07-26 | 失效日期 | |\n2024年济宁市民政局政务公开工作要点" + BODY,
     ("workplan", "2024年济宁市民政局政务公开工作要点", "济宁市民政局", 2024, "2024-07-26")),
    ("labelled_cells_with_colons",
     "发布机构: | 市退役军人事务局 |\n发文日期: | 2021-01-15 |\n桐乡市退役军人事务局2020年度政府信息公开工作年度报告",
     ("annual_report", "桐乡市退役军人事务局2020年度政府信息公开工作年度报告", "桐乡市退役军人事务局",
      2020, "2021-01-15")),
    ("organisation_line_above_the_title",
     "兰州新区民政司法和社会保障局(退役军人事务局)\n2023年政府信息公开工作年度报告\n"
     "来源: 兰州新区民政司法和社会保障局(退役军人事务局)\n时间: 2024/01/31/ 17:46",
     ("annual_report", "兰州新区民政司法和社会保障局(退役军人事务局)2023年政府信息公开工作年度报告",
      "兰州新区民政司法和社会保障局(退役军人事务局)", 2023, "2024-01-31")),
    ("source_and_time_on_one_line",
     "滁州市琅琊区人社局2021年政府信息公开工作年度报告\n发布时间:2022-01-26 12:15 来源:琅琊区人社局",
     ("annual_report", "滁州市琅琊区人社局2021年政府信息公开工作年度报告", "滁州市琅琊区人社局", 2021,
      "2022-01-26")),
    ("title_only_in_the_first_sentence",
     "根据有关规定,特向社会公布2019年度浑江区民政局信息公开年度报告。本报告由五个部分组成。",
     ("annual_report", "2019年度浑江区民政局信息公开年度报告", "浑江区民政局", 2019, None)),
    ("notice_title_without_book_marks", "关于印发2024年某县政务公开工作要点的通知" + BODY,
     ("workplan", "2024年某县政务公开工作要点", None, 2024, None)),
    ("covering_notice_with_signature",
     "某市人民政府办公室关于印发某市2024年政务公开工作要点的通知\n各县区人民政府,市政府各部门:\n"
     "现将《某市2024年政务公开工作要点》印发给你们,请认真贯彻落实。\n某市人民政府办公室\n2024年4月10日\n"
     "某市2024年政务公开工作要点" + BODY,
     ("workplan", "某市2024年政务公开工作要点", "某市人民政府办公室", 2024, "2024-04-10")),
    ("title_only_in_the_header_table",
     "索引号 | 001/2024-01 | 发布机构 | 某县民政局 |\n名称 | 某县民政局2024年政务公开工作要点 | 成文日期 | 2024-02-01 |"
     + BODY, ("workplan", "某县民政局2024年政务公开工作要点", "某县民政局", 2024, "2024-02-01")),
    ("covering_notice_signed_above_its_date",
     "各县(区)人民政府,市政府各部门:\n《2023年某市政务公开工作要点》已经市政府同意,现印发给你们,请认真贯彻落实。\n"
     "某市人民政府办公室\n2023年8月7日\n(此件主动公开)\n2023年某市政务公开工作要点" + BODY,
     ("workplan", "2023年某市政务公开工作要点", "某市人民政府办公室", 2023, "2023-08-07")),
    ("signature_at_the_end",
     "2024年政务公开工作要点" + BODY + "\n某县民政局\n2024年3月1日",
     ("workplan", "2024年政务公开工作要点", "某县民政局", 2024, "2024-03-01")),
    ("chinese_numeral_year_in_a_report_title",
     "发布机构: | 市退役军人事务局 |\n发文日期: | 2021-01-15 |\n二〇二〇年桐乡市退役军人事务局政府信息公开工作年度报告",
     ("annual_report", "二〇二〇年桐乡市退役军人事务局政府信息公开工作年度报告", "桐乡市退役军人事务局", 2020,
      "2021-01-15")),
    ("chinese_numeral_signature_date",
     "2024年政务公开工作要点" + BODY + "\n某县民政局\n二〇二四年三月一日",
     ("workplan", "2024年政务公开工作要点", "某县民政局", 2024, "2024-03-01")),
    ("notice_wrapping_the_plan",
     "关于印发《2024年某县政务公开工作要点》的通知\n发文机关:某县人民政府办公室\n成文日期:2024年3月5日" + BODY,
     ("workplan", "2024年某县政务公开工作要点", "某县人民政府办公室", 2024, "2024-03-05")),
]


@pytest.mark.parametrize(("text", "expected"), [row[1:] for row in META], ids=[row[0] for row in META])
@FORMS
def test_document_facts(text, expected, form):
    if form == "fullwidth":
        text = fw(text)
        expected = tuple(fw(value) if isinstance(value, str) and "-" not in value else value
                         for value in expected)
    draft = parse(text)
    assert (draft.kind, draft.title, draft.issuer, draft.year, draft.date_written) == expected


def test_closing_signature_is_not_part_of_the_last_task():
    draft = parse("2024年政务公开工作要点" + BODY + "\n某县民政局\n2024年3月1日")
    assert draft.tasks[-1].text == "做好甲工作。"


def test_no_year_anywhere_is_a_warning_not_a_guess():
    draft = parse("某局政务公开工作要点" + BODY)
    assert draft.year is None
    assert any("no year" in warning for warning in draft.warnings)


REPORT_BODY = "\n五、存在的主要问题及改进情况\n下一步,我局将:一是加强平台建设;二是推进政策解读。"


@pytest.mark.parametrize(("text", "year", "source"), [
    ("某县民政局政府信息公开工作年度报告\n根据条例,编制2020年度政府信息公开年度报告。" + REPORT_BODY
     + "\n某县民政局\n2021年1月15日", 2020, "2020年度政府信息公开年度报告"),
    ("某县民政局政府信息公开工作年度报告" + REPORT_BODY + "\n某县民政局\n2021年1月15日", 2020,
     "year before the date written"),
    ("某县民政局政府信息公开工作年度报告" + REPORT_BODY + "\n某县民政局\n二〇二一年一月十五日", 2020,
     "year before the date written"),
    ("某县民政局政府信息公开工作年度报告" + REPORT_BODY.replace("下一步,我局将", "2021年将做好以下工作"), 2020,
     "2021年将"),
], ids=["named_in_the_text", "date_written", "chinese_numeral_date", "next_year_plans"])
def test_a_report_without_a_year_in_its_title_reports_on_the_year_before(text, year, source):
    """A report is written early in the year after the one it reports on: its commitments (the
    tasks `tracker import` stores) are for the year after its own."""
    draft = parse(text)
    assert (draft.kind, draft.year, draft.issuer) == ("annual_report", year, "某县民政局")
    assert [w for w in draft.warnings if "title names no year" in w and source in w]
    assert len(draft.tasks) == 2


def test_tongxiang_without_the_year_in_its_title(tmp_path):
    from pathlib import Path

    from tracker.ingest import read_document
    seed = Path(__file__).resolve().parents[1] / "data" / "seeds" / "annual_2020_tongxiang_tuiyijunren.txt"
    text = seed.read_text(encoding="utf-8").replace("2020年度政府", "年度政府")  # title and body
    (tmp_path / "report.txt").write_text(text, encoding="utf-8")
    draft = parse(read_document(tmp_path / "report.txt").text)
    assert (draft.year, draft.issuer, draft.date_written) == (2020, "桐乡市退役军人事务局", "2021-01-15")
    assert len(draft.tasks) == 3
