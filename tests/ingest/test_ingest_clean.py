"""clean_text on small strings (a named corpus) and on the seed documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tracker.ingest import CLOSE, OPEN, clean_text
from tracker.ingest.clean import clean_with_warnings as clean

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"

CORPUS = [
    # (name, raw, expected)
    ("pinyin after traditional char", "區(qū)", "区"),
    ("pinyin in a word", "發(fā)布", "发布"),
    ("pinyin inside a name", "蘭州新區(qū)", "兰州新区"),
    ("pinyin in full-width parens", "發\uff08fā\uff09布", "发布"),
    ("toneless pinyin kept without toned context", "們(men)", "们（men）"),
    ("outline number kept", "(一)总体要求", f"{OPEN}一{CLOSE}总体要求"),
    ("year in parens kept", "规划(2024)", f"规划{OPEN}2024{CLOSE}"),
    ("owner note kept", "做好公开。(牵头单位:局办公室)", f"做好公开。{OPEN}牵头单位:局办公室{CLOSE}"),
    ("trial note kept", "办法(试行)", f"办法{OPEN}试行{CLOSE}"),
    ("latin note after CJK kept", "附件(PDF)", f"附件{OPEN}PDF{CLOSE}"),
    ("full-width parens stay full-width", "\uff08一\uff09", f"{OPEN}一{CLOSE}"),
    ("ascii-only line keeps ascii parens", "javascript:void(0)", "javascript:void(0)"),
    ("full-width digits", "\uff12\uff10\uff12\uff14年", "2024年"),
    ("full-width letters", "\uff21\uff22\uff43类", "ABc类"),
    ("full-width period after number", "1\uff0e加强公开", "1.加强公开"),
    ("Chinese punctuation kept", "一、公开\uff0c解读。要求\uff1a及时\uff1b“好”\uff01", "一、公开\uff0c解读。要求\uff1a及时\uff1b“好”\uff01"),
    ("ASCII look-alikes kept", "一、公开,解读。要求:及时;", "一、公开,解读。要求:及时;"),
    ("full-width comma kept", "公开\uff0c解读\uff1a及时", "公开\uff0c解读\uff1a及时"),
    ("ideographic space", "一、\u3000总体要求", "一、 总体要求"),
    ("nbsp", "发布\u00a0机构", "发布 机构"),
    ("zero-width removed", "政\u200b务\u200d公\ufeff开", "政务公开"),
    ("CRLF and CR", "甲\r\n乙\r丙", "甲\n乙\n丙"),
    ("trailing and leading spaces", "   1.任务   \n\t2.任务\t", "1.任务\n2.任务"),
    ("blank line runs collapse", "甲\n\n\n\n乙\n\n", "甲\n\n乙"),
    ("pipe table row", "索 引 号 | 1137XX/2024-02054| 公开方式 | 主动公开 |", "索 引 号 | 1137XX/2024-02054 | 公开方式 | 主动公开"),
    ("empty cells at the end dropped", "成文日期 | 2024-07-26 | 失效日期 | |", "成文日期 | 2024-07-26 | 失效日期"),
    ("inner empty cell kept for alignment", "|1| |局办公室|", "1 |  | 局办公室"),
    ("leading empty cells dropped", "| | 推进 | 局办公室", "推进 | 局办公室"),
    ("pipe-only lines dropped", "标题\n||||||||\n|\n正文", "标题\n\n正文"),
    ("tab-separated row", "序号\t工作任务\t责任单位", "序号 | 工作任务 | 责任单位"),
    ("single tab is spacing", "一、\t总体要求", "一、 总体要求"),
    ("one-cell lines kept", "    0\n\n    0\n", "0\n\n0"),
    ("font size furniture", "字号:[大][中][小]", ""),
    ("font furniture in brackets", "【字体:大 中 小】", ""),
    ("print", "打印", ""),
    ("close window", "关闭窗口", ""),
    ("scan on phone", "扫一扫在手机打开当前页", ""),
    ("share", "分享到:微信 微博", ""),
    ("breadcrumbs", "当前位置:首页 > 政务公开 > 工作要点", ""),
    ("inline furniture stripped, rest kept", "发布时间:2024-01-02 【字体:大 中 小】【打印】【关闭】", "发布时间:2024-01-02"),
    ("unclosed font furniture", "【字体:打印", ""),
    ("attachment line kept", "附件:2024年任务分工.doc", "附件:2024年任务分工.doc"),
    ("printing in a sentence kept", "打印机采购信息公开", "打印机采购信息公开"),
    ("empty", "", ""),
    ("whitespace only", " \n\t\u3000\n", ""),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS])
def test_clean_text_corpus(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_canonical_brackets_are_full_width_code_points() -> None:
    assert (OPEN, CLOSE) == ("\uff08", "\uff09")
    assert clean_text("(一)") == "\uff08一\uff09"


def test_flattened_document_is_split_at_its_outline() -> None:
    body = "根据条例编制本报告,内容较长" * 10
    raw = f"{body}。 一、总体情况 {body}。 (一)主动公开情况 1、主动公开信息。 2、突出重点。"
    lines = clean_text(raw).split("\n")
    assert lines[1].startswith("一、总体情况")
    assert lines[2].startswith(f"{OPEN}一{CLOSE}主动公开情况")
    assert [line[:2] for line in lines[3:]] == ["1、", "2、"]


def test_utf8_read_as_gbk_is_repaired() -> None:
    original = "政务公开工作要点"
    garbled = original.encode("utf-8").decode("gb18030")
    assert garbled != original
    result = clean(f"一、{garbled}")
    assert result.text == f"一、{original}"
    assert result.warnings == ()


def test_unrepairable_mojibake_is_kept_and_named_by_line() -> None:
    text = (SEEDS / "annual_2023_lanzhou_xinqu_minzheng.txt").read_text(encoding="utf-8")
    result = clean(text)
    assert "ㄈ┱叽胧┙庾" in result.text
    assert any(w.startswith("Line 10 ") for w in result.warnings), result.warnings
    assert len(result.warnings) <= 3


def test_replacement_character_is_reported_by_line() -> None:
    result = clean("第一行\n第二行有\ufffd坏字")
    assert result.warnings == (
        "Line 2 has 1 unreadable character(s), shown as �; check that passage against the original document.",
    )


def test_tongxiang_comes_out_simplified_without_pinyin() -> None:
    text = clean_text((SEEDS / "annual_2020_tongxiang_tuiyijunren.txt").read_text(encoding="utf-8"))
    assert "桐乡市退役军人事务局" in text
    assert not re.search(r"[(\uff08][a-zA-Z\u00c0-\u024f]", text)
    assert "發" not in text
    assert "區" not in text
    assert "關" not in text
    assert f"{OPEN}一{CLOSE}主动公开情况" in text.split("\n")


def test_chuzhou_one_cell_lines_kept_unindented_and_blank_runs_collapsed() -> None:
    raw = (SEEDS / "annual_2021_chuzhou_langya_renshe.txt").read_text(encoding="utf-8")
    lines = clean_text(raw).split("\n")
    assert lines.count("0") == sum(1 for line in raw.split("\n") if line.strip() == "0")
    assert lines.count("0") > 100
    assert all(line == line.strip() for line in lines)
    assert "\n\n\n" not in "\n".join(lines)
    assert not any("字体" in line or line == "打印" for line in lines)


def test_jining_keeps_its_tasks_and_metadata_rows() -> None:
    text = clean_text((SEEDS / "workplan_2024_jining_minzheng.txt").read_text(encoding="utf-8"))
    lines = text.split("\n")
    assert lines[0] == "索 引 号 | 1137080000431236XX/2024-02054 | 公开方式 | 主动公开"
    assert "2024年济宁市民政局政务公开工作要点" in lines
    assert sum(1 for line in lines if re.match(r"\d+\.", line)) == 15


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_clean_is_idempotent_on_seeds(seed: str) -> None:
    once = clean_text((SEEDS / seed).read_text(encoding="utf-8"))
    assert clean_text(once) == once


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt") if "lanzhou" not in p.name))
def test_genuine_seeds_raise_no_garbled_warning(seed: str) -> None:
    assert clean((SEEDS / seed).read_text(encoding="utf-8")).warnings == ()


def test_garbled_sentence_without_private_use_chars_is_repaired() -> None:
    original = "做好绿色低碳高质量发展先行区"
    garbled = original.encode("utf-8").decode("gb18030", errors="strict")
    assert not re.search("[\ue000-\uf8ff]", garbled)
    assert clean(f"1.{garbled}。").text == f"1.{original}。"
