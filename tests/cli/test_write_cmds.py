"""The write commands through tracker.cli.main on a real database — a SQLite file and a PostgreSQL
database (the `plan` fixture runs each test on both): one line each, errors one sentence."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from db_rows import rows, tables

from tracker.cli import main

JINING = Path(__file__).resolve().parents[1] / "data" / "seeds" / "workplan_2024_jining_minzheng.txt"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def q(db: Path | str, sql: str, *params: object) -> list[tuple]:
    return rows(db, sql, *params)


def dump(db: Path | str) -> dict[str, list[tuple]]:
    names = [n for n in tables(db) if n != "auditentry"]
    return {n: sorted(q(db, f'SELECT * FROM "{n}"'), key=repr) for n in names if n != "obligation"} | {
        "obligation": sorted(q(db, "SELECT requirement_id, key, due, owner FROM obligation"), key=repr)}


def _import(db):
    code, _, err = cli("import", str(JINING))
    assert code == 0, err
    return db


@pytest.fixture
def plan(db_url, monkeypatch):
    """The Jining plan imported through the CLI, on each engine (TRACKER_DB points at it)."""
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    monkeypatch.setenv("USER", "zhang")
    return _import(db_url)


@pytest.fixture
def sqlite_plan(db_path, monkeypatch):
    """The same on a SQLite file only (for SQLite's own locking)."""
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    monkeypatch.setenv("USER", "zhang")
    return _import(db_path)


def test_done_late_and_on_time(plan):
    assert cli("done", "8", "--rule", "1") == (
        0, "已记录完成: 任务8 规则1 (2024-Y1, 应于2024-06-30) 完成于2024-07-01 — 逾期完成\n", "")
    assert cli("--lang", "en", "done", "12", "--on", "2024/3/28", "--evidence", "检查记录", "--by", "li") == (
        0, "recorded done: task 12 rule 1 (2024-Q1, due 2024-03-31) on 2024-03-28 — on time\n", "")
    assert q(plan, "SELECT obligation_key, done_on, evidence, recorded_by FROM completion ORDER BY id") == [
        ("2024-Y1", "2024-07-01", None, "zhang"), ("2024-Q1", "2024-03-28", "检查记录", "li")]


def test_done_needs_a_rule_when_there_are_several(plan):
    code, out, err = cli("done", "8")
    assert (code, out) == (2, "")
    assert err.startswith("tracker: 任务8有 2 条规则; 请用 --rule K 选择要登记完成的规则: 1: 每年2次")
    assert "2: 12月31日前" in err
    assert cli("--lang", "en", "done", "8")[2].startswith(
        "tracker: task 8 has 2 rules; choose one with --rule K to mark done — 1: 每年2次")


@pytest.mark.parametrize(("argv", "code", "message"), [
    (("done", "99"), 4, "tracker: 计划 1 中没有任务“99”; 有效的编号: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "
                        "11, 12, 13, 14, 15。\n"),
    (("done", "12", "--on", "2024-02-30"), 2, "tracker: 日历上没有 2024-02-30 这一天。\n"),
    (("done", "12", "--on", "2023-12-01"), 2, "tracker: 完成日期 2023-12-01 早于计划年度 2024; 请核对完成日期。\n"),
    (("done", "2:12"), 4, "tracker: 找不到计划“2”; 已有的计划: 1 (2024年济宁市民政局政务公开工作要点)。\n"),
    (("event", "8", "--on", "2024-09-27"), 2, "tracker: 任务8没有由事件触发的规则; 请用 `tracker rule 8 --add …` "
                                              "添加。\n"),
    (("note", "8", " "), 2, "tracker: 进展内容为空; 请写明做了什么, 如 `tracker note 8 \"已完成第一次评价\"`。\n"),
    (("waive", "8", "--rule", "7", "--reason", "x"), 4, None),
    (("rule", "8", "--add", "--kind", "recurring", "--count", "2"), 2, "tracker: recurring 规则需要 --period。\n"),
    (("rule", "12", "--add", "--kind", "deadline"), 2, "tracker: deadline 规则需要 --deadline MM-DD。\n"),
    (("rule", "12", "--add", "--kind", "after_event"), 2, "tracker: after_event 规则需要 --workdays N 或 --days N。\n"),
    (("rule", "12", "--add", "--kind", "recurring"), 2, "tracker: recurring 规则需要 --count, --period。\n"),
    (("rule", "8", "--rule", "2", "--deadline", "13月"), 2, "tracker: --deadline “13月”不是 MM-DD 格式; "
                                                            "请写成如 --deadline 12-31。\n"),
    (("owners", "财务科", "--email", "a@b.cn"), 4, None),
    (("owners", "--email", "a@b.cn"), 2, "tracker: --email 需要指定是哪个单位的邮箱: "
                                        "`tracker owners UNIT --email a@b.cn`。\n"),
    (("done", "12", "--on", "2099-01-01"), 2, "tracker: 完成日期 2099-01-01 晚于今天 (2024-07-01); "
                                              "请在发生后再登记。\n"),
    (("done", "12", "--on", "tomorrow"), 2, "tracker: 完成日期 2024-07-02 晚于今天 (2024-07-01); "
                                            "请在发生后再登记。\n"),
    (("done", "12", "--on", "12月28日"), 2, "tracker: “12月28日”按今年算是 2024-12-28, 晚于今天 (2024-07-01); "
                                           "请写上年份, 如 2023年12月28日。\n"),
    (("done", "12", "--on", ""), 2, None),
    (("note", "8", "已完成", "--on", "2024-07-02"), 2, "tracker: 进展日期 2024-07-02 晚于今天 "
                                                     "(2024-07-01); 请在发生后再登记。\n"),
    (("note", "8", "已完成", "--on", ""), 2, None),
    (("done", "12", "--key", "2024-Q9"), 4, "tracker: 任务12的规则1没有事项“2024-Q9”; 未完成的事项: "
                                           "2024-Q1, 2024-Q2, 2024-Q3, 2024-Q4。\n"),
    (("done", "12", "--owner", "局办公室"), 2, "tracker: 任务12的规则1是各单位共同的一个事项, 不是每个单位各一个; "
                                             "请去掉 --owner。\n"),
])
def test_bad_input_is_one_sentence_and_writes_nothing(plan, argv, code, message):
    before = dump(plan)
    got_code, out, err = cli(*argv)
    assert (got_code, out) == (code, "")
    if message:
        assert err == message
    assert err.startswith("tracker: ")
    assert err.count("\n") == 1
    assert dump(plan) == before


@pytest.mark.parametrize(("argv", "code", "zh", "en"), [
    (("done", "99"), 4, "tracker: 计划 1 中没有任务“99”; 有效的编号: 1, 2, 3",
     "tracker: there is no task “99” in plan 1; valid numbers: 1, 2, 3"),
    (("rule", "12", "--add", "--kind", "after_event"), 2, "tracker: after_event 规则需要 --workdays N 或 --days N。\n",
     "tracker: an after_event rule needs --workdays N or --days N.\n"),
    (("waive", "13", "--lift", "--reason", "x"), 2, "tracker: --reason (设为不适用) 和 --lift (解除不适用) 只能选一个。\n",
     "tracker: choose --reason (waive) or --lift (lift a waiver), not both.\n"),
    (("rule", "8", "--add", "--remove"), 2, "tracker: --add 和 --remove 只能选一个。\n",
     "tracker: choose --add or --remove, not both.\n"),
    (("owners", "财务科", "--email", "a@b.cn"), 4, "tracker: 没有名为“财务科”的单位; 已有的单位: 暂无 (请先指定责任单位)。\n",
     "tracker: no unit named “财务科”; the units are none yet (assign owners first).\n"),
    (("waive", "12", "--lift"), 2, "tracker: 任务12没有设为不适用的规则, 无需解除。\n",
     "tracker: no rule of task 12 is waived; there is no waiver to lift.\n"),
])
def test_a_write_commands_error_is_chinese_and_english_with_lang_en(plan, argv, code, zh, en):
    """The same refusal, same facts (the task, the options to use), in each language; nothing written."""
    before = dump(plan)
    got_code, out, err = cli(*argv)
    assert (got_code, out) == (code, "")
    assert err.startswith(zh), err
    got_code, out, err = cli("--lang", "en", *argv)
    assert (got_code, out) == (code, "")
    assert err.startswith(en), err
    assert dump(plan) == before


def test_nothing_to_undo_and_undo_says_the_action_in_the_users_language(plan):
    assert cli("note", "8", "测试进展")[0] == 0
    code, out, err = cli("undo")
    assert (code, err) == (0, "")
    assert out.startswith("已撤销: 进展 (任务8: 进展 测试进展; zhang ")
    assert cli("note", "8", "第二条")[0] == 0
    assert cli("--lang", "en", "undo")[1].startswith("undone: note (任务8: 进展 第二条; zhang ")
    log = cli("log", "--limit", "2")[1].splitlines()
    assert "  zhang  撤销  撤销: 进展 (任务8: 进展 第二条; zhang 2" in log[0]
    assert log[1].endswith("  zhang  进展  任务8: 进展 第二条  [已撤销]")
    log_en = cli("--lang", "en", "log", "--limit", "2")[1].splitlines()
    assert "  zhang  undo  撤销: note (任务8: 进展 第二条; zhang 2" in log_en[0]
    assert log_en[1].endswith("  zhang  note  任务8: 进展 第二条  [undone]")
    assert q(plan, "SELECT DISTINCT action FROM auditentry WHERE action != 'import' ORDER BY action") == [
        ("note",), ("undo",)]  # what is stored stays the command's name; only its display is worded


def test_event_gives_the_due_date(plan):
    code, out, err = cli("event", "6", "--on", "2024-09-27", "--ref", "济民发〔2024〕12号")
    assert code == 0
    assert out == "已记录事件: 任务6 2024-09-27 济民发〔2024〕12号 — 规则1 应于2024-10-08\n"
    # today is 2024-07-01: recorded (a date announced ahead), with a warning, since a mistyped year is likelier
    assert err == ("注意: 事件日期 2024-09-27 晚于今天 (2024-07-01); 已记录, 但在 2024-09-27 之前的状态和提醒中不计入。"
                   "如果年份写错了, 可用 `tracker undo` 撤销。\n")
    code, _, err = cli("--lang", "en", "event", "6", "--on", "2024-06-27")
    assert (code, err) == (0, "")  # a past event: no warning
    code, _, err = cli("--lang", "en", "event", "6", "--on", "2025-06-27")
    assert code == 0
    assert err.startswith("warning: the event's date 2025-06-27 is after today (2024-07-01); it is recorded")


def test_a_task_reference_and_plan_that_disagree_are_refused(plan, tmp_path):
    """`note 1:8 --plan 2` wrote to plan 1's task 8 while the user named plan 2; reads and writes
    now refuse the contradiction (and accept --plan when it names the same plan)."""
    second = tmp_path / "2025.txt"
    second.write_text(JINING.read_text(encoding="utf-8").replace("2024年", "2025年"), encoding="utf-8")
    assert cli("import", str(second))[0] == 0
    before = dump(plan)
    for argv in (("note", "1:8", "测试", "--plan", "2"), ("show", "1:8", "--plan", "2025")):
        assert cli(*argv) == (2, "", "tracker: “1:8”指的是计划 1, 而 --plan 指的是计划 2; 请只给其中之一, 或让二者一致。\n")
    assert cli("--lang", "en", "done", "1:12", "--plan", "2")[2] == (
        "tracker: “1:12” names plan 1, but --plan names plan 2; give one of them, or make them agree.\n")
    assert dump(plan) == before
    assert cli("note", "1:8", "测试", "--plan", "2024")[0] == 0  # the same plan: fine


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_write_refuses_an_unclear_plan_as_a_read_does(plan, tmp_path, lang):
    """Two plans: `done 8` named none (or one fitting both) and exited 4 (not found) with its own
    sentence, where `show 8` exits 2 (usage); now the same sentence and exit code for both."""
    second = tmp_path / "2025.txt"
    second.write_text(JINING.read_text(encoding="utf-8").replace("2024年", "2025年"), encoding="utf-8")
    assert cli("import", str(second))[0] == 0
    for extra, code in (((), 2), (("--plan", "济宁"), 2), (("--plan", "2023"), 4)):
        read = cli("--lang", lang, "show", "8", *extra)
        write = cli("--lang", lang, "done", "8", "--rule", "1", *extra)
        assert write == read
        assert write[:2] == (code, "")
    listing = "2 (2025年济宁市民政局政务公开工作要点); 1 (2024年济宁市民政局政务公开工作要点)"
    if lang == "zh":
        assert cli("done", "8")[2] == f"tracker: 已有 2 个计划; 请用 --plan 或 PLAN:NUMBER 选择一个: {listing}。\n"
        assert cli("done", "8", "--plan", "济宁")[2] == f"tracker: “济宁”对应 2 个计划; 请用计划的 ID: {listing}。\n"
        assert cli("done", "8", "--plan", "2023")[2] == f"tracker: 找不到计划“2023”; 已有的计划: {listing}。\n"
    else:
        assert cli("--lang", "en", "done", "8")[2] == (
            f"tracker: 2 plans are stored; choose one with --plan or PLAN:NUMBER: {listing}.\n")
    assert q(plan, "SELECT count(*) FROM completion") == [(0,)]


def test_event_in_a_year_without_calendar_data_says_provisional(db_path, monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_TODAY", "2031-03-09")
    plan = tmp_path / "2031.txt"
    plan.write_text(JINING.read_text(encoding="utf-8").replace("2024年", "2031年"), encoding="utf-8")
    assert cli("import", str(plan))[0] == 0
    code, out, _ = cli("--lang", "en", "event", "6", "--on", "2031-03-07", "--ref", "X〔2031〕1号")
    assert code == 0
    assert out.startswith("event logged: task 6 2031-03-07 X〔2031〕1号 — rule 1 due 2031-03-12 (provisional: "
                          "no holiday data for 2031")


def test_event_in_a_year_without_calendar_data_says_why_in_chinese(db_path, monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_TODAY", "2031-03-09")
    plan = tmp_path / "2031.txt"
    plan.write_text(JINING.read_text(encoding="utf-8").replace("2024年", "2031年"), encoding="utf-8")
    assert cli("import", str(plan))[0] == 0
    assert cli("event", "6", "--on", "2031-03-07", "--ref", "X〔2031〕1号") == (0, (
        "已记录事件: 任务6 2031-03-07 X〔2031〕1号 — 规则1 应于2031-03-12 (暂定: 日历包没有2031年的节假日安排 "
        "(国务院办公厅每年11月公布): 仅按周末计算; 请用 `tracker calendar set` 补充)\n"), "")
    # what is stored stays the schedule's English (tracker check compares it)
    assert q(db_path, "SELECT note FROM obligation WHERE key LIKE 'event:%'") == [(
        "X〔2031〕1号; no holiday data for 2031 (the State Council publishes it each November): counted on "
        "weekends only; add the arrangement with `tracker calendar set`",)]


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "已记录事件: 任务6 2024-09-27 — 规则2 应于2024-10-08 (未指定责任单位)\n"),
    ("en", "event logged: task 6 2024-09-27 — rule 2 due 2024-10-08 (no owner assigned)\n"),
])
def test_event_on_a_per_owner_rule_of_a_task_without_units_says_so_once(plan, lang, said, monkeypatch):
    # one obligation per unit; with none yet, one obligation noted "no owner assigned" — not provisional
    monkeypatch.setenv("TRACKER_TODAY", "2024-09-30")  # the event has happened
    assert cli("rule", "6", "--add", "--kind", "after_event", "--workdays", "3", "--per-owner", "yes")[0] == 0
    assert q(plan, "SELECT count(*) FROM taskowner tow JOIN task t ON t.id = tow.task_id WHERE t.number = '6'") == [(0,)]
    assert cli("--lang", lang, "event", "6", "--on", "2024-09-27", "--rule", "2") == (0, said, "")


