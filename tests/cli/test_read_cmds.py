"""`tracker plans / tasks / show / log` through tracker.cli.main on a real database, on both engines.

The Jining database is built row by row in SQLite (tests/query/jining_builder.py); for the
PostgreSQL half it is then copied into a fresh PostgreSQL database with `tracker migrate`'s copy,
and again after every change a test makes to it, so both halves read the same facts.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "query"))
from jining_builder import JiningDb  # the read-path tests' database builder (tests/query)

from tracker.cli import main
from tracker.commands.read_cmds import cell_width, fit, render_table
from tracker.i18n import STATUS_GLYPHS


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> JiningDb:
    return JiningDb.build(tmp_path_factory.mktemp("cli") / "jining.db")


class PgJining:
    """The Jining database on PostgreSQL: each builder change is made in SQLite, then copied over."""

    def __init__(self, sqlite: JiningDb, url: str) -> None:
        self.sqlite = sqlite
        self.path = url
        self.sync()

    def sync(self) -> None:
        from sqlalchemy import text

        from tracker.store import open_store
        from tracker.store.transfer import copy_database

        source, target = open_store(str(self.sqlite.path)), open_store(self.path)
        try:
            with source.engine.connect() as src, target.transaction(who="t", action="copy") as session:
                copy_database(src, session)
                session.execute(text("DELETE FROM auditentry WHERE entity = 'migrate'"))  # not the builder's
        finally:
            source.close()
            target.close()

    def __getattr__(self, name: str) -> object:
        found = getattr(self.sqlite, name)
        if not callable(found):
            return found

        def changed(*args: object, **kwargs: object) -> object:
            result = found(*args, **kwargs)
            self.sync()
            return result

        return changed


@pytest.fixture
def jining(template: JiningDb, db_url: str, db_path: Path, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> JiningDb | PgJining:
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    monkeypatch.delenv("TRACKER_LANG", raising=False)
    if db_url == str(db_path):
        return template.copy_to(db_path)
    return PgJining(template.copy_to(tmp_path / "source.db"), db_url)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_tasks_table_shows_status_next_due_and_lines_up(jining):
    code, out, err = run("tasks")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "截至 2024-07-01"
    head = lines[1]
    assert head.split() == ["序号", "工作任务", "责任单位", "规则/时限", "下次到期", "状态"]
    row8 = next(line for line in lines if line.startswith("8 "))
    assert "深化重大决策公众参与" in row8
    assert "局办公室 / 政策法规科" in row8
    assert "每年2次 · 已完成0; 12月31日前" in row8
    assert "2024-06-30 逾期1天" in row8
    assert row8.endswith("✖ 逾期")
    # the status column starts at the same terminal cell on every line (CJK counts two cells)
    column = cell_width(head[:head.index("状态")])
    rows = lines[3:-1]
    assert len(rows) == 15
    starts = {cell_width(r[:max(r.rfind(g) for g in STATUS_GLYPHS.values())]) for r in rows}
    assert starts == {column}
    assert lines[-1].startswith("15项任务 · ✖ 逾期 2")


def test_tasks_due_soon_shows_working_days_left(jining):
    jining.event("6", date(2024, 9, 27))
    code, out, _ = run("tasks", "--as-of", "2024年9月30日", "--status", "临期")
    assert code == 0
    [row] = [line for line in out.splitlines() if line.startswith("6 ")]
    assert "2024-10-08 剩1个工作日" in row
    assert row.endswith("▲ 临期")


@pytest.mark.parametrize("word", ["overdue", "逾期", "OVERDUE"])
def test_status_filter_accepts_codes_and_chinese(jining, word):
    code, out, _ = run("tasks", "--status", word, "--json")
    assert code == 0
    assert [t["number"] for t in json.loads(out)] == ["8", "12"]


def test_unknown_status_names_the_valid_ones(jining):
    code, out, err = run("tasks", "--status", "late")
    assert (code, out) == (2, "")
    assert err == ("tracker: “late”不是有效的状态; 可用的状态: overdue (逾期), due_soon (临期), "
                   "no_update (未报进展), on_track (进行中), done_late (逾期完成), done (已完成), waived (不适用)。\n")
    assert run("--lang", "en", "tasks", "--status", "late")[2] == (
        "tracker: “late” is not a status; valid: overdue (逾期), due_soon (临期), "
        "no_update (未报进展), on_track (进行中), done_late (逾期完成), done (已完成), waived (不适用).\n")


def test_tasks_and_remind_leave_the_garbage_collector_as_they_found_it(jining):
    # `tracker tasks` and `tracker remind` pause the cyclic collector while they work; a process
    # running them in-line (the tests, a script) gets its collector back, after a table, JSON,
    # a digest or an error alike
    import gc

    assert gc.isenabled()
    for argv in (("tasks",), ("tasks", "--json"), ("tasks", "--status", "late"),
                 ("remind", "--as-of", "2024-07-01"), ("remind", "--format", "json"),
                 ("remind", "--as-of", "2024-02-30")):
        run(*argv)
        assert gc.isenabled(), argv
    gc.disable()
    try:
        run("tasks")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_unknown_owner_and_plan_are_one_sentence(jining):
    code, _, err = run("tasks", "--owner", "财务科")
    assert code == 4
    assert err == "tracker: 没有名为“财务科”的单位; 已有的单位: 养老服务科、局办公室、政策法规科。\n"
    assert run("--lang", "en", "tasks", "--owner", "财务科")[2] == (
        "tracker: there is no unit “财务科”; known units: 养老服务科, 局办公室, 政策法规科.\n")
    code, _, err = run("tasks", "--plan", "北京")
    assert code == 4
    assert err == "tracker: 找不到计划“北京”; 已有的计划: 1 (2024年济宁市民政局政务公开工作要点)。\n"
    assert "stored plans: 1 (2024年济宁市民政局政务公开工作要点)" in run("--lang", "en", "tasks", "--plan", "北京")[2]


@pytest.mark.parametrize(("argv", "named"), [
    (("show", "2:1"), "2"), (("tasks", "--plan", "4"), "4"), (("show", "1", "--plan", "0"), "0"),
    (("export", "--plan", "2", "--month", "2024-06"), "2")])
def test_a_plan_number_that_is_no_plan_is_not_found_not_a_digit_of_a_title(jining, argv, named):
    """Plan 1 is "2024年…": its title holds 2, 4 and 0, yet only plan 1 is plan 1."""
    code, out, err = run(*argv)
    assert (code, out) == (4, "")
    assert err == f"tracker: 找不到计划“{named}”; 已有的计划: 1 (2024年济宁市民政局政务公开工作要点)。\n"


def test_owner_filter(jining):
    _code, out, _ = run("tasks", "--owner", "养老服务科", "--json")
    assert [t["number"] for t in json.loads(out)] == ["2", "15"]


def test_tasks_json_shape_for_one_task(jining):
    jining.complete("8", "2024-Y1", date(2024, 7, 1), evidence="http://example.org/pj")
    code, out, _ = run("tasks", "--json", "--as-of", "2024-07-01")
    assert code == 0
    task8 = next(t for t in json.loads(out) if t["number"] == "8")
    assert task8 == {
        "plan": 1,
        "number": "8",
        "key": "1:8",
        "title": "深化重大决策公众参与",
        "section": "三、强化政民互动与公众参与",
        "owners": {"lead": ["局办公室"], "support": ["政策法规科"]},
        "status": "on_track",
        "next_due": "2024-12-31",
        "rules": [
            {"rule": 1, "kind": "recurring", "summary": "每年2次 · 已完成1",
             "source": "原则上每年至少开展2次专题性政策评价工作", "waived": None},
            {"rule": 2, "kind": "deadline", "summary": "12月31日前",
             "source": "年底前将评价结果和运用情况向社会公开", "waived": None},
        ],
        "obligations": [
            {"rule": 1, "key": "2024-Y1", "owner": None, "due": "2024-06-30", "status": "done_late",
             "done_on": "2024-07-01", "provisional": False},
            {"rule": 1, "key": "2024-Y2", "owner": None, "due": "2024-12-31", "status": "on_track",
             "done_on": None, "provisional": False},
            {"rule": 2, "key": "deadline", "owner": None, "due": "2024-12-31", "status": "on_track",
             "done_on": None, "provisional": False},
        ],
        "last_note": None,
        "version": 1,
    }


def test_no_match_is_a_note_not_an_error(jining):
    assert run("tasks", "--status", "waived") == (0, "没有符合条件的任务。\n", "")
    assert run("tasks", "--status", "waived", "--json") == (0, "[]\n", "")


def test_show_prints_rules_obligations_events_and_notes(jining):
    jining.event("6", date(2024, 9, 27), ref="济民发〔2024〕12号")
    jining.note("6", "解读材料已随文报送", date(2024, 9, 27))
    code, out, err = run("show", "6", "--as-of", "2024-10-09")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "1:6  推进政策解读规范化  [✖ 逾期]"
    assert "计划: 2024年济宁市民政局政务公开工作要点 · 二、深化政策公开与解读回应" in lines
    assert "  1. 文件发布后3个工作日" in lines
    assert any("应于2024-10-08  ✖ 逾期  逾期1天  济民发〔2024〕12号" in line for line in lines)
    assert "  2024-09-27  济民发〔2024〕12号" in lines
    assert "  2024-09-27  解读材料已随文报送  (test)" in lines


def test_show_in_english(jining):
    code, out, _ = run("--lang", "en", "show", "1:8")
    assert code == 0
    assert out.splitlines()[0] == "1:8  深化重大决策公众参与  [✖ overdue]"
    assert "  1. 2 times a year · done 0" in out
    assert "2024-Y1  due 2024-06-30  ✖ overdue  1 day late" in out


def test_show_words_an_obligations_note_in_the_users_language(jining):
    # an event counted into 2027, a year the calendar package has no holidays for: the stored note
    # is the schedule's English; show words it, JSON for scripts carries no wording of it
    jining.event("6", date(2026, 12, 30), ref="济民发〔2026〕9号")
    code, out, err = run("show", "6", "--as-of", "2026-12-31")
    assert (code, err) == (0, "")
    assert ("     event:1  应于2027-01-04  ▲ 临期  剩2个工作日  [暂定] 济民发〔2026〕9号; 日历包没有2027年的节假日安排 (国务院办公厅每年11月公布): "
            "仅按周末计算; 请用 `tracker calendar set` 补充") in out
    assert "no holiday data" not in out
    code, out, _ = run("--lang", "en", "show", "6", "--as-of", "2026-12-31")
    assert code == 0
    assert ("     event:1  due 2027-01-04  ▲ due soon  2 working days left  [provisional] 济民发〔2026〕9号; no holiday data for 2027 (the State Council "
            "publishes it each November): counted on weekends only; add the arrangement with `tracker calendar set`"
            ) in out


def test_show_unknown_task_names_the_valid_numbers(jining):
    code, out, err = run("show", "16")
    assert (code, out) == (4, "")
    assert err == ("tracker: 计划 1 中没有任务“16”; 有效的编号: "
                   "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15。\n")
    assert run("--lang", "en", "show", "16")[2] == ("tracker: there is no task “16” in plan 1; valid numbers: "
                                                   "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15.\n")


def test_plans(jining):
    code, out, _ = run("plans")
    assert code == 0
    assert "2024年济宁市民政局政务公开工作要点" in out
    assert "15项任务" in out
    code, out, _ = run("plans", "--json")
    assert json.loads(out) == [{"id": 1, "title": "2024年济宁市民政局政务公开工作要点", "kind": "workplan",
                                "issuer": "济宁市民政局", "year": 2024, "tasks": 15}]


def test_log(jining):
    assert run("log") == (0, "还没有任何记录。\n", "")
    jining.audit("a1", "2024-07-02 10:00:00.123456", "done", "completion", 1, "{}", "已记录完成: 任务8")
    jining.audit("a2", "2024-07-03 10:00:00", "undo", "completion", 1, "{}", "撤销: 已记录完成")
    code, out, _ = run("log", "--limit", "1")
    assert (code, out) == (0, "2024-07-03 10:00  test  撤销  撤销: 已记录完成\n")
    assert run("--lang", "en", "log", "--limit", "1")[1] == "2024-07-03 10:00  test  undo  撤销: 已记录完成\n"
    code, out, _ = run("log", "--json")
    assert [(e["action"], e["summary"]) for e in json.loads(out)] == [
        ("undo", "撤销: 已记录完成"), ("done", "已记录完成: 任务8")]


def test_log_words_the_stored_action_and_an_undos_action_in_the_users_language(jining):
    """The stored action is the command's name ("note", "undo"; older trackers and undo read it);
    the log shows it, and the action an undo names, in Chinese unless --lang en."""
    jining.audit("a1", "2024-07-02 10:00:00", "note", "progressnote", 1, "{}", "任务8: 进展 已选定")
    jining.audit("a2", "2024-07-03 10:00:00", "undo", "action", 1, "{}",
                 "撤销: note (任务8: 进展 已选定; 张三 2024-07-02 10:00)")
    jining.audit("a3", "2024-07-04 10:00:00", "calendar", "calendaroverride", 1, "{}", "日历: 2024-10-08 放假")
    assert run("log")[1].splitlines() == [
        "2024-07-04 10:00  test  日历调整  日历: 2024-10-08 放假",
        "2024-07-03 10:00  test  撤销  撤销: 进展 (任务8: 进展 已选定; 张三 2024-07-02 10:00)",
        "2024-07-02 10:00  test  进展  任务8: 进展 已选定"]
    assert run("--lang", "en", "log")[1].splitlines() == [
        "2024-07-04 10:00  test  calendar  日历: 2024-10-08 放假",
        "2024-07-03 10:00  test  undo  撤销: note (任务8: 进展 已选定; 张三 2024-07-02 10:00)",
        "2024-07-02 10:00  test  note  任务8: 进展 已选定"]
    assert [e["action"] for e in json.loads(run("log", "--json")[1])] == ["calendar", "undo", "note"]


def test_a_read_commands_error_is_chinese_and_english_with_lang_en(jining):
    assert run("log", "--limit", "0") == (2, "", "tracker: --limit 应为 1 或更大的数, 不能是 0。\n")
    assert run("--lang", "en", "log", "--limit", "0") == (2, "", "tracker: --limit must be 1 or more, not 0.\n")


def test_an_empty_database_says_how_to_fill_it(tmp_path):
    from jining_builder import create_schema

    empty = tmp_path / "empty.db"
    create_schema(empty)
    assert run("--db", str(empty), "tasks") == (
        0, "还没有导入计划; 请先运行 `tracker import FILE` 或 `tracker demo`。\n", "")
    assert run("--db", str(empty), "--lang", "en", "plans") == (
        0, "No plan stored yet; run `tracker import FILE` or `tracker demo`.\n", "")
    code, _, err = run("--db", str(empty), "show", "8")
    assert code == 4
    assert err == "tracker: 还没有导入计划; 请先运行 `tracker import FILE` 或 `tracker demo`。\n"
    assert run("--db", str(empty), "--lang", "en", "show", "8")[2] == (
        "tracker: no plan is stored yet; run `tracker import FILE` or `tracker demo` first.\n")


def test_a_missing_database_is_one_sentence(tmp_path):
    missing = tmp_path / "none.db"
    code, out, err = run("--db", str(missing), "tasks")
    assert (code, out) == (5, "")
    assert err == f"tracker: 找不到数据库 {missing}; 请先运行 `tracker import FILE` 或 `tracker demo`。\n"
    code, out, err = run("--lang", "en", "--db", str(missing), "tasks")
    assert (code, out) == (5, "")
    assert err == f"tracker: no database at {missing}; run `tracker import FILE` or `tracker demo` first.\n"


def test_a_waiver_in_show(jining):
    jining.waive("12", reason="网站改版停更", at=datetime(2024, 6, 1, 9))
    code, out, _ = run("show", "12")
    assert code == 0
    assert "     不适用: 网站改版停更" in out.splitlines()


def test_fit_counts_cjk_as_two_cells():
    assert fit("政务公开", 6) == "政务… "   # cut, then padded to exactly 6 cells
    assert fit("政务公开", 8) == "政务公开"
    assert fit("ab", 4) == "ab  "


def reference_width(text: str) -> int:
    """The definition: per character, 0 for a combining mark, 2 for East Asian wide/full-width, else 1."""
    import unicodedata

    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
               for c in text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_cell_width_is_the_per_character_definition(text):
    assert cell_width(text) == reference_width(text)


def test_cell_width_of_mixed_document_text():
    for text in ("济宁市民政局办公室 / 政策法规科", "每月 · 已完成11; 每季度", "2024-06-30 逾期1天", "✖ 逾期",
                 "（一）“放管服”改革…", "ｆｕｌｌ ｗｉｄｔｈ ｶﾀｶﾅ", "e\u0301 combining", "𠀀𪚥 ext-B", "한국어"):
        assert cell_width(text) == reference_width(text), text


def reference_fit(text: str, width: int) -> str:
    """The definition of a cell: on one line; when wider than `width`, the characters that fit in
    `width - 1` cells, taken one by one, then "…"; padded with spaces to `width`."""
    text = " ".join(text.split())
    used = reference_width(text)
    if used > width:
        kept, used = "", 0
        for char in text:
            if used + reference_width(char) > width - 1:
                break
            kept, used = kept + char, used + reference_width(char)
        text, used = kept + "…", used + 1
    return text + " " * (width - used)


def reference_table(heads: list[str], rows: list[list[str]], limits: list[int]) -> str:
    """The definition of a table: columns as wide as their widest cell (capped), each cell fitted."""
    table = [heads, *rows]
    widths = [min(limit, max(reference_width(" ".join(row[i].split())) for row in table))
              for i, limit in enumerate(limits)]
    lines = ["  ".join(reference_fit(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table]
    lines.insert(1, "  ".join("─" * w for w in widths))
    return "\n".join(lines)


# document text: ASCII, CJK and its punctuation, full-width forms, narrow symbols of the lists,
# combining marks, wide characters outside the CJK blocks, spaces of every kind — or anything
MIXED = st.text(alphabet=st.one_of(
    st.sampled_from("ab Z9;/\t\n·“”…—─✖▲政务公开济宁市（）。、《》〇ｆｗ\u3000\u0301\u20dd한𠀀😀ｶ"),
    st.characters(blacklist_categories=("Cs",))), max_size=40)


@settings(max_examples=400, deadline=None)
@given(MIXED, st.integers(min_value=0, max_value=45))
def test_fit_is_the_per_character_definition(text, width):
    assert fit(text, width) == reference_fit(text, width)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_table_is_its_cells_fitted_one_by_one(data):
    pool = data.draw(st.lists(MIXED, min_size=1, max_size=6))  # cells repeat, as units and rules do
    cell = st.one_of(st.sampled_from(pool), MIXED)
    heads = data.draw(st.lists(cell, min_size=1, max_size=4))
    rows = data.draw(st.lists(st.lists(cell, min_size=len(heads), max_size=len(heads)), max_size=8))
    limits = data.draw(st.lists(st.integers(min_value=1, max_value=30), min_size=len(heads), max_size=len(heads)))
    assert render_table(heads, rows, limits) == reference_table(heads, rows, limits)


def test_tasks_imports_no_orm_ui_or_spreadsheet(jining):
    probe = ("import sys\nfrom tracker.cli import main\n"
             "code = main(['tasks', '--status', 'overdue', '--as-of', '2024-07-01'])\n"
             "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
             "{'sqlalchemy', 'sqlmodel', 'textual', 'openpyxl', 'pydantic', 'rich'})\n"
             "print('HEAVY', code, heavy)")
    env = {**os.environ, "TRACKER_DB": str(jining.path)}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                            check=True)
    assert "✖ 逾期" in result.stdout  # it did run the command
    assert result.stdout.splitlines()[-1] == "HEAVY 0 []"


def test_a_date_that_does_not_exist_is_refused(jining):
    assert run("tasks", "--as-of", "2024-02-30") == (2, "", "tracker: 日历上没有 2024-02-30 这一天。\n")
    assert run("--lang", "en", "tasks", "--as-of", "2024-02-30") == (
        2, "", "tracker: 2024-02-30 does not exist on the calendar.\n")
    code, _, err = run("tasks", "--within", "-1")
    assert (code, err) == (2, "tracker: --within 应为 0 到 366 之间的工作日数, 不能是 -1。\n")
    code, _, err = run("--lang", "en", "tasks", "--within", "-1")
    assert (code, err) == (2, "tracker: --within takes a number of working days from 0 to 366, not -1.\n")
    code, _, err = run("tasks", "--as-of", "2024年13月")
    assert (code, err) == (2, "tracker: “2024年13月”不是日期; 请用 2024-10-08, 2024/10/8, 2024年10月8日, 10月8日, "
                              "today/今天 或 yesterday/昨天。\n")


@pytest.mark.parametrize(("args", "said", "said_en"), [
    (("--as-of", "9999-12-31"), "tracker: 9999-12-31 超出范围; tracker 只接受 1900–2199 年的日期。\n",
     "tracker: 9999-12-31 is out of range; tracker takes dates in 1900–2199.\n"),
    (("--as-of", "0001-01-01"), "tracker: 0001-01-01 超出范围; tracker 只接受 1900–2199 年的日期。\n",
     "tracker: 0001-01-01 is out of range; tracker takes dates in 1900–2199.\n"),
    (("--within", "10000000"), "tracker: --within 应为 0 到 366 之间的工作日数, 不能是 10000000。\n",
     "tracker: --within takes a number of working days from 0 to 366, not 10000000.\n"),
])
def test_dates_and_windows_beyond_any_plan_are_refused(jining, args, said, said_en):
    """9999-12-31 parsed, then the day after it overflowed inside the query (exit 70); a window of
    ten million working days counted for seconds, then overflowed."""
    assert run("tasks", *args) == (2, "", said)
    assert run("--lang", "en", "tasks", *args) == (2, "", said_en)
    if args[0] == "--as-of":
        assert run("show", "8", *args) == (2, "", said)


def test_a_bad_tracker_today_is_one_sentence(jining, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-1")
    code, out, err = run("tasks")
    assert (code, out) == (2, "")
    assert err == "tracker: TRACKER_TODAY “2024-07-1”不是 ISO 日期 (如 2024-07-01); 取消这个环境变量即可使用今天的日期。\n"
    code, out, err = run("--lang", "en", "tasks")
    assert (code, out) == (2, "")
    assert err == "tracker: TRACKER_TODAY “2024-07-1” is not an ISO date (2024-07-01); unset it to use today's date.\n"


class _Terminal(io.StringIO):
    """What a terminal receives (the only kind of stream that obeys control characters)."""

    def isatty(self) -> bool:
        return True


def _on_terminal(*argv: str) -> tuple[int, str, str]:
    out, err = _Terminal(), _Terminal()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_control_characters_in_what_people_typed_are_shown_not_obeyed(jining):
    """A note, evidence or unit name can carry an escape sequence (typed, pasted, or returned in
    an office's ledger): printed raw on a terminal it would clear the coordinator's screen or
    retitle the window. Every command shows it as its escape instead; a note of several lines
    stays under its date in `show` and on one line in `log`. A file or pipe gets the text as stored."""
    clear_screen = "x\x1b[2J\x1b[31mRED"
    assert run("note", "8", f"{clear_screen}\nsecond line")[0] == 0
    assert run("done", "12", "--rule", "1", "--on", "2024-06-28", "--evidence", "a\x1b]0;pwned\x07b")[0] == 0
    assert clear_screen in run("show", "8")[1]  # not a terminal: as stored
    outputs = [_on_terminal(*argv)[1] for argv in (("show", "8"), ("show", "12"), ("log",), ("tasks",))]
    for out in outputs:
        assert "\x1b" not in out
        assert "\x07" not in out
    show8, show12, log, _ = outputs
    assert "x\\x1b[2J\\x1b[31mRED" in show8
    note = next(i for i, line in enumerate(show8.splitlines()) if "RED" in line)
    assert show8.splitlines()[note + 1] == " " * 14 + "second line  (coordinator)"
    assert "a\\x1b]0;pwned\\x07b" in show12
    assert "RED ↵ second line" in log
    assert json.loads(run("show", "8", "--json")[1])["notes"][0]["text"] == f"{clear_screen}\nsecond line"


def test_english_says_one_day_and_one_task_in_the_singular(jining):
    """"1 days late", "1 tasks" read as mistakes to an English reader; Chinese has no plural."""
    code, out, _ = run("--lang", "en", "tasks", "--plan", "1", "--status", "overdue", "--owner", "局办公室")
    assert code == 0
    assert "2024-06-30 1 day late" in out
    assert "1 days" not in out
    assert run("tasks", "--status", "overdue", "--owner", "局办公室")[1].count("逾期1天") >= 1
    code, out, _ = run("--lang", "en", "tasks", "--status", "overdue", "--owner", "政策法规科")
    assert (code, out.splitlines()[-1]) == (0, "1 task · ✖ overdue 1")
    from tracker.i18n import label

    assert label("workdays_left", "en", n=1) == "1 working day left"
    assert label("workdays_left", "en", n=2) == "2 working days left"
    assert label("workdays_left", "zh", n=1) == "剩1个工作日"
