"""Every warning tracker.ingest and tracker.parse give carries its Chinese sentence; the contract stays English.

A coordinator reads these warnings after every `tracker import` ("注意: …") and `tracker parse`
("提示:"), in Chinese by default. A warning is a `tracker.notes.Note`: the English sentence itself
(what `tracker parse --json` prints, what tests and outside scripts compare) with its Chinese as
`.zh`. This module checks, by reading the source, that no warning is made as a plain English
string, and, by running each warning's case, that the Chinese sentence says the same facts.
"""

from __future__ import annotations

import ast
import copy
import pickle
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import tracker
from tracker.ingest import read_document
from tracker.ingest.clean import clean_with_warnings
from tracker.notes import Note, chinese, prefixed, shown
from tracker.parse import parse
from tracker.parse.contract import from_json, to_json
from tracker.parse.rules import extract_requirements
from tracker.parse.tables import read_tables

TRACKER = Path(tracker.__file__).resolve().parent
SEEDS = TRACKER.parent / "tests" / "data" / "seeds"
SCANNED = ("parse", "ingest")

# --- reading the source --------------------------------------------------------------------------

_SINK = re.compile(r"warning|^_?notes?$|_notes$", re.IGNORECASE)
"""Names that hold warnings: warnings, outline.warnings, notes, note, table_notes, REGULARLY_WARNING."""
_BILINGUAL = {"Note", "prefixed", "fill"}
"""Calls that make a warning in both languages."""
_POSITIONAL = {"Found": 3, "SourceText": 3, "Cleaned": 1}
"""Records whose warnings field is given by position: its index."""


def _name(node: ast.AST | None) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def _sinks(tree: ast.AST) -> Iterator[ast.expr]:
    """The expressions a warning is put into: appended or extended to a warnings/notes list, given
    as a record's warnings, assigned to a warnings/notes name, returned by a function that returns
    warnings (its name says so, or its return annotation names Note)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in {"append", "extend", "insert"} \
                    and _SINK.search(_name(func.value)):
                yield from node.args
            yield from (kw.value for kw in node.keywords if kw.arg and _SINK.search(kw.arg))
            yield from node.args[_POSITIONAL.get(_name(func), len(node.args)):]
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_SINK.search(_name(target)) for target in targets):
                yield node.value
        elif isinstance(node, ast.FunctionDef):
            returns = ast.unparse(node.returns) if node.returns else ""
            if "warning" in node.name or "Note" in returns:
                yield from (ret.value for ret in ast.walk(node) if isinstance(ret, ast.Return) and ret.value)


_WORDS = re.compile(r"[A-Za-z]{2,}\W+[A-Za-z]{2,}")
"""English words in a row: text, not a key ("warnings") or a separator (" / ")."""


def _english(node: ast.AST) -> bool:
    """True for a string literal holding English words, or an f-string holding an English word."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_WORDS.search(node.value))
    if isinstance(node, ast.JoinedStr):  # one word is enough: f"task {n}: {w}" re-wraps a warning
        return bool(re.search("[A-Za-z]{2,}", "".join(part.value for part in node.values
                                          if isinstance(part, ast.Constant) and isinstance(part.value, str))))
    return False


def _plain_strings(node: ast.AST) -> Iterator[ast.AST]:
    """English string literals and f-strings in `node` outside a bilingual call."""
    if isinstance(node, ast.Call) and _name(node.func) in _BILINGUAL:
        return
    if _english(node):
        yield node
        return
    for child in ast.iter_child_nodes(node):
        yield from _plain_strings(child)


def _plain_warnings(source: str) -> list[int]:
    """Line numbers where a warning is made of a plain string (English only)."""
    tree = ast.parse(source)
    return sorted({getattr(text, "lineno", 0) for sink in _sinks(tree) for text in _plain_strings(sink)})


def _scanned_files() -> list[Path]:
    return [path for package in SCANNED for path in sorted((TRACKER / package).rglob("*.py"))]


def test_no_warning_in_ingest_or_parse_is_a_plain_english_string() -> None:
    plain = [f"{path.relative_to(TRACKER.parent)}:{line}" for path in _scanned_files()
             for line in _plain_warnings(path.read_text(encoding="utf-8"))]
    assert not plain, "warnings made without their Chinese (use tracker.notes.Note(en, zh)):\n" + "\n".join(plain)


