"""`tracker parse FILE [--json]` through the real command line: output, JSON contract, bad input."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest

from tracker.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
JINING = SEEDS / "workplan_2024_jining_minzheng.txt"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code = main(["parse", *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _isolated(db_path):
    """Keep the command away from the user's real database and log directory."""


def test_outline_shows_sections_tasks_owners_and_rules():
    code, out, err = run(str(JINING))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "2024年济宁市民政局政务公开工作要点"
    assert "济宁市民政局" in lines[1]
    assert "二、深化政策公开与解读回应" in lines
    assert "  6. 推进政策解读规范化" in lines
    assert "      每年2次 (原则上每年至少开展2次专题性政策评价工作)" in lines
    assert "      文件发布后3个工作日内 (文件发布后,应于3个工作日内关联发布解读材料)" in lines
    assert "      每季度1次 (每季度对政府网站内容进行检索检查)" in lines
    assert lines[-4:] == ["提示:",  # warnings come last, in Chinese
                          "  - 任务9: 任务正文写了“定期”, 但没有写明周期: 请用 `tracker rule` 设置周期。",
                          "  - 任务12: 任务正文写了“定期”, 但没有写明周期: 请用 `tracker rule` 设置周期。",
                          "  - 任务13: 任务正文写了“定期”, 但没有写明周期: 请用 `tracker rule` 设置周期。"]


def test_outline_shows_annotated_owners(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("2024年某局政务公开工作要点\n一、重点任务\n"
                    "1.做好政策解读。每季度开展一次检查。(牵头单位:局办公室;配合单位:各科室)\n",
                    encoding="utf-8")
    code, out, _ = run(str(plan))
    assert code == 0
    assert "      牵头: 局办公室  配合: 各科室" in out.splitlines()


def test_english_outline(db_path):
    out, err = StringIO(), StringIO()
    code = main(["--lang", "en", "parse", str(JINING)], out=out, err=err)
    assert code == 0
    assert "within 3 working days after 文件发布" in out.getvalue()
    assert "15 tasks in 5 sections" in out.getvalue()
    assert out.getvalue().endswith("\nwarnings:\n"
                                   "  - task 9: task text says 定期 (regularly) without a period: set the period "
                                   "with `tracker rule`\n"
                                   "  - task 12: task text says 定期 (regularly) without a period: set the period "
                                   "with `tracker rule`\n"
                                   "  - task 13: task text says 定期 (regularly) without a period: set the period "
                                   "with `tracker rule`\n")


def test_json_is_exactly_the_contract():
    code, out, _ = run(str(JINING), "--json")
    data = json.loads(out)
    assert code == 0
    assert list(data) == ["kind", "title", "issuer", "year", "date_written", "sections", "tasks",
                          "commitments", "statistics", "warnings"]
    task = data["tasks"][5]
    assert list(task) == ["number", "path", "title", "text", "owners", "requirements"]
    assert task["path"] == ["二", "6"]
    assert list(task["requirements"][0]) == [
        "kind", "event", "workdays", "days", "count", "period", "per_owner", "due_day", "month",
        "day", "year_offset", "what", "source"]
    assert (task["requirements"][0]["kind"], task["requirements"][0]["workdays"]) == ("after_event", 3)


def test_annual_report_json_lists_commitments():
    code, out, _ = run(str(SEEDS / "annual_2023_lanzhou_xinqu_minzheng.txt"), "--json")
    data = json.loads(out)
    assert (code, data["kind"], len(data["commitments"])) == (0, "annual_report", 3)
    assert data["statistics"]["通过政府门户网站公开信息"] == 213


@pytest.mark.parametrize(("name", "content"), [
    ("empty.txt", b""),
    ("no_items.txt", "这是一份普通的通知。请各单位认真执行。\n".encode()),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
], ids=["empty", "no_numbered_items", "binary"])
def test_bad_input_is_one_sentence_and_exit_3(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(str(path))
    assert code == 3
    assert out == ""
    assert err.startswith("tracker: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_no_numbered_items_says_what_was_expected(tmp_path, monkeypatch):
    path = tmp_path / "notice.txt"
    path.write_text("这是一份普通的通知。请各单位认真执行。\n", encoding="utf-8")
    _, _, err = run(str(path))
    assert err == f"tracker: {path} 中没有带编号的任务 (一、 / (一) / 1. …); 请确认它是一份工作要点或年度报告。\n"
    monkeypatch.setenv("TRACKER_LANG", "en")
    _, _, err = run(str(path))
    assert "has no numbered items" in err


def test_missing_file(tmp_path):
    code, _, err = run(str(tmp_path / "nope.txt"))
    assert code == 3
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_partly_readable_file_parses_and_lists_what_was_lost(tmp_path):
    data = JINING.read_bytes()
    at = data.index(b"7.")
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes(data[:at + 40] + b"\xff\xfe\x80" + data[at + 40:])
    code, out, _ = run(str(damaged), "--json")
    result = json.loads(out)
    assert code == 0
    assert len(result["tasks"]) == 15
    assert result["warnings"][0] == "5 byte sequence(s) could not be decoded as utf-8 and are shown as �."
    code, out, _ = run(str(damaged))  # the outline lists the same warnings, in Chinese
    assert code == 0
    assert "\n提示:\n  - 有5处字节无法按 utf-8 解码, 已显示为 �。\n" in out
