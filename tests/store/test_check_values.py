"""`tracker check` finds what a hand edit breaks, and `--repair` recomputes the due dates.

Real SQLite files: the demo database, damaged with plain sqlite3 as a user would by hand.
"""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from tracker.cli import main
from tracker.store import check as ck


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--lang", "en", *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def sql(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def one(db: Path, query: str) -> object:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(query).fetchone()[0]
    finally:
        conn.close()


def checked(name: str) -> dict[str, object]:
    code, out, err = run("check", "--json")
    data = json.loads(out)
    assert code == (0 if data["ok"] else 5), err
    return {c["name"]: c for c in data["checks"]}[name]


def test_the_schema_check_knows_every_table_and_column_of_the_store():
    from sqlmodel import SQLModel

    from tracker.store import tables  # noqa: F401 - registers the tables

    assert {name: tuple(c.name for c in t.columns) for name, t in SQLModel.metadata.tables.items()} == ck.SCHEMA


def test_a_clean_demo_database_is_all_ok_and_its_due_dates_match_the_rules(demo_db: Path):
    code, out, err = run("check")
    assert code == 0, out + err
    for name in ("tables and columns", "unreadable dates", "rules", "due dates"):
        assert f"ok: {name}" in out
    conn = sqlite3.connect(demo_db)
    kinds = {r[0] for r in conn.execute("SELECT DISTINCT kind FROM requirement WHERE removed = 0")}
    schedule = ck.compare_schedule(conn)
    conn.close()
    assert kinds == {"recurring", "after_event", "deadline", "ongoing"}  # every kind was compared
    assert (schedule.bad_rules, schedule.missing, schedule.extra, schedule.differ) == ([], [], [], [])


DAMAGE = [
    ("obligation due", "UPDATE obligation SET due = 'notadate' WHERE requirement_id = 13 AND key = '2024-Q3'",
     "due dates", "obligation.due ×1", "tracker check --repair"),
    ("rule kind", "UPDATE requirement SET kind = 'bogus' WHERE id = 13",
     "rules", "'bogus' is not a valid RequirementKind", "tracker rule"),
    ("rule period", "UPDATE requirement SET period = 'fortnightly' WHERE id = 13",
     "rules", "'fortnightly' is not a period", "tracker rule"),
    ("completion date", "UPDATE completion SET done_on = '2024-02-30' WHERE id = (SELECT min(id) FROM completion)",
     "unreadable dates", "completion.done_on ×1", "restore a backup"),
    ("event date", "UPDATE event SET \"on\" = 'yesterday' WHERE id = (SELECT min(id) FROM event)",
     "unreadable dates", "event.on ×1", "restore a backup"),
    ("note date", "UPDATE progressnote SET \"on\" = '2024-13-01' WHERE id = (SELECT min(id) FROM progressnote)",
     "unreadable dates", "progressnote.on ×1", "restore a backup"),
    ("waiver time", "UPDATE waiver SET created_at = 'soon' WHERE id = (SELECT min(id) FROM waiver)",
     "unreadable dates", "waiver.created_at ×1", "restore a backup"),
    ("calendar day", "INSERT INTO calendaroverride (day, kind, name) VALUES ('2024-10-32', 'holiday', 'x')",
     "unreadable dates", "calendaroverride.day ×1", "restore a backup"),
    ("dropped table", "DROP TABLE waiver", "tables and columns", "(waiver)", "restore a backup"),
    ("dropped column", "ALTER TABLE obligation DROP COLUMN note", "tables and columns", "obligation.note",
     "restore a backup"),
    ("deleted obligation", "DELETE FROM obligation WHERE requirement_id = 13 AND key = '2024-Q3'",
     "due dates", "1 missing", "tracker check --repair"),
    ("invented obligation", "INSERT INTO obligation (requirement_id, task_id, plan_id, key, due, provisional, "
     "note) VALUES (13, 12, 1, '2024-Q5', '2024-12-31', 0, '')", "due dates", "1 the rules do not set",
     "tracker check --repair"),
    ("moved due date", "UPDATE obligation SET due = '2024-12-01' WHERE requirement_id = 13 AND key = '2024-Q3'",
     "due dates", "1 differ", "tracker check --repair"),
]