def test_the_scan_sees_the_warning_sites() -> None:
    """The scan is not vacuous: it reaches every place a warning is made."""
    sinks = made = 0
    for path in _scanned_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        sinks += sum(1 for _ in _sinks(tree))
        made += sum(1 for node in ast.walk(tree) if isinstance(node, ast.Call) and _name(node.func) == "Note")
    assert made >= 24
    assert sinks >= made


@pytest.mark.parametrize("source", [
    'warnings.append("no title was found")',
    'outline.warnings.append(f"task numbering skips: {a} is followed by {b}")',
    'notes = (f"its text is {n} characters long", *notes)',
    'note = "No header was found."',
    'Found((), 0, 1, (f"“{words}” names the year {y}",))',
    'SourceText(text, "txt", None, (*warnings, "bad bytes"))',
    'def _budget_warning(n: int) -> str:\n    return f"parsing stopped after {n} s"',
    'def _year(text: str) -> tuple[int, Note]:\n    return 2024, "the title names no year"',
    'warnings.extend(f"task {t.number}: {w}" for w in notes)',
    'REGULARLY_WARNING = "task text says 定期"',
])
def test_the_scan_finds_a_plain_string_warning(source: str) -> None:
    assert _plain_warnings(source)


@pytest.mark.parametrize("source", [
    'warnings.append(Note("no title was found", "没有找到标题。"))',
    'warnings.extend(prefixed(f"task {t.number}: ", f"任务{t.number}: ", w) for w in notes)',
    'Found((), 0, 1, (TEMPLATE.fill(words=f"“{words}”"),))',
    'def join(text: str) -> tuple[str, list[Note]]:\n    return "\\n".join(out), warnings',
    'names = " / ".join(cells)',
    'Draft(warnings=tuple(str(w) for w in data.get("warnings", [])))',
])
def test_the_scan_passes_bilingual_warnings(source: str) -> None:
    assert not _plain_warnings(source)


# --- running each warning ------------------------------------------------------------------------

HEAD = "2024年某局政务公开工作要点\n"
REPORT_BODY = "\n五、存在的主要问题及改进情况\n下一步,我局将:一是加强平台建设;二是推进政策解读。"
REPORT = "某县民政局政府信息公开工作年度报告"


def _parsed(text: str, **options: object) -> tuple[str, ...]:
    return parse(text, **options).warnings  # type: ignore[arg-type]


def _bad_bytes(tmp_path: Path) -> tuple[str, ...]:
    path = tmp_path / "plan.txt"
    path.write_bytes((HEAD + "一、甲\n").encode("gb18030") + b"\xff" + "1.做好甲。\n".encode("gb18030"))
    return read_document(path).warnings


def _plain_workbook(tmp_path: Path) -> tuple[str, ...]:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2024年工作要点"])
    sheet.append(["一、提高公开质量"])
    book.save(tmp_path / "plain.xlsx")
    return read_document(tmp_path / "plain.xlsx").warnings


def _garbled(_: Path) -> tuple[str, ...]:
    return clean_with_warnings((SEEDS / "annual_2023_lanzhou_xinqu_minzheng.txt").read_text(encoding="utf-8")).warnings


def _header_without_rows(_: Path) -> tuple[str, ...]:
    outline = read_tables("序号 | 工作任务 | 责任单位\n\n正文。")
    assert outline is not None
    return tuple(outline.warnings)