def test_event_on_a_per_owner_rule_names_each_due_date_once(plan, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2024-09-30")  # the event has happened
    assert cli("rule", "6", "--add", "--kind", "after_event", "--workdays", "3", "--per-owner", "yes")[0] == 0
    assert cli("assign", "6", "--lead", "局办公室", "--support", "政策法规科")[0] == 0
    assert cli("event", "6", "--on", "2024-09-27", "--rule", "2") == (
        0, "已记录事件: 任务6 2024-09-27 — 规则2 应于2024-10-08\n", "")
    assert q(plan, "SELECT count(*) FROM obligation WHERE key LIKE 'event:%#%'") == [(2,)]  # one per unit


def test_note_assign_waive_rule_owners(plan):
    assert cli("note", "8", "已选定评价对象", "--on", "6月30日") == (0, "已添加进展: 任务8 (2024-06-30)\n", "")
    assert cli("assign", "15", "--lead", "局办公室", "--support", "政策法规科、养老服务科") == (
        0, "已设置责任单位: 任务15 牵头 局办公室; 配合 政策法规科、养老服务科\n", "")
    assert q(plan, "SELECT count(*) FROM obligation o JOIN task t ON t.id = o.task_id WHERE t.number = '15'") == [(3,)]
    assert cli("waive", "13", "--rule", "2", "--reason", "重复") == (0, "已设为不适用: 任务13 规则2 (重复)\n", "")
    assert cli("rule", "8", "--add", "--kind", "deadline", "--deadline", "09-30", "--what", "中期评估") == (
        0, "已新增规则: 任务8 规则3\n", "")
    assert q(plan, "SELECT month, day, origin FROM requirement WHERE task_id = 8 AND position = 3") == [(9, 30, "manual")]
    assert cli("rule", "12", "--count", "2") == (0, "已修改规则: 任务12 规则1\n", "")
    assert cli("owners", "局办公室", "--email", "bgs@example.gov.cn") == (
        0, "已设置邮箱: 局办公室 → bgs@example.gov.cn\n", "")
    code, out, _ = cli("owners")
    assert code == 0
    assert out.splitlines() == ["单位\t邮箱\t任务数", "养老服务科\t-\t1", "局办公室\tbgs@example.gov.cn\t1",
                                "政策法规科\t-\t1"]


def test_undo_reverses_the_last_change_exactly(plan):
    cli("done", "12", "--on", "2024-03-28")
    before = dump(plan)
    cli("assign", "15", "--lead", "局办公室", "--support", "政策法规科", "--support", "养老服务科")
    assert dump(plan) != before
    code, out, _ = cli("undo")
    assert code == 0
    assert out.startswith("已撤销: 责任单位 (任务15: ")
    assert dump(plan) == before


def test_no_database_yet(db_path, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    assert cli("done", "8") == (
        5, "", f"tracker: 找不到数据库 {db_path}; 请先运行 `tracker import FILE` 或 `tracker demo`。\n")
    assert cli("--lang", "en", "done", "8") == (
        5, "", f"tracker: no database at {db_path}; run `tracker import FILE` or `tracker demo` first.\n")
    assert not db_path.exists()


def test_corrupt_database(db_path, monkeypatch):
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    code, _, err = cli("note", "8", "x")
    assert code == 5
    assert err == f"tracker: {db_path} 不是 tracker 数据库 (文件已损坏, 或不是 SQLite 数据库)。\n"
    code, _, err = cli("--lang", "en", "note", "8", "x")
    assert code == 5
    assert err == f"tracker: {db_path} is not a tracker database (the file is corrupt or not SQLite).\n"


def test_locked_database_waits_then_says_busy(sqlite_plan):
    """Another writer holds the lock past the 5 s busy timeout: a sentence, exit 5, nothing written."""
    other = sqlite3.connect(sqlite_plan, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = cli("note", "8", "进展")
        english = cli("--lang", "en", "note", "8", "progress")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (code, out, err) == (5, "", "tracker: 数据库正忙: 另一个 tracker 程序正在写入 (如开着的 `tracker tui`、"
                                       "定时运行的 `tracker remind` 或正在进行的导入); 本次操作没有改动任何数据, 请稍后重试。\n")
    assert english == (5, "", "tracker: the database is busy (another tracker is writing); try again\n")
    assert q(sqlite_plan, "SELECT count(*) FROM progressnote") == [(0,)]


def test_database_paths_that_cannot_work(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    assert cli("--db", str(tmp_path), "import", str(JINING)) == (
        5, "", f"tracker: {tmp_path} 是目录, 不是数据库文件; 请用 --db 指定数据库文件。\n")
    assert cli("--lang", "en", "--db", str(tmp_path), "import", str(JINING)) == (
        5, "", f"tracker: {tmp_path} is a directory, not a database file; give a file path with --db.\n")
    code, out, err = cli("--db", str(a_file / "t.db"), "import", str(JINING))
    assert (code, out) == (5, "")
    assert err.startswith(f"tracker: 无法创建数据库 {a_file / 't.db'}: ")
    code, out, err = cli("--lang", "en", "--db", str(a_file / "t.db"), "import", str(JINING))
    assert (code, out) == (5, "")
    assert err.startswith(f"tracker: cannot create the database {a_file / 't.db'}: ")


def test_sqlite_url_works_from_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    url = f"sqlite:///{tmp_path / 'url.db'}"
    assert cli("--db", url, "import", str(JINING))[0] == 0
    assert cli("--db", url, "note", "8", "进展")[0] == 0
    assert q(tmp_path / "url.db", "SELECT text FROM progressnote") == [("进展",)]


def test_owners_json_and_unknown_unit(plan):
    import json

    cli("assign", "8", "--lead", "政策法规科", "--support", "局办公室")
    cli("owners", "政策法规科", "--email", "zcfg@example.gov.cn")
    code, out, _ = cli("owners", "--json")
    assert code == 0
    assert json.loads(out) == [{"name": "局办公室", "email": None, "tasks": 1, "office": "default"},
                               {"name": "政策法规科", "email": "zcfg@example.gov.cn", "tasks": 1, "office": "default"}]
    code, out, err = cli("owners", "财务科")
    assert (code, out) == (4, "")
    assert err.startswith("tracker: 没有名为“财务科”的单位; 已有的单位: 局办公室、政策法规科")
    assert cli("--lang", "en", "owners", "财务科")[2].startswith(
        "tracker: there is no unit “财务科”; known units: 局办公室, 政策法规科")


def test_waiver_counts_from_today(plan):
    cli("waive", "12", "--reason", "网站由市里统一管理")
    assert q(plan, "SELECT reason, created_by, substr(CAST(created_at AS TEXT), 1, 10) FROM waiver") == [
        ("网站由市里统一管理", "zhang", "2024-07-01")]


@pytest.mark.parametrize("argv", [
    ("note", "8", "进展"), ("done", "8", "--rule", "1"), ("event", "6", "--on", "2024-06-03"),
    ("assign", "8", "--lead", "局办公室"), ("waive", "13", "--rule", "1", "--reason", "不适用"),
    ("rule", "13", "--rule", "1", "--count", "2"),
])
def test_expected_version_refuses_a_stale_write_and_writes_nothing(plan, argv):
    import json

    task = argv[1]
    code, out, _ = cli("show", task, "--json")
    version = json.loads(out)["version"]
    cli("note", task, "别人先写了一条")  # someone else, in between
    before = dump(plan)
    code, out, err = cli(*argv, "--expected-version", str(version))
    assert (code, out) == (6, "")
    assert f"任务{task}在你打开后已被他人修改 (版本 {version} → {version + 1}); 请重新加载后再试。" in err
    assert dump(plan) == before
    _, _, err = cli("--lang", "en", *argv, "--expected-version", str(version))
    assert f"task {task} was changed by someone else since you opened it (version {version} → {version + 1})" in err
    assert dump(plan) == before
    code, _, err = cli(*argv, "--expected-version", str(version + 1))  # the fresh version: applied
    assert code == 0, err
    assert json.loads(cli("show", task, "--json")[1])["version"] == version + 2


def test_an_empty_as_of_is_refused_not_read_as_today(plan):
    for argv in (("tasks", "--as-of", ""), ("show", "8", "--as-of", ""), ("export", "--as-of", "")):
        code, out, err = cli(*argv)
        assert (code, out) == (2, ""), argv
        assert err.startswith("tracker: 日期为空; 请用 2024-10-08"), argv
        assert cli("--lang", "en", *argv)[2].startswith("tracker: the date is empty; use 2024-10-08"), argv


def test_a_date_after_today_is_refused_in_the_users_language(plan):
    """The sentence names what was dated in the user's language: 完成记录 / 进展, a completion / a note."""
    assert cli("done", "12", "--on", "2024-07-05")[2] == (
        "tracker: 完成日期 2024-07-05 晚于今天 (2024-07-01); 请在发生后再登记。\n")
    assert cli("--lang", "en", "done", "12", "--on", "2024-07-05")[2] == (
        "tracker: a completion dated 2024-07-05 is after today (2024-07-01); record it once it has happened.\n")
    assert cli("--lang", "en", "note", "8", "x", "--on", "12月28日")[2] == (
        "tracker: “12月28日” was read as 2024-12-28 (this year), which is after today (2024-07-01); "
        "write the year, e.g. 2023年12月28日.\n")


@pytest.fixture
def three_units(plan):
    """Task 15 (各科室、单位年内至少…投稿一篇: one obligation per unit) with three units."""
    assert cli("assign", "15", "--lead", "局办公室", "--support", "政策法规科、养老服务科")[0] == 0
    return plan


def test_done_on_a_per_owner_rule_says_whose_obligation_it_credited(three_units):
    assert cli("done", "15", "--on", "2024-06-10") == (
        0, "已记录完成: 任务15 规则1 (2024-Y1#局办公室, 应于2024-12-31) 完成于2024-06-10 — 按期完成"
           "; 计入局办公室 (另有2个单位未完成, 可用 --owner 指定)\n", "")
    assert cli("--lang", "en", "done", "15", "--on", "2024-06-11")[1].endswith(
        "; credited to 政策法规科 (1 other units still open; choose one with --owner)\n")
    assert cli("done", "15", "--on", "2024-06-12")[1].endswith("按期完成\n")  # the last one: no choice was made


def test_done_owner_credits_that_units_obligation(three_units):
    assert cli("done", "15", "--owner", "养老服务科", "--on", "2024-06-20", "--evidence", "养老服务科投稿") == (
        0, "已记录完成: 任务15 规则1 (2024-Y1#养老服务科, 应于2024-12-31) 完成于2024-06-20 — 按期完成\n", "")
    assert q(three_units, "SELECT obligation_key, evidence FROM completion") == [("2024-Y1#养老服务科", "养老服务科投稿")]
    code, out, err = cli("done", "15", "--owner", "养老服务科")
    assert (code, out, err) == (2, "", "tracker: 养老服务科在任务15的规则1下的事项都已完成。\n")


@pytest.mark.parametrize(("argv", "code", "message", "english"), [
    (("--owner", "财务科"), 4, "“财务科”不是任务15的规则1的单位; 该规则的单位有: 局办公室、政策法规科、养老服务科。",
     "“财务科” is not a unit of rule 1 of task 15; its units are 局办公室、政策法规科、养老服务科."),
    (("--key", "2024-Y1"), 4, "任务15的规则1没有事项“2024-Y1”; 未完成的事项: 2024-Y1#局办公室, "
                              "2024-Y1#政策法规科, 2024-Y1#养老服务科。",
     "rule 1 of task 15 has no obligation “2024-Y1”; its open ones are 2024-Y1#局办公室, "
     "2024-Y1#政策法规科, 2024-Y1#养老服务科."),
    (("--key", "2024-Y1#局办公室", "--owner", "政策法规科"), 2,
     "任务15的规则1的事项 2024-Y1#局办公室 属于局办公室, 不属于政策法规科; 请只给 --key 或 --owner 其中之一。",
     "obligation 2024-Y1#局办公室 of rule 1 of task 15 belongs to 局办公室, not 政策法规科; give --key or --owner, "
     "not both."),
])
def test_done_owner_or_key_that_names_nothing_open_lists_the_valid_ones(three_units, argv, code, message, english):
    before = dump(three_units)
    assert cli("done", "15", *argv) == (code, "", f"tracker: {message}\n")
    assert cli("--lang", "en", "done", "15", *argv) == (code, "", f"tracker: {english}\n")
    assert dump(three_units) == before


def test_done_key_credits_exactly_that_obligation(plan):
    assert cli("done", "12", "--key", "2024-Q2", "--on", "2024-06-01") == (
        0, "已记录完成: 任务12 规则1 (2024-Q2, 应于2024-06-30) 完成于2024-06-01 — 按期完成\n", "")
    assert cli("done", "12", "--key", "2024-Q2") == (2, "", "tracker: 任务12的规则1的事项 2024-Q2 已经完成。\n")


def test_done_before_the_period_begins_is_recorded_with_a_warning(plan):
    code, out, err = cli("done", "12", "--key", "2024-Q2", "--on", "2024-03-20")
    assert (code, out) == (0, "已记录完成: 任务12 规则1 (2024-Q2, 应于2024-06-30) 完成于2024-03-20 — 按期完成\n")
    assert err == ("注意: 2024-Q2 所属期间自2024-04-01开始, 完成日期2024-03-20早于该期间; 如记错了对象, "
                   "用 tracker undo 撤销后以 --key 指定\n")
    assert cli("done", "12", "--key", "2024-Q1", "--on", "2024-03-21") == (
        0, "已记录完成: 任务12 规则1 (2024-Q1, 应于2024-03-31) 完成于2024-03-21 — 按期完成\n", "")


def test_done_before_its_event_is_refused(plan):
    assert cli("event", "6", "--on", "2024-06-28")[0] == 0
    before = dump(plan)
    assert cli("done", "6", "--on", "2024-06-20") == (
        2, "", "tracker: 完成日期 2024-06-20 早于任务6规则1事项 event:1 的起算事件日期 (2024-06-28); "
               "请检查完成日期。\n")
    assert dump(plan) == before
    assert cli("done", "6", "--on", "2024-06-28")[0] == 0


def test_replacing_owners_is_logged_as_a_replacement_not_a_removal(plan):
    assert cli("assign", "8", "--lead", "政策法规科", "--support", "局办公室")[0] == 0
    assert cli("assign", "8", "--lead", "养老服务科")[0] == 0
    said = "任务8: 更换责任单位 牵头 政策法规科 配合 局办公室 → 牵头 养老服务科"
    code, out, _ = cli("log", "--limit", "2")
    assert code == 0
    assert out.splitlines()[0].endswith(f"  zhang  责任单位  {said}")
    assert out.splitlines()[1].endswith("  zhang  责任单位  任务8: 牵头 政策法规科 配合 局办公室")
    assert cli("--lang", "en", "log", "--limit", "1")[1].endswith(f"  zhang  assign  {said}\n")
    assert [(e["action"], e["summary"]) for e in json.loads(cli("log", "--json", "--limit", "1")[1])] == [
        ("assign", said)]  # the JSON keeps the stored action
    assert f"zhang  责任单位  {said}" in cli("show", "8")[1]
    assert "撤销责任单位" not in cli("log", "--limit", "5")[1]


def test_a_rule_change_that_orphans_completions_says_so_and_undo_restores_them(plan):
    assert cli("done", "12", "--on", "2024-03-28")[0] == 0
    assert cli("done", "12", "--on", "2024-06-28")[0] == 0
    code, out, err = cli("rule", "12", "--rule", "1", "--count", "2", "--period", "year")
    assert (code, out) == (0, "已修改规则: 任务12 规则1\n")
    assert err == ("注意: 修改后有2条已记录的完成不再对应任何应办事项 (不再计入, tracker check 会报告); "
                   "tracker undo 可撤销这次修改\n")
    assert cli("undo")[0] == 0
    assert q(plan, "SELECT count(*) FROM completion c JOIN obligation o ON o.requirement_id = c.requirement_id "
                   "AND o.key = c.obligation_key") == [(2,)]
    assert cli("rule", "12", "--rule", "1", "--due-day", "20") == (0, "已修改规则: 任务12 规则1\n", "")


def test_rule_days_0_is_the_event_s_own_day_as_the_schedule_reads_it(plan):
    """`rule --days 0` was refused ("--days 至少为 1") though the schedule takes 0 calendar days (due
    on the event's day); --workdays stays at least 1, and both refusals word the allowance alike."""
    assert cli("rule", "6", "--add", "--kind", "after_event", "--days", "0", "--event", "文件发布") == (
        0, "已新增规则: 任务6 规则2\n", "")
    assert cli("event", "6", "--on", "2024-06-27", "--rule", "2") == (
        0, "已记录事件: 任务6 2024-06-27 — 规则2 应于2024-06-27\n", "")
    assert "  2. 文件发布当日" in cli("show", "6")[1].splitlines()
    before = dump(plan)
    assert cli("rule", "6", "--rule", "2", "--days", "-1") == (
        2, "", "tracker: --days -1 不是有效的期限: 事件后的期限应为 0 天或以上。\n")
    assert cli("--lang", "en", "rule", "6", "--rule", "2", "--days", "-1")[2] == (
        "tracker: --days -1 is not an allowance; use 0 or more days after the event.\n")
    assert cli("rule", "6", "--rule", "1", "--workdays", "0") == (
        2, "", "tracker: --workdays 0 不是有效的期限: 事件后的期限至少为 1 个工作日。\n")
    assert cli("--lang", "en", "rule", "6", "--rule", "1", "--workdays", "0")[2] == (
        "tracker: --workdays 0 is not an allowance; count at least 1 working day after the event.\n")
    assert cli("rule", "12", "--rule", "1", "--due-day", "0") == (
        2, "", "tracker: --due-day 应为 1 或更大的数, 不能是 0。\n")
    assert dump(plan) == before


def test_a_waived_rule_cannot_be_marked_done(plan):
    """QA: `done 13 --rule 2` on a waived rule said 按期完成, and `show` and the ledger then disagreed."""
    assert cli("waive", "13", "--rule", "2", "--reason", "重复")[0] == 0
    before = dump(plan)
    assert cli("done", "13", "--rule", "2") == (
        2, "", "tracker: 任务13的规则2已设为不适用 (理由: 重复); 请先用 `tracker waive 13 --rule 2 --lift` "
               "解除不适用。\n")
    assert cli("--lang", "en", "done", "13", "--rule", "2")[2] == (
        "tracker: rule 2 of task 13 is waived (不适用: 重复); lift the waiver first with "
        "`tracker waive 13 --rule 2 --lift`.\n")
    assert dump(plan) == before
    code, out, _ = cli("done", "13")  # the waived rule is not offered: rule 1 is the only choice
    assert (code, out) == (0, "已记录完成: 任务13 规则1 (2024-Y1, 应于2024-12-31) 完成于2024-07-01 — 按期完成\n")
    assert cli("waive", "13", "--rule", "1", "--reason", "无")[0] == 0
    assert cli("done", "13")[2] == ("tracker: 任务13的规则都已设为不适用 (规则1: 无; 规则2: 重复); 请先用 "
                                    "`tracker waive 13 --rule K --lift` 解除其中一条的不适用。\n")
    assert cli("--lang", "en", "done", "13")[2] == (
        "tracker: every rule of task 13 is waived (rule 1: 无; rule 2: 重复); lift a waiver first with "
        "`tracker waive 13 --rule K --lift`.\n")


def test_lift_a_waiver_and_undo_it(plan):
    assert cli("waive", "13", "--rule", "2", "--reason", "重复")[0] == 0
    waived = dump(plan)
    audit = q(plan, "SELECT count(*) FROM auditentry")[0][0]
    assert cli("waive", "13", "--rule", "1", "--lift") == (
        2, "", "tracker: 任务13的规则1没有设为不适用; 设为不适用的是: 规则2 (重复)。\n")
    assert cli("waive", "13", "--lift") == (0, "已恢复适用: 任务13 规则2 (原不适用理由: 重复)\n", "")
    assert q(plan, "SELECT count(*) FROM waiver") == [(0,)]
    assert q(plan, "SELECT count(*) FROM auditentry")[0][0] > audit
    assert cli("done", "13", "--rule", "2")[0] == 0  # it counts again
    assert cli("undo")[0] == 0
    assert cli("undo")[0] == 0
    assert dump(plan) == waived  # the waiver is back, reason and date
    assert cli("waive", "12", "--lift") == (2, "", "tracker: 任务12没有设为不适用的规则, 无需解除。\n")
    assert cli("waive", "13", "--lift", "--reason", "x")[0] == 2
    assert cli("waive", "13")[0] == 2


@pytest.mark.parametrize(("argv", "said"), [
    (("rule", "12", "--rule", "1", "--count", "1", "--period", "quarter"), "未变化: 任务12 规则1 已是如此\n"),
    (("rule", "6", "--rule", "1", "--workdays", "3"), "未变化: 任务6 规则1 已是如此\n"),
    (("assign", "8", "--lead", "政策法规科"), "未变化: 任务8 已是 牵头 政策法规科\n"),
    (("assign", "15", "--lead", "局办公室", "--support", "政策法规科"), "未变化: 任务15 已是 牵头 局办公室; 配合 政策法规科\n"),
])
def test_a_change_to_what_is_already_so_is_unchanged_and_writes_nothing(plan, argv, said):
    """QA: `rule … --days 15` on a rule of 15 days, `assign 8 --lead X` when X leads alone, wrote an
    audit row and a version (undo then undid nothing); like `calendar set`, they say so and write nothing."""
    assert cli("assign", "8", "--lead", "政策法规科")[0] == 0
    assert cli("assign", "15", "--lead", "局办公室", "--support", "政策法规科")[0] == 0
    before, audit = dump(plan), q(plan, "SELECT count(*) FROM auditentry")
    assert cli(*argv) == (0, said, "")
    assert (dump(plan), q(plan, "SELECT count(*) FROM auditentry")) == (before, audit)
    assert cli("undo")[1].startswith("已撤销: 责任单位 (任务15: 牵头 局办公室 配合 政策法规科")  # the last real change


def test_a_reordered_or_new_owner_is_a_change(plan):
    assert cli("assign", "15", "--lead", "局办公室", "--support", "政策法规科")[0] == 0
    assert cli("assign", "15", "--lead", "政策法规科", "--support", "局办公室")[1].startswith("已设置责任单位")
    assert cli("rule", "12", "--rule", "1", "--count", "2")[1] == "已修改规则: 任务12 规则1\n"


def test_an_assign_credits_a_completion_made_before_any_unit_and_says_so(sqlite_plan):
    """QA: `done 15` then `assign 15 …` left the completion on 2024-Y1, which the units' obligations
    (2024-Y1#UNIT) no longer have: 已完成0, three open, and `tracker check` exit 5."""
    assert cli("done", "15", "--on", "2024-05-01")[0] == 0
    before = dump(sqlite_plan)
    assert cli("assign", "15", "--lead", "局办公室", "--support", "政策法规科", "--support", "养老服务科") == (
        0, "已设置责任单位: 任务15 牵头 局办公室; 配合 政策法规科、养老服务科\n"
           "已将完成记录改计入: 规则1 2024-Y1 (完成于2024-05-01) → 局办公室 (原事项随责任单位变更已不存在); "
           "如应计入其他单位: 先 `tracker undo`, 再 `tracker assign 15 --lead UNIT` 计入该单位, 然后重新指定全部责任单位\n",
        "")
    shown = cli("show", "15", "--as-of", "2024-07-01")[1]
    assert "已完成1" in shown
    assert "2024-Y1#局办公室 (局办公室)  应于2024-12-31  ✔ 已完成  完成于2024-05-01" in shown
    assert cli("check")[0] == 0
    assert cli("undo")[0] == 0
    assert dump(sqlite_plan) == before
    # the way the line names to credit another unit works
    assert cli("assign", "15", "--lead", "政策法规科")[0] == 0
    assert cli("assign", "15", "--lead", "局办公室", "--support", "政策法规科", "--support", "养老服务科")[1] == (
        "已设置责任单位: 任务15 牵头 局办公室; 配合 政策法规科、养老服务科\n")
    assert q(sqlite_plan, "SELECT obligation_key FROM completion") == [("2024-Y1#政策法规科",)]
    assert cli("check")[0] == 0


def test_an_assign_removing_a_unit_keeps_its_completion(plan):
    assert cli("assign", "15", "--lead", "局办公室", "--support", "政策法规科、养老服务科")[0] == 0
    assert cli("done", "15", "--owner", "养老服务科", "--on", "2024-06-01")[0] == 0
    code, out, err = cli("--lang", "en", "assign", "15", "--lead", "局办公室", "--support", "政策法规科")
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == (
        "completion credited anew: rule 1 2024-Y1#养老服务科 (done 2024-06-01) → 局办公室 (the obligation it was "
        "recorded for went with the change of owners); to credit another unit: `tracker undo`, then "
        "`tracker assign 15 --lead UNIT` to credit that one, then assign all the owners again")
    assert q(plan, "SELECT obligation_key FROM completion") == [("2024-Y1#局办公室",)]
    assert cli("done", "15", "--owner", "政策法规科", "--on", "2024-06-02")[0] == 0
    before = dump(plan)
    assert cli("assign", "15", "--lead", "政策法规科") == (
        2, "", "tracker: 规则1的 2024-Y1#局办公室 完成记录 (2024-06-01) 将无处计入: 局办公室不再是任务15的责任单位, "
               "而各责任单位的 2024-Y1 都已完成; 未做任何修改 (请保留局办公室为责任单位)。\n")
    assert dump(plan) == before


@pytest.mark.parametrize(("deadline", "zh", "en"), [
    ("02-30", "--deadline 02-30 不是存在的日期: 2月最多29天; 如 --deadline 02-29。",
     "--deadline 02-30 is not a day of the year: month 2 has 29 days at most; e.g. --deadline 02-29."),
    ("4-31", "--deadline 04-31 不是存在的日期: 4月最多30天; 如 --deadline 04-30。",
     "--deadline 04-31 is not a day of the year: month 4 has 30 days at most; e.g. --deadline 04-30."),
], ids=["02-30", "04-31"])
def test_a_deadline_that_no_year_has_is_refused(plan, deadline, zh, en):
    """QA: `rule 4 --rule 1 --kind deadline --deadline 02-30` was accepted and shown as 2月30日前."""
    before = dump(plan)
    assert cli("rule", "4", "--rule", "1", "--kind", "deadline", "--deadline", deadline) == (2, "", f"tracker: {zh}\n")
    assert cli("--lang", "en", "rule", "8", "--add", "--kind", "deadline", "--deadline", deadline) == (
        2, "", f"tracker: {en}\n")
    assert dump(plan) == before
    assert cli("rule", "4", "--rule", "1", "--kind", "deadline", "--deadline", "02-29") == (
        0, "已修改规则: 任务4 规则1\n", "")


def test_an_event_before_the_plans_year_is_recorded_with_a_warning(plan):
    """QA: `event 6 --on 2023-12-20` on a 2024 plan was accepted silently (due 2023-12-25, overdue at once)."""
    assert cli("event", "6", "--on", "2023-12-20") == (
        0, "已记录事件: 任务6 2023-12-20 — 规则1 应于2023-12-25\n",
        "注意: 事件日期 2023-12-20 早于计划年度 2024; 已记录 (年初前发布的文件也可起算本年度的期限), "
        "如果年份写错了, 可用 `tracker undo` 撤销。\n")
    assert cli("--lang", "en", "event", "6", "--on", "2023-12-28")[2] == (
        "warning: the event's date 2023-12-28 is before the plan's year 2024; it is recorded (a document published "
        "just before the year can start one of its deadlines), but if the year is wrong, `tracker undo` reverses it.\n")
    assert cli("event", "6", "--on", "2024-01-02")[2] == ""


def test_an_address_a_unit_already_has_is_unchanged_and_writes_nothing(plan):
    """QA: setting the address a unit already has said 已设置邮箱; README promises "unchanged"."""
    assert cli("assign", "8", "--lead", "局办公室")[0] == 0
    assert cli("owners", "局办公室", "--email", "bgs@example.gov.cn") == (
        0, "已设置邮箱: 局办公室 → bgs@example.gov.cn\n", "")
    before, audit = dump(plan), q(plan, "SELECT count(*) FROM auditentry")
    assert cli("owners", "局办公室", "--email", "bgs@example.gov.cn") == (
        0, "未变化: 局办公室 的邮箱已是 bgs@example.gov.cn\n", "")
    assert cli("--lang", "en", "owners", "局办公室", "--email", "bgs@example.gov.cn") == (
        0, "unchanged: 局办公室's address is already bgs@example.gov.cn\n", "")
    assert (dump(plan), q(plan, "SELECT count(*) FROM auditentry")) == (before, audit)
    assert cli("undo")[1].startswith("已撤销: 单位邮箱 (单位局办公室: 邮箱 bgs@example.gov.cn;")


def test_a_month_day_read_in_a_later_year_is_recorded_with_a_warning(plan, monkeypatch):
    """QA: `done 13 --on 10月8日` in 2026 on the 2024 plan recorded 2026-10-08 without a word."""
    monkeypatch.setenv("TRACKER_TODAY", "2026-11-24")
    code, out, err = cli("done", "13", "--rule", "1", "--on", "10月8日")
    assert (code, out) == (0, "已记录完成: 任务13 规则1 (2024-Y1, 应于2024-12-31) 完成于2026-10-08 — 逾期完成\n")
    assert err == ("注意: “10月8日”没有写年份, 按今年记为 2026-10-08, 比应完成日期 2024-12-31 晚一年以上; "
                   "如指的是 2024 年, 请用 tracker undo 撤销后写上年份重新登记\n")
    # with the year, or within the year after the due date (December's work done in January), nothing
    assert cli("done", "13", "--rule", "2", "--on", "2026年10月8日")[2] == ""
    monkeypatch.setenv("TRACKER_TODAY", "2025-01-20")
    assert cli("done", "12", "--on", "1月10日")[2] == ""
