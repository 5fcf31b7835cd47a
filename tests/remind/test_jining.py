"""The issue's acceptance test: the Jining 2024 plan, parsed and imported, owners assigned, as of 2024-07-01.

Only the owners of task 8 (first policy evaluation due 06-30) and task 12 (Q1 and Q2 website
checks) hear anything; every other unit — though it holds tasks — is quiet.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from remind_helpers import build_db

from tracker.cli import main
from tracker.remind.render import dump_json

JINING = Path(__file__).resolve().parents[1] / "data" / "seeds" / "workplan_2024_jining_minzheng.txt"
PLAN = "2024年济宁市民政局政务公开工作要点"
OWNERS = dict.fromkeys(("1", "2", "3", "4", "5", "9", "10", "11", "13", "14"), (("局办公室",), ()))
OWNERS |= {"6": (("政策法规科",), ("局办公室",)), "7": (("政策法规科",), ()),
           "8": (("政策法规科",), ("局办公室",)), "12": (("信息中心",), ("局办公室",)),
           "15": (("局办公室",), ("养老服务科", "社会事务科"))}
EMAILS = {"局办公室": "office@jining.example", "政策法规科": "law@jining.example",
          "信息中心": "info@jining.example", "养老服务科": "elderly@jining.example",
          "社会事务科": "social@jining.example"}


@pytest.fixture(scope="session")
def jining_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tracker.ingest import read_document
    from tracker.parse import parse

    draft = parse(read_document(JINING).text)
    return build_db(tmp_path_factory.mktemp("jining") / "jining.db", draft, emails=EMAILS, owners=OWNERS)


@pytest.fixture
def jining(jining_template: Path, small_db: Path) -> Path:
    shutil.copyfile(jining_template, small_db)   # small_db: the test's TRACKER_DB and mail settings
    return small_db


def remind(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["remind", *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


EXPECTED_TEXT = f"""\
政务公开提醒 2024-07-01: 逾期3项、临期0项

信息中心 (逾期2项、临期0项)
  [逾期92天] {PLAN} 任务12 推进政府网站和政务新媒体管理 — 每季度 (第1季度) 应于2024-03-31
  [逾期1天] {PLAN} 任务12 推进政府网站和政务新媒体管理 — 每季度 (第2季度) 应于2024-06-30

政策法规科 (逾期1项、临期0项)
  [逾期1天] {PLAN} 任务8 深化重大决策公众参与 — 每年2次 (第1次) 应于2024-06-30

督办: 逾期超过5个工作日 1项
  [逾期92天] {PLAN} 任务12 推进政府网站和政务新媒体管理 — 每季度 (第1季度) 应于2024-03-31 — 信息中心