CASES: list[tuple[str, Callable[[Path], tuple[str, ...]], str, str]] = [
    # (name, what gives the warnings, the English warning, its Chinese)
    ("table_and_prose", lambda _: _parsed(
        HEAD + "序号 | 工作任务 | 责任单位\n1 | 推进政策解读 | 局办公室\n\n一、其他\n1.做好甲。\n2.做好乙。\n"),
     "tasks were read from the task table; the 2 numbered items outside it were not read as tasks",
     "任务取自任务分工表; 表外的2个编号条目未作为任务读取。"),
    ("budget", lambda _: _parsed(HEAD + "一、甲\n1.做好甲。\n2.做好乙。\n", budget_seconds=0.0),
     "parsing stopped after 0 s at task 1 (1 of 2): the document is too large; the last 2 tasks were kept "
     "without owners or rules (assign them with `tracker assign` and `tracker rule`, or split the document)",
     "解析用时达到0秒, 停在任务1 (第1项, 共2项): 文件太大; 最后2项任务已保留, 但未读取责任单位和规则 "
     "(请用 `tracker assign` 和 `tracker rule` 补上, 或把文件拆开)。"),
    ("long_task", lambda _: _parsed(HEAD + "一、甲\n1." + "做好公开工作。" * 3000 + "\n"),
     "task 1: its text is 21,000 characters long; owners and rules were read from its first 20,000 "
     "characters only",
     "任务1: 正文长21,000字, 只从前20,000字中读取了责任单位和规则。"),
    ("no_title", lambda _: _parsed("请各单位认真执行。\n一、甲\n1.做好甲。\n"),
     "no title line (…工作要点 / …年度报告) was found near the top",
     "开头部分没有找到标题行 (…工作要点 / …年度报告)。"),
    ("year_from_date_written", lambda _: _parsed("某局政务公开工作要点\n成文日期:2024年3月1日\n一、甲\n1.做好甲。\n"),
     "the title names no year; 2024 was taken from the date written",
     "标题中没有年份; 按成文日期取2024年。"),
    ("no_year", lambda _: _parsed("某局政务公开工作要点\n一、甲\n1.做好甲。\n"),
     "the document names no year in its title; give it with --year",
     "文件标题中没有年份; 请用 --year 指定。"),
    ("report_year_named", lambda _: _parsed(REPORT + "\n根据条例,编制2020年度政府信息公开年度报告。" + REPORT_BODY),
     "the title names no year; 2020 was read from the text (2020年度政府信息公开年度报告)",
     "标题中没有年份; 按正文中的报告名称 (2020年度政府信息公开年度报告) 取2020年。"),
    ("report_year_written", lambda _: _parsed(REPORT + REPORT_BODY + "\n某县民政局\n2021年1月15日"),
     "the title names no year; 2020 was taken as the year before the date written (2021-01-15): a report "
     "is written early in the year after the one it reports on",
     "标题中没有年份; 取成文日期 (2021-01-15) 的前一年2020年: 年度报告一般在所报告年度的次年年初编写。"),
    ("report_year_plans", lambda _: _parsed(REPORT + REPORT_BODY.replace("下一步,我局将", "2021年将做好以下工作")),
     "the title names no year; 2020 was taken as the year before the one its commitments are for (2021年将…)",
     "标题中没有年份; 按其下一年度的工作打算 (2021年将…) 取前一年2020年。"),
    ("report_no_year", lambda _: _parsed(REPORT + REPORT_BODY),
     "the document names no year in its title; give it with --year",
     "文件标题中没有年份; 请用 --year 指定。"),
    ("regularly", lambda _: extract_requirements("定期组织开放活动")[1],
     "task text says 定期 (regularly) without a period: set the period with `tracker rule`",
     "任务正文写了“定期”, 但没有写明周期: 请用 `tracker rule` 设置周期。"),
    ("two_months", lambda _: _parsed(HEAD + "一、甲\n1.每两个月至少开展2次检查。\n"),
     "task 1: task text says “每两个月至少开展2次” (more than once every two months): set the rule with "
     "`tracker rule`",
     "任务1: 任务正文写了“每两个月至少开展2次” (每两个月不止一次), 未读作规则: 请用 `tracker rule` 设置规则。"),
    ("other_year", lambda _: _parsed(HEAD + "一、甲\n1.做好甲。\n2.目录于2023年6月底前完成更新。\n"),
     "task 2: “2023年6月底前” names the year 2023, not the plan's year 2024: it was not read as a deadline; "
     "set one with `tracker rule` if it is one",
     "任务2: “2023年6月底前”写的是2023年, 不是计划所在的2024年: 未读作完成时限; 如确是时限, 请用 `tracker rule` 设置。"),
    ("section_back", lambda _: _parsed(HEAD + "一、甲\n1.做好甲。\n二、乙\n2.做好乙。\n一、丙\n3.做好丙。\n"),
     "section number 一 after 二 was read as text of the section before it",
     "板块序号“一”出现在“二”之后, 已作为上一板块的正文读取。"),
    ("section_skip", lambda _: _parsed(HEAD + "一、甲\n1.做好甲。\n三、丙\n2.做好乙。\n"),
     "section numbering skips from 一 to 三",
     "板块序号从“一”跳到了“三”。"),
    ("no_tasks", lambda _: _parsed(HEAD + "请各单位认真执行。\n"),
     "no numbered tasks were found (一、 / (一) / 1. …)",
     "没有找到带编号的任务 (一、 / (一) / 1. …)。"),
    ("task_skip", lambda _: _parsed(HEAD + "一、甲\n1.做好甲。\n2.做好乙。\n4.做好丁。\n"),
     "task numbering skips: 2 is followed by 4",
     "任务编号跳号: 2之后是4。"),
    ("task_repeat", lambda _: _parsed(HEAD + "一、甲\n1.做好甲。\n2.做好乙。\n2.做好丙。\n"),
     "task numbering repeats: 2 is followed by 2",
     "任务编号重复: 2之后是2。"),
    ("cells_without_number", lambda _: _parsed(
        HEAD + "工作任务\n具体要求\n牵头单位\n配合单位\n推进政策解读\n文件发布后3个工作日内发布。\n局办公室\n各科室\n"),
     "a task table copied one cell per line (工作任务 / 具体要求 / 牵头单位 / 配合单位) was not read: its rows "
     "could not be told apart (no 序号 column); import the .docx/.xlsx, or copy it with | between cells",
     "一张逐格分行复制的任务表 (工作任务 / 具体要求 / 牵头单位 / 配合单位) 未读取: 无法区分各行 (没有“序号”列); "
     "请导入 .docx/.xlsx 原件, 或复制时用 | 分隔单元格。"),
    ("cells_without_rows", lambda _: _parsed(HEAD + "序号\n工作任务\n具体要求\n牵头单位\n配合单位\n\n另行通知。\n"),
     "a task table copied one cell per line (序号 / 工作任务 / 具体要求 / 牵头单位 / 配合单位) was not read: no "
     "numbered row follows its header; import the .docx/.xlsx, or copy it with | between cells",
     "一张逐格分行复制的任务表 (序号 / 工作任务 / 具体要求 / 牵头单位 / 配合单位) 未读取: 表头下没有带序号的行; "
     "请导入 .docx/.xlsx 原件, 或复制时用 | 分隔单元格。"),
    ("header_without_rows", _header_without_rows,
     "a task table header was found but no rows under it",
     "找到了任务表的表头, 但表头下没有任何行。"),
    ("row_without_task", lambda _: _parsed(
        "序号 | 工作任务 | 具体要求 | 责任单位\n1 | 推进政策解读 | 文件发布后3个工作日内发布解读材料 | 局办公室\n"
        "2 | | | 信息中心\n"),
     "a table row has no task text in its task columns and was not read as a task: 2 | 信息中心",
     "表格中有一行的任务列没有内容, 未作为任务读取: 2 | 信息中心"),
    ("report_without_problems", lambda _: _parsed("2023年度某局政府信息公开工作年度报告\n一、总体情况\n做好公开。\n"),
     "no section on problems and improvements (存在的主要问题及改进情况) was found, so no commitments were read",
     "没有找到“存在的主要问题及改进情况”部分, 所以没有读取改进措施。"),
    ("report_without_commitments", lambda _: _parsed(
        "2023年度某局政府信息公开工作年度报告\n五、存在的主要问题及改进情况\n还存在一些不足,公开有待提高。\n"),
     "section 五 states no numbered improvement commitments (一是… / 1. under 下一步 or 改进措施)",
     "第五部分没有列出带编号的改进措施 (一是… / “下一步”或“改进措施”下的 1.)。"),
    ("bad_bytes", _bad_bytes,
     "1 byte sequence(s) could not be decoded as gb18030 and are shown as �.",
     "有1处字节无法按 gb18030 解码, 已显示为 �。"),
    ("unreadable_line", _bad_bytes,
     "Line 3 has 1 unreadable character(s), shown as �; check that passage against the original document.",
     "第3行有1个无法识别的字符, 已显示为 �; 请对照原文件核对这一段。"),
    ("plain_workbook", _plain_workbook,
     "No task-division header (序号 / 工作任务 / 责任单位 …) was found in the workbook; its rows are read as "
     "plain text.",
     "工作簿中没有找到任务分工表的表头 (序号 / 工作任务 / 责任单位 …); 各行按普通文字读取。"),
    ("garbled_line", _garbled,
     "Line 10 contains garbled characters that could not be repaired (starting “ㄈ┱叽胧┙庾”); check that "
     "passage against the original document.",
     "第10行有无法修复的乱码 (从“ㄈ┱叽胧┙庾”开始); 请对照原文件核对这一段。"),
]


