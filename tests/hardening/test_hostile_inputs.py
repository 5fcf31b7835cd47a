"""Hostile and broken input: every case gets one clear sentence and a non-zero exit (or is read
literally), loses nothing, and never shows a traceback or an internal error (exit 70).

Each attempt goes through `tracker.cli.main` in-process or a real subprocess (for resource limits
and dropped privileges) and is counted; the module prints "hostile inputs: N tried, M produced a
traceback" at the end (run with -s to see it). Parse times are measured; over 5 s is reported.
"""

from __future__ import annotations

import hashlib
import io
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hostile_files import docx_bomb

from tracker.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "data" / "seeds"
JINING = SEEDS / "workplan_2024_jining_minzheng.txt"
PARSE_BUDGET_S = 5.0


@dataclass
class Tally:
    tried: int = 0
    tracebacks: list[str] = field(default_factory=list)
    slow: list[str] = field(default_factory=list)


TALLY = Tally()


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    print(f"\nhostile inputs: {TALLY.tried} tried, {len(TALLY.tracebacks)} produced a traceback or an "
          f"internal error {TALLY.tracebacks}; over {PARSE_BUDGET_S:.0f} s: {TALLY.slow or 'none'}")


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    seconds: float


def attempt(name: str, *argv: str, stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None
            ) -> Outcome:
    """Run tracker in-process on a hostile input; count it; fail on a traceback or internal error."""
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    code = main(list(argv), out=out, err=err)
    return _record(name, Outcome(code, out.getvalue(), err.getvalue(), time.monotonic() - started))


def _record(name: str, result: Outcome) -> Outcome:
    TALLY.tried += 1
    if result.code == 70 or "Traceback" in result.err or "Traceback" in result.out:
        TALLY.tracebacks.append(name)
    if result.seconds > PARSE_BUDGET_S:
        TALLY.slow.append(f"{name}: {result.seconds:.1f} s")
    assert "Traceback" not in result.err
    assert result.code != 70, result.err
    return result