@pytest.mark.parametrize(("damage", "name", "words", "do"), [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_a_hand_damaged_value_is_a_problem_with_what_to_do(demo_db: Path, damage: str, name: str, words: str,
                                                           do: str):
    if "waiver" in damage and "created_at" in damage and not one(demo_db, "SELECT count(*) FROM waiver"):
        sql(demo_db, "INSERT INTO waiver (requirement_id, reason, created_by, created_at) "
                  "VALUES (13, 'r', 'me', '2024-07-01 10:00:00.000000')")
    sql(demo_db, damage)
    code, out, err = run("check")
    assert code == 5, out + err
    problems = [line for line in out.splitlines() if line.startswith("problem: ")]
    assert len(problems) == 1, out
    assert words in problems[0]
    assert do in problems[0].split(" — do: ")[1]
    assert checked(name)["ok"] is False
    assert "Traceback" not in err


def test_repair_brings_back_a_deleted_due_date_with_its_completion_in_one_audited_change(demo_db: Path):
    done_on = one(demo_db, "SELECT done_on FROM obligation WHERE requirement_id = 13 AND key = '2024-Q1'")
    assert done_on is not None
    sql(demo_db, "DELETE FROM obligation WHERE requirement_id = 13 AND key IN ('2024-Q1', '2024-Q3')",
        "UPDATE obligation SET due = 'notadate' WHERE requirement_id = 13 AND key = '2024-Q4'")
    assert "2024-Q3" not in run("show", "1:12")[1]
    audits = one(demo_db, "SELECT count(*) FROM auditentry")
    code, out, err = run("check", "--repair")
    assert code == 0, out + err
    assert "2 added, 0 removed, 1 corrected" in out
    assert "problem" not in out
    show = run("show", "1:12")[1]
    assert all(f"2024-Q{q}" in show for q in range(1, 5))
    assert one(demo_db, "SELECT done_on FROM obligation WHERE requirement_id = 13 AND key = '2024-Q1'") == done_on
    assert one(demo_db, "SELECT count(*) FROM auditentry") == audits + 1
    assert one(demo_db, "SELECT action FROM auditentry ORDER BY id DESC LIMIT 1") == "repair"
    before = one(demo_db, "SELECT action_id FROM auditentry WHERE action NOT IN ('repair', 'undo') ORDER BY id DESC LIMIT 1")
    code, out, err = run("undo")  # a repair has nothing to revert: undo reverses the change before it
    assert code == 0, err
    assert "repair" not in out
    assert one(demo_db, "SELECT undone FROM auditentry WHERE action = 'repair'") == 0
    assert one(demo_db, f"SELECT min(undone) FROM auditentry WHERE action_id = '{before}'") == 1
    assert run("check")[0] == 0


def test_repair_with_nothing_to_repair_records_nothing(demo_db: Path):
    audits = one(demo_db, "SELECT count(*) FROM auditentry")
    code, out, err = run("check", "--repair")
    assert code == 0, err
    assert "nothing to repair" in out
    assert one(demo_db, "SELECT count(*) FROM auditentry") == audits


def test_repair_refuses_while_a_rule_cannot_be_read_and_writes_nothing(demo_db: Path):
    sql(demo_db, "UPDATE requirement SET kind = 'bogus' WHERE id = 13",
        "DELETE FROM obligation WHERE requirement_id = 14")
    before = one(demo_db, "SELECT count(*) FROM obligation"), one(demo_db, "SELECT count(*) FROM auditentry")
    code, _, err = run("check", "--repair")
    assert code == 5
    assert err.startswith("tracker: --repair cannot recompute the due dates while 1 rule(s) cannot be read")
    assert "tracker rule" in err
    assert err.count("\n") == 1
    assert (one(demo_db, "SELECT count(*) FROM obligation"), one(demo_db, "SELECT count(*) FROM auditentry")) == before


def test_repair_json_keeps_stdout_one_document(demo_db: Path):
    sql(demo_db, "DELETE FROM obligation WHERE requirement_id = 13 AND key = '2024-Q3'")
    code, out, err = run("check", "--repair", "--json")
    assert code == 0
    assert json.loads(out)["ok"] is True
    assert "1 added" in err


def run_zh(*argv: str) -> tuple[int, str, str]:
    """`run` in the default language (Chinese)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_check_and_repair_speak_chinese_by_default(demo_db: Path):
    sql(demo_db, "UPDATE requirement SET kind = 'bogus' WHERE id = 13")
    code, out, _ = run_zh("check")
    assert code == 5
    assert ("问题: 1 条规则无法读取 (规则13: 'bogus' is not a valid RequirementKind) — 处理: 逐条更正规则 "
            "(`tracker rule TASK --rule K …`; `tracker show TASK` 可列出规则), 或恢复备份 (`tracker restore FILE`)"
            ) in out.splitlines()
    assert "正常: 到期日" in out.splitlines()
    code, _, err = run_zh("check", "--repair")
    assert (code, err) == (5, "tracker: 1 条规则无法读取 (规则13: 'bogus' is not a valid RequirementKind), 因此 "
                              "--repair 无法重算到期日; 请先处理: 逐条更正规则 (`tracker rule TASK --rule K …`; `tracker show TASK` "
                              "可列出规则), 或恢复备份 (`tracker restore FILE`)。\n")
    sql(demo_db, "UPDATE requirement SET kind = 'recurring' WHERE id = 13",
        "DELETE FROM obligation WHERE requirement_id = 13 AND key = '2024-Q3'")
    code, out, _ = run_zh("check")
    assert code == 5
    assert ("问题: 1 个存储的到期日与规则不一致 (缺 1 个) — 处理: 运行 `tracker check --repair` "
            "(按规则重算到期日; 完成记录保留)") in out.splitlines()
    code, out, err = run_zh("check", "--repair")
    assert code == 0, err
    assert out.splitlines()[0] == "已按规则重算到期日: 补 1, 删 0, 改 0, 完成日期 0"
    assert run_zh("check", "--repair")[1].splitlines()[0] == "到期日与规则一致, 无需修复。"