@pytest.mark.parametrize(("make", "english", "zh"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_each_warning_says_the_same_in_chinese(tmp_path: Path, make: Callable[[Path], tuple[str, ...]],
                                               english: str, zh: str) -> None:
    warnings = make(tmp_path)
    assert english in warnings, warnings  # the English sentence, as the contract has it, unchanged
    (warning,) = (w for w in warnings if w == english)
    assert isinstance(warning, Note)
    assert warning.zh == zh
    assert (shown(warning, "zh"), shown(warning, "en")) == (zh, english)
    assert not _english_words(zh)


_KEPT = re.compile(r"`[^`]*`|“[^”]*”|--[a-z-]+|\.(?:docx|xlsx)\b")
"""What a Chinese warning keeps as written: commands, quoted words, options, file extensions."""


def _english_words(zh: str) -> list[str]:
    """English words left in a Chinese sentence (an encoding's name, utf-8 or big5, is a value)."""
    return [w for w in re.findall(r"[A-Za-z]{3,}", _KEPT.sub("", zh)) if w not in {"utf", "sig", "big"}]


def test_the_cases_cover_every_place_a_warning_is_made() -> None:
    made = sum(1 for path in _scanned_files() for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.Call) and _name(node.func) == "Note")
    # two cases per site for the table copied one cell per line (one Note, two reasons), the task
    # numbering (skips/repeats) and the garbled/unreadable lines of one file; _NO_YEAR serves two
    assert len(CASES) >= made


@pytest.mark.parametrize("seed", sorted(path.name for path in SEEDS.glob("*.txt")))
def test_every_warning_of_the_seeds_is_in_chinese_and_the_contract_in_english(seed: str) -> None:
    source = read_document(SEEDS / seed)
    draft = parse(source.text)
    draft = draft._replace(warnings=(*source.warnings, *draft.warnings))
    for warning in draft.warnings:
        assert isinstance(warning, Note), warning
        assert re.search("[\u4e00-\u9fff]", warning.zh), warning
        assert not _english_words(warning.zh), warning.zh
    data = to_json(draft)
    assert data["warnings"] == list(draft.warnings)
    assert all(type(w) is str for w in data["warnings"])  # plain JSON strings, the English


# --- the Note itself -----------------------------------------------------------------------------


def test_a_note_is_its_english_sentence() -> None:
    note = Note("task text says 定期", "任务正文写了“定期”。")
    assert note == "task text says 定期"
    assert hash(note) == hash("task text says 定期")
    assert note.startswith("task text")
    assert f"{note}" == "task text says 定期"
    assert repr(note) == repr(str(note))  # the draft's hash (tracker.store.importer) reads its repr
    assert list(dict.fromkeys([note, "task text says 定期"])) == [note]  # dedup by the English, the Note kept
    for kept in (copy.copy(note), copy.deepcopy(note), pickle.loads(pickle.dumps(note))):
        assert (kept, kept.zh) == (note, note.zh)
    assert note.text() == note.text("zh") == "任务正文写了“定期”。"
    assert note.text("en") == note


def test_prefix_and_template_keep_both_languages() -> None:
    task = prefixed("task 9: ", "任务9: ", Note("no rule", "没有规则。"))
    assert (task, task.zh) == ("task 9: no rule", "任务9: 没有规则。")
    template = Note("says {words}", "写了{words}。").fill(words="“每两个月”")
    assert (template, template.zh) == ("says “每两个月”", "写了“每两个月”。")


def test_a_plain_warning_read_back_from_json_is_shown_as_it_is() -> None:
    """A warning read back from the contract (`from_json`) has no Chinese: it is shown in English."""
    draft = from_json(to_json(parse(HEAD + "一、甲\n1.定期组织开放活动。\n")))
    (warning,) = draft.warnings
    assert not isinstance(warning, Note)
    assert warning.startswith("task 1: task text says 定期")
    assert shown(warning, "zh") == chinese(warning) == warning