def attempt_process(name: str, argv: list[str], env: dict[str, str], *, fsize: int | None = None,
                    no_root_override: bool = False) -> Outcome:
    """Run `python -m tracker` in a subprocess, optionally with a file-size limit (a full disk)
    or, when run as root, without the capability that lets root write read-only files."""
    cmd = [sys.executable, "-m", "tracker", *argv]
    if no_root_override and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: read-only files cannot be simulated")
        cmd = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--", *cmd]

    def limit() -> None:
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **env}, timeout=120,
                          preexec_fn=limit, check=False)
    return _record(name, Outcome(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def scalar(db: Path, sql: str) -> object:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def one_sentence(err: str) -> bool:
    lines = [line for line in err.splitlines() if line.strip()]
    return len(lines) == 1 and lines[0].startswith("tracker: ")


# --- big and strange plans ---------------------------------------------------------------------

ITEM = ("推进第{n}项公开工作。每季度至少公开1次相关信息,文件发布后3个工作日内发布解读材料,6月底前完成专项梳理。"
        "(牵头单位:局办公室;配合单位:第1科)")


def numbered(numbers: list[int]) -> str:
    return ("2024年测试局政务公开工作要点\n一、重点工作\n"
            + "\n".join(f"{n}." + ITEM.format(n=n) for n in numbers) + "\n")


def test_a_10_mb_plan_is_read_and_parsed(tmp_path: Path, db_path: Path):
    """A real plan followed by 10 MB of prose (an appendix pasted in)."""
    prose = "附件说明:本段为背景材料,介绍各项工作的来龙去脉,不含编号条目,也不含时限要求,仅供参考阅读。\n"
    text = JINING.read_text(encoding="utf-8") + prose * (10_500_000 // len(prose.encode()))
    plan = tmp_path / "big.txt"
    plan.write_text(text, encoding="utf-8")
    assert plan.stat().st_size > 10_000_000
    result = attempt("10 MB plan (parse)", "parse", str(plan), "--json")
    assert result.code == 0
    assert '"number": "15"' in result.out


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("TRACKER_SLOW"), reason="about 13 s (the parse budget); set TRACKER_SLOW=1")
def test_a_10_mb_plan_of_numbered_items(tmp_path: Path):
    """10 MB made of items (about 53,000 tasks): measured 92 s and 840 MB here (issue 7 note); now
    12.5 s, the parser's 10 s budget stopping it with a warning (the rest kept without rules)."""
    body = numbered(list(range(1, 1001)))
    plan = tmp_path / "items.txt"
    plan.write_text(body * (10_500_000 // len(body.encode()) + 1), encoding="utf-8")
    result = attempt("10 MB of numbered items (parse)", "parse", str(plan))
    assert result.code == 0
    assert "parsing stopped after 10 s at task" in result.out + result.err


def test_one_line_of_1_mb(tmp_path: Path, db_path: Path):
    line = ("每季度至少公开1次相关信息,文件发布后3个工作日内发布解读材料。" * 30000)[:400000]
    plan = tmp_path / "line.txt"
    plan.write_text(f"2024年测试局政务公开工作要点\n一、重点工作\n1.{line}\n", encoding="utf-8")
    assert plan.stat().st_size > 1_000_000
    result = attempt("one line of 1 MB (import)", "import", str(plan))
    assert result.code == 0, result.err
    assert int(scalar(db_path, "SELECT max(length(text)) FROM task")) >= 399_000  # type: ignore[arg-type]


def test_10000_numbered_items(tmp_path: Path, db_path: Path):
    plan = tmp_path / "many.txt"
    plan.write_text(numbered(list(range(1, 10_001))), encoding="utf-8")
    result = attempt("10,000 numbered items (import)", "import", str(plan))
    assert result.code == 0, result.err
    assert int(scalar(db_path, "SELECT count(*) FROM task")) == 10_000  # type: ignore[arg-type]
    tasks = attempt("10,000 items (tasks)", "tasks", "--as-of", "2024-07-01", "--json")
    assert tasks.code == 0


def test_four_digit_item_numbers_are_read_or_warned_about():
    from tracker.parse import parse

    draft = parse(numbered(list(range(995, 1006))))
    numbers = [t.number for t in draft.tasks]
    assert numbers == [str(n) for n in range(995, 1006)] or any("1000" in str(w) for w in draft.warnings)


def test_numbering_that_skips_and_repeats(tmp_path: Path, db_path: Path):
    plan = tmp_path / "odd.txt"
    plan.write_text(numbered([1, 2, 2, 5, 3, 3, 3, 9, 1, 100, 4]), encoding="utf-8")
    parsed = attempt("skipping and repeating numbers (parse)", "parse", str(plan), "--json")
    assert parsed.code == 0
    result = attempt("skipping and repeating numbers (import)", "import", str(plan))
    assert result.code == 0, result.err
    stored = int(scalar(db_path, "SELECT count(*) FROM task"))  # type: ignore[arg-type]
    assert stored >= 7  # the distinct numbers at least; nothing crashed on the repeats
    again = attempt("same plan again", "import", str(plan))
    assert again.code == 0
    assert scalar(db_path, "SELECT count(*) FROM task") == stored
    shown = attempt("show a repeated number", "show", "3", "--as-of", "2024-07-01")
    assert shown.code in (0, 2, 4)
    if shown.code:
        assert one_sentence(shown.err)


def test_mixed_encodings_in_one_file(tmp_path: Path, db_path: Path):
    head = "2024年测试局政务公开工作要点\n一、重点工作\n".encode()
    utf8 = ("1." + ITEM.format(n=1) + "\n").encode()
    gbk = ("2." + ITEM.format(n=2) + "\n").encode("gb18030")
    big5 = "3.推進第3項公開工作。年底前完成。\n".encode("big5")
    plan = tmp_path / "mixed.txt"
    plan.write_bytes(head + utf8 + gbk + big5)
    result = attempt("mixed UTF-8 / GB18030 / Big5 (import)", "import", str(plan))
    assert result.code in (0, 3)
    if result.code:
        assert one_sentence(result.err)
    else:
        assert int(scalar(db_path, "SELECT count(*) FROM task")) >= 1  # type: ignore[arg-type]


@pytest.mark.parametrize("nuls", [3, 5000], ids=["a-few", "many"])
def test_nul_bytes(tmp_path: Path, db_path: Path, nuls: int):
    text = numbered([1, 2, 3]).encode()
    step = max(1, len(text) // (nuls + 1))
    chunks = [text[i:i + step] for i in range(0, len(text), step)]
    data = b"\x00".join(chunks) if nuls < len(chunks) else text + b"\x00" * nuls
    plan = tmp_path / "nul.txt"
    plan.write_bytes(data)
    result = attempt(f"{nuls} NUL bytes (import)", "import", str(plan))
    assert result.code in (0, 3)
    if result.code:
        assert one_sentence(result.err)
    else:
        assert scalar(db_path, "SELECT count(*) FROM task WHERE instr(text, char(0)) > 0") == 0


def test_docx_zip_bomb_is_refused_quickly(tmp_path: Path, db_path: Path):
    bomb = docx_bomb(tmp_path / "bomb.docx", mib=1024)
    assert bomb.stat().st_size < 2_000_000
    for command in ("parse", "import"):
        result = attempt(f"docx zip bomb 1 GiB ({command})", command, str(bomb))
        assert result.code == 3
        assert "文件可能已损坏或被恶意构造" in result.err
        assert one_sentence(result.err)
        assert result.seconds < PARSE_BUDGET_S
    assert not db_path.exists() or scalar(db_path, "SELECT count(*) FROM task") == 0


@pytest.mark.parametrize("kind", ["text", "truncated", "random"])
def test_docx_that_is_not_a_zip(tmp_path: Path, db_path: Path, kind: str):
    import docx

    path = tmp_path / "plan.docx"
    if kind == "text":
        path.write_text(numbered([1]), encoding="utf-8")
    elif kind == "truncated":
        document = docx.Document()
        document.add_paragraph("2024年测试局政务公开工作要点")
        document.save(str(path))
        path.write_bytes(path.read_bytes()[:2000])
    else:
        path.write_bytes(os.urandom(5000))
    result = attempt(f".docx that is {kind}", "import", str(path))
    assert result.code == 3
    assert one_sentence(result.err)


# --- text that looks like code -----------------------------------------------------------------

def hostile_plan(sentinel: Path) -> str:
    return (
        "2024年[bold red]测试[/]局政务公开工作要点\n"
        f"一、=HYPERLINK(\"http://evil.example\",\"点我\")重点工作$(touch {sentinel})[link=file:///etc/passwd]链接[/link]\n"
        f"1.=cmd'/C calc'!A0推进`touch {sentinel}`公开;rm -rf ~。每季度至少公开1次,文件发布后3个工作日内解读。"
        "(牵头单位:[red]局办公室[/red];配合单位:=1+1科)\n"
        f"2.@SUM(A1)加强 && touch {sentinel} 公开。年底前完成。(牵头单位:+2-1科)\n"
        "3.-2+3[@click=app.quit]退出[/]测试。每月10日前报送。(牵头单位:${HOME}科)\n"
    )


MARKERS = ("HYPERLINK", "=cmd", "@SUM", "[bold red]", "[red]", "touch", "=1+1科", "=2+5科", "+2-1科", "${HOME}", "-2+3")


def test_an_item_with_a_pipe_in_its_text_is_kept():
    from tracker.ingest import clean_text
    from tracker.parse import parse

    text = clean_text("2024年测试局政务公开工作要点\n一、重点工作\n1.推进公开 | 加强解读。年底前完成。\n"
                      "2.普通任务。年底前完成。\n")
    draft = parse(text)
    assert [t.number for t in draft.tasks] == ["1", "2"] or draft.warnings


def test_markup_shell_and_formulas_in_every_field_stay_text(tmp_path: Path, db_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    from openpyxl import load_workbook

    sentinel = tmp_path / "pwned"
    plan = tmp_path / "hostile.txt"
    plan.write_text(hostile_plan(sentinel), encoding="utf-8")
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    assert attempt("hostile text (import)", "import", str(plan), "--year", "2024").code == 0
    for argv in (["note", "1", f"=HYPERLINK(\"http://x\") $(touch {sentinel}) [b]x[/b]"],
                 ["done", "1", "--rule", "1", "--on", "2024-04-02", "--evidence", f"`touch {sentinel}`;=1+1"],
                 ["event", "1", "--on", "2024-06-03", "--ref", "=cmd|' /C calc'!A0"],
                 ["waive", "2", "--reason", "@SUM(A1) | rm -rf /"],
                 ["assign", "3", "--lead", "=2+5科", "--support", "[red]x[/red]"]):
        result = attempt(f"hostile {argv[0]}", *argv)
        assert result.code == 0, result.err
    listing = attempt("hostile text (tasks)", "tasks", "--as-of", "2024-07-01")
    assert "[@click=app.quit]退出[/]" in listing.out
    listing = attempt("hostile text (tasks --json)", "tasks", "--as-of", "2024-07-01", "--json")
    assert "=cmd'/C calc'" in listing.out
    assert "@SUM" in listing.out
    shown = attempt("hostile text (show)", "show", "1", "--as-of", "2024-07-01")
    assert "`touch" in shown.out
    assert "[b]x[/b]" in shown.out
    assert "[red]局办公室[/red]" in shown.out
    assert attempt("hostile text (remind)", "remind", "--as-of", "2024-07-01", "--format", "json").code in (0, 1)
    target = tmp_path / "ledger.xlsx"
    assert attempt("hostile text (export)", "export", "--as-of", "2024-07-01", "--out", str(target)).code == 0
    wb = load_workbook(target)
    hits = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(m in cell.value for m in MARKERS):
                    hits.append(cell)
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
    texts = " ".join(str(c.value) for c in hits)
    assert "=cmd'/C calc'" in texts
    assert "[bold red]" in texts
    assert "@SUM" in texts
    assert "=2+5科" in texts
    assert not sentinel.exists()  # nothing was run by a shell


# --- returned workbooks ------------------------------------------------------------------------

def _exported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRACKER_TODAY", "2024-07-01")
    assert attempt("demo", "demo").code == 0
    path = tmp_path / "office.xlsx"
    assert attempt("export for an office", "export", "--for-owner", "局办公室", "--as-of", "2024-07-01",
                   "--out", str(path)).code == 0
    return path


@pytest.mark.parametrize("change", ["extra-sheets", "merged-cells", "formulas", "deleted-id-column",
                                    "renamed-ledger-sheet", "rows-deleted"])
def test_returned_workbook_edited_in_odd_ways(tmp_path: Path, db_path: Path, monkeypatch, change: str):
    from openpyxl import load_workbook

    path = _exported(tmp_path, monkeypatch)
    wb = load_workbook(path)
    ws = wb["工作台账"]
    if change == "extra-sheets":
        wb.create_sheet("Sheet1")["A1"] = "=1+1"
        wb.create_sheet("工作台账 (2)", 0)
    elif change == "merged-cells":
        ws.merge_cells(start_row=4, start_column=10, end_row=6, end_column=14)
    elif change == "formulas":
        for row in range(4, 7):
            ws.cell(row=row, column=12).value = "=A4&\"已完成\""
            ws.cell(row=row, column=13).value = "=TODAY()"
    elif change == "deleted-id-column":
        ws.delete_cols(1)
    elif change == "renamed-ledger-sheet":
        ws.title = "台账"
    else:
        ws.delete_rows(4, 3)
    returned = tmp_path / "returned.xlsx"
    wb.save(returned)
    before = digest(db_path)
    result = attempt(f"returned workbook: {change}", "import-progress", str(returned), "--yes")
    assert result.code in (0, 3, 6)
    if result.code == 3:
        assert one_sentence(result.err)
        assert digest(db_path) == before
    assert scalar(db_path, "PRAGMA integrity_check") == "ok"
    if change == "formulas" and result.code == 0:
        notes = [r for (r,) in sqlite3.connect(db_path).execute("SELECT text FROM progressnote")]
        assert not any(n == "已完成" for n in notes)  # a formula is never evaluated into data


# --- broken databases --------------------------------------------------------------------------

COMMANDS = (
    ["tasks", "--as-of", "2024-07-01"],
    ["show", "8", "--as-of", "2024-07-01"],
    ["plans"],
    ["note", "8", "x", "--on", "2024-07-01"],
    ["done", "8", "--on", "2024-07-01"],
    ["remind", "--as-of", "2024-07-01"],
    ["export", "--as-of", "2024-07-01"],
    ["import", str(JINING)],
    ["undo"],
    ["backup"],
    ["check"],
    ["log"],
)


def _damage(db: Path, how: str, demo_template: Path) -> None:
    if how == "truncated":
        data = demo_template.read_bytes()
        db.write_bytes(data[: len(data) // 3])
    elif how == "not-sqlite":
        db.write_text("this is a shopping list, not a database\n" * 100, encoding="utf-8")
    elif how == "zeroed-header":
        data = bytearray(demo_template.read_bytes())
        data[:100] = b"\x00" * 100
        db.write_bytes(bytes(data))
    else:
        data = bytearray(demo_template.read_bytes())
        for offset in range(8192, len(data), 8192):  # scribble over one page in two
            data[offset:offset + 512] = os.urandom(512)
        db.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "not-sqlite", "zeroed-header", "scribbled"])
def test_a_damaged_database_is_one_sentence_for_every_command(tmp_path: Path, db_path: Path, how: str,
                                                               demo_template: Path, monkeypatch):
    _damage(db_path, how, demo_template)
    before = digest(db_path)
    monkeypatch.chdir(tmp_path)
    for argv in COMMANDS:
        result = attempt(f"{how} database: {argv[0]}", *argv)
        assert result.code != 0 or argv[0] in ("tasks", "show", "plans", "log", "remind", "export", "backup"), (
            argv, result.out)
        if result.code:
            assert result.code in (1, 3, 4, 5, 8), (argv, result.err)
            assert argv[0] == "check" or one_sentence(result.err), (argv, result.err)
    assert digest(db_path) == before  # nothing tried to "repair" it
    assert not list((tmp_path / "exports").glob("*.xlsx")) if (tmp_path / "exports").exists() else True


def test_a_read_only_database_reads_and_refuses_writes(demo_db: Path, tmp_path: Path):
    env = {"TRACKER_DB": str(demo_db), "TRACKER_LOG_DIR": str(tmp_path / "log"), "TRACKER_TODAY": "2024-07-01"}
    demo_db.chmod(0o400)
    before = digest(demo_db)
    try:
        for argv in (["note", "8", "read-only?"], ["done", "8"], ["import", str(JINING)], ["undo"]):
            result = attempt_process(f"read-only database: {argv[0]}", argv, env, no_root_override=True)
            assert result.code == 5, (argv, result.err)
            assert one_sentence(result.err)
        listing = attempt_process("read-only database: tasks", ["tasks"], env, no_root_override=True)
        assert listing.code in (0, 5)
        if listing.code:
            assert one_sentence(listing.err)
    finally:
        demo_db.chmod(0o600)
    assert digest(demo_db) == before


def test_a_read_only_directory(demo_db: Path, tmp_path: Path):
    env = {"TRACKER_DB": str(demo_db), "TRACKER_LOG_DIR": str(tmp_path / "log"), "TRACKER_TODAY": "2024-07-01"}
    (tmp_path / "log").mkdir()
    demo_db.parent.chmod(0o500)
    try:
        for argv in (["note", "8", "x"], ["tasks"], ["backup"], ["export", "--out", str(demo_db.parent / "l.xlsx")]):
            result = attempt_process(f"read-only directory: {argv[0]}", argv, env, no_root_override=True)
            if result.code:
                assert one_sentence(result.err), (argv, result.err)
    finally:
        demo_db.parent.chmod(0o700)
    assert scalar(demo_db, "PRAGMA integrity_check") == "ok"


def _env(db: Path, tmp_path: Path) -> dict[str, str]:
    return {"TRACKER_DB": str(db), "TRACKER_LOG_DIR": str(tmp_path / "log"), "TRACKER_TODAY": "2024-07-01"}


def test_a_full_disk_during_import_or_a_note_loses_nothing(demo_db: Path, tmp_path: Path):
    env = _env(demo_db, tmp_path)
    big = tmp_path / "big.txt"
    big.write_text(numbered(list(range(1, 301))), encoding="utf-8")
    tasks = scalar(demo_db, "SELECT count(*) FROM task")
    notes = scalar(demo_db, "SELECT count(*) FROM progressnote")
    size = demo_db.stat().st_size
    result = attempt_process("full disk: import", ["import", str(big)], env, fsize=size + 64 * 1024)
    assert result.code == 5, result.err
    assert one_sentence(result.err)
    result = attempt_process("full disk: note", ["note", "8", "x" * 100_000], env, fsize=40 * 1024)
    assert result.code == 5, result.err
    assert one_sentence(result.err)
    assert scalar(demo_db, "PRAGMA integrity_check") == "ok"
    assert scalar(demo_db, "SELECT count(*) FROM task") == tasks
    assert scalar(demo_db, "SELECT count(*) FROM progressnote") == notes
    assert attempt_process("after the disk is freed: note", ["note", "8", "ok"], env).code == 0


def test_a_full_disk_during_backup_leaves_no_partial_file(demo_db: Path, tmp_path: Path):
    result = attempt_process("full disk: backup", ["backup"], _env(demo_db, tmp_path), fsize=64 * 1024)
    assert result.code == 8, result.err
    assert one_sentence(result.err)
    assert list((demo_db.parent / "backups").iterdir()) == []


def test_a_full_disk_during_export_is_one_sentence(demo_db: Path, tmp_path: Path):
    out = tmp_path / "exports" / "l.xlsx"
    result = attempt_process("full disk: export", ["export", "--out", str(out)], _env(demo_db, tmp_path),
                             fsize=40 * 1024)
    assert not out.exists()
    assert result.code == 8, result.err
    assert one_sentence(result.err)