"""


def item(task, title, rule, key, due, days_late, workdays_late, owner, rule_no=1):
    return {"days_late": days_late, "due": due, "key": key, "owner": owner, "plan": PLAN,
            "plan_id": 1, "provisional": False, "rule": rule, "rule_no": rule_no, "status": "overdue",
            "task": task, "title": title, "workdays_late": workdays_late, "workdays_left": None}


Q1 = item("12", "推进政府网站和政务新媒体管理", "每季度", "2024-Q1", "2024-03-31", 92, 63, "信息中心")
Q2 = item("12", "推进政府网站和政务新媒体管理", "每季度", "2024-Q2", "2024-06-30", 1, 1, "信息中心")
Y1 = item("8", "深化重大决策公众参与", "每年2次", "2024-Y1", "2024-06-30", 1, 1, "政策法规科")
EXPECTED_JSON = {
    "as_of": "2024-07-01", "escalate_after": 5, "within": 5, "workday": True,
    "owners": [{"owner": "信息中心", "email": "info@jining.example", "items": [Q1, Q2]},
               {"owner": "政策法规科", "email": "law@jining.example", "items": [Y1]}],
    "escalated": [Q1],
}


def test_text_reminds_the_owners_of_tasks_8_and_12_and_nobody_else(jining):
    assert remind("--as-of", "2024-07-01") == (0, EXPECTED_TEXT, "")


def test_json_exactly(jining):
    code, out, err = remind("--as-of", "2024-07-01", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == EXPECTED_JSON
    assert json.loads(out) == EXPECTED_JSON
    assert out == dump_json(EXPECTED_JSON)  # the frame indented, one item per line (tests/remind/test_json_layout.py)


def test_mail_goes_to_those_owners_only(jining, smtp):
    assert remind("--as-of", "2024-07-01", "--mail")[0] == 0
    recipients = sorted(r for rcpts, _ in smtp.inbox.received for r in rcpts)
    assert recipients == ["coordinator@example.gov.cn", "info@jining.example", "law@jining.example",
                          "leaders@example.gov.cn"]
    [law] = smtp.inbox.to("law@jining.example")
    assert law["Subject"] == "【政务公开提醒】逾期1项、临期0项 — 2024-07-01"


@pytest.mark.parametrize("day", ["2024-07-06", "2024-10-03"])
def test_silent_on_a_saturday_and_a_holiday(jining, day):
    assert remind("--as-of", day) == (0, "", "")


def test_speaks_on_the_make_up_sunday_and_with_every_day(jining):
    code, out, _ = remind("--as-of", "2024-09-29")
    assert code == 0
    assert out.startswith("政务公开提醒 2024-09-29: 逾期3项、临期1项\n")
    assert f"  [剩1个工作日] {PLAN} 任务12 推进政府网站和政务新媒体管理 — 每季度 (第3季度) 应于2024-09-30" in out
    assert remind("--as-of", "2024-07-06", "--every-day")[1].startswith("政务公开提醒 2024-07-06: 逾期3项")


def test_fail_on_overdue_and_after_done_it_is_quiet(jining):
    assert remind("--as-of", "2024-07-01", "--fail-on-overdue")[0] == 1
    for ref, rule, on in (("8", "1", "2024-06-28"), ("12", None, "2024-03-29"), ("12", None, "2024-06-28")):
        args = ["done", ref, "--on", on] + (["--rule", rule] if rule else [])
        assert main(args, out=io.StringIO(), err=io.StringIO()) == 0
    assert remind("--as-of", "2024-07-01", "--fail-on-overdue") == (0, "", "")


def test_two_rules_of_task_13_with_the_same_words_and_key_are_told_apart_by_their_number(jining, smtp):
    """Task 13's two rules both read "每年1次" with key 2024-Y1: they printed two identical lines
    and two identical JSON items. The rule's number (what `tracker done 13 --rule K` takes) tells
    them apart where they would look the same, and nowhere else."""
    code, out, _ = remind("--as-of", "2024-12-27", "--owner", "局办公室")
    assert code == 0
    task13 = [line for line in out.splitlines() if "任务13" in line]
    assert task13 == [f"  [剩2个工作日] {PLAN} 任务13 强化工作保障 — 规则1 每年1次 (第1次) 应于2024-12-31",
                      f"  [剩2个工作日] {PLAN} 任务13 强化工作保障 — 规则2 每年1次 (第1次) 应于2024-12-31"]
    assert "规则" not in out.replace("任务13 强化工作保障 — 规则", "")  # only the ambiguous ones
    en = io.StringIO()
    assert main(["--lang", "en", "remind", "--as-of", "2024-12-27", "--owner", "局办公室"], out=en,
                err=io.StringIO()) == 0
    assert f"  [2 working days left] {PLAN} task 13 强化工作保障 — rule 2 once a year (no. 1) due 2024-12-31" in \
        en.getvalue().splitlines()

    code, out, _ = remind("--as-of", "2024-12-27", "--owner", "局办公室", "--format", "json")
    items = [i for o in json.loads(out)["owners"] for i in o["items"]]
    assert [(i["rule"], i["key"], i["rule_no"]) for i in items if i["task"] == "13"] == [
        ("每年1次", "2024-Y1", 1), ("每年1次", "2024-Y1", 2)]
    assert all("rule_no" in i for i in items)

    assert remind("--as-of", "2024-12-27", "--owner", "局办公室", "--mail")[0] == 0
    [office] = smtp.inbox.to("office@jining.example")
    html = office.get_body(("html",)).get_content()
    assert "<td>规则1 每年1次 (第1次)</td>" in html
    assert "<td>规则2 每年1次 (第1次)</td>" in html
    plain = office.get_body(("plain",)).get_content()
    assert "任务13 强化工作保障 — 规则2 每年1次 (第1次) 应于2024-12-31" in plain
