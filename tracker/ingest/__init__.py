"""tracker.ingest — a plan file (.txt, .docx, .html, .xlsx) in, clean simplified text out.

The I/O edge of the parse path: `read_document(path)` sniffs the bytes, refuses what is not a
document (with a sentence saying what it looks like), picks the reader for the format, and runs
the one clean-up (`clean.clean_with_warnings`) over the result. `clean_text` is that clean-up
alone, for tests and callers that already hold a string. Heavy readers (python-docx, openpyxl) are imported only
when a file of their format is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import BadInputError
from tracker.ingest.clean import CLOSE, OPEN, clean_text, clean_with_warnings
from tracker.ingest.encoding import Decoded, decode_bytes
from tracker.ingest.sniff import ZIP_MAGIC, binary_kind, kind_zh, zip_kind
from tracker.ingest.table import TABLE_COLUMNS, Table, split_table
from tracker.notes import Note

__all__ = [
    "CLOSE",
    "OPEN",
    "TABLE_COLUMNS",
    "SourceText",
    "clean_text",
    "read_document",
]

MAX_BYTES = 50 * 1024 * 1024
"""Largest file read: a plan is a few hundred kB; a bigger file is the wrong file."""


@dataclass(frozen=True)
class SourceText:
    """A document read and cleaned: what the parser takes, and what could not be read."""

    text: str
    """Clean text, simplified script, one paragraph or table row per line (`tracker.ingest.clean`)."""
    format: str
    """The format read: "txt" | "docx" | "html" | "xlsx"."""
    encoding: str | None
    """Detected encoding for txt/html ("utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"), else None."""
    warnings: tuple[Note, ...] = ()
    """Plain sentences about what was damaged or guessed (bad bytes, garbled lines), each in English
    and Chinese (`tracker.notes.Note`)."""
    rows: tuple[tuple[str, ...], ...] | None = None
    """Task-division tables (xlsx, docx): `TABLE_COLUMNS` first, then one tuple per task row in
    that column order ("" where the table has no such column); None when there is no such table."""


_EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".docx": "docx", ".html": "html", ".htm": "html",
    ".shtml": "html", ".xhtml": "html", ".xlsx": "xlsx", ".xlsm": "xlsx",
}
_REFUSED = {
    ".doc": ("an old Word .doc file; open it in Word or WPS and save it as .docx",
             "旧版 Word .doc 文件; 请在 Word 或 WPS 中打开, 另存为 .docx"),
    ".wps": ("a WPS .wps file; open it in WPS and save it as .docx",
             "WPS .wps 文件; 请在 WPS 中打开, 另存为 .docx"),
    ".xls": ("an old Excel .xls file; open it in Excel or WPS and save it as .xlsx",
             "旧版 Excel .xls 文件; 请在 Excel 或 WPS 中打开, 另存为 .xlsx"),
    ".et": ("a WPS spreadsheet; open it in WPS and save it as .xlsx",
            "WPS 表格文件; 请在 WPS 中打开, 另存为 .xlsx"),
    ".pdf": ("a PDF document; copy its text into a .txt file or export it as .docx",
             "PDF 文档; 请把其中的文字复制到 .txt 文件, 或导出为 .docx"),
    ".ofd": ("an OFD document; copy its text into a .txt file or export it as .docx",
             "OFD 文档; 请把其中的文字复制到 .txt 文件, 或导出为 .docx"),
}
"""Extensions of documents that are not read, each with what it is and what to do (English, Chinese)."""
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


def read_document(path: str | Path) -> SourceText:
    """Read the plan at `path` and return its clean text (and division-table rows, if any).

    The format comes from the extension (.txt .docx .html/.htm .xlsx); a file with another
    extension is sniffed. A .txt holding a saved web page is read as HTML. A partly damaged
    document still returns, with warnings. Raises BadInputError, with one sentence, for a
    missing path, a directory, an empty or oversized file, a binary or image file, a file of
    another kind under a text extension, undecodable text, and a document with no text at all.
    """
    path = Path(path)
    data = _read_bytes(path)
    fmt = _format_of(path, data)
    if fmt in {"docx", "xlsx"}:
        _require_container(path, data, fmt)
        result = _read_docx(path) if fmt == "docx" else _read_xlsx(path)
    else:
        result = _read_text(path, data, fmt)
    if not result.text.strip():
        raise BadInputError(
            f"{path.name} contains no readable text; a scanned page or a page that loads its "
            "text by script cannot be read — save the plan's text as .txt or .docx.",
            zh=f"{path.name} 中没有可读取的文字; 扫描件和通过脚本加载正文的网页无法读取; "
               "请把计划正文另存为 .txt 或 .docx。",
        )
    return result


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, after the checks that need no content: exists, is a file, size."""
    if not path.exists():
        raise BadInputError(f"No such file: {path}.", zh=f"文件不存在: {path}。")
    if path.is_dir():
        raise BadInputError(
            f"{path} is a directory; give the plan file itself (.txt, .docx, .html or .xlsx).",
            zh=f"{path} 是目录; 请给出计划文件本身 (.txt, .docx, .html 或 .xlsx)。",
        )
    if not path.is_file():  # a device or a pipe: reading could block or never end
        raise BadInputError(f"{path} is not a regular file; give the plan file itself.",
                            zh=f"{path} 不是普通文件; 请给出计划文件本身。")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BadInputError(
                f"{path.name} is {size // (1024 * 1024)} MB, too large to be a plan "
                f"(at most {MAX_BYTES // (1024 * 1024)} MB is read).",
                zh=f"{path.name} 大小为 {size // (1024 * 1024)} MB, 超出计划文件的上限 "
                   f"(最多读取 {MAX_BYTES // (1024 * 1024)} MB)。",
            )
        data = path.read_bytes()
    except OSError as error:
        raise BadInputError(f"{path} cannot be read: {error.strerror or error}.",
                            zh=f"无法读取 {path}: {error.strerror or error}。") from error
    if not data:
        raise BadInputError(f"{path.name} is empty (0 bytes); give the plan file with its text.",
                            zh=f"{path.name} 是空文件 (0 字节); 请给出有正文的计划文件。")
    return data


def _after(word: str, name: str) -> str:
    """A Chinese word followed by a name, spaced when the name starts in Latin letters:
    "是旧版 Word .doc 文件", "是 PDF 文档"."""
    return f"{word} {name}" if name[:1].isascii() else word + name


def _format_of(path: Path, data: bytes) -> str:
    """The reader to use: from the extension, refusing known non-plan formats, else sniffed."""
    suffix = path.suffix.lower()
    if suffix in _REFUSED:
        what, what_zh = _REFUSED[suffix]
        raise BadInputError(f"{path.name} is {what}.", zh=f"{path.name} {_after('是', what_zh)}。")
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if data.startswith(ZIP_MAGIC):
        kind = zip_kind(data)
        if kind.startswith("a Word"):
            return "docx"
        if kind.startswith("an Excel"):
            return "xlsx"
    return "html" if _HTML_START.match(data[:1024].decode("latin-1")) else "txt"


def _require_container(path: Path, data: bytes, fmt: str) -> None:
    """Refuse a .docx/.xlsx whose bytes are not that kind of ZIP container."""
    expected = "a Word .docx document" if fmt == "docx" else "an Excel .xlsx workbook"
    kind = zip_kind(data) if data.startswith(ZIP_MAGIC) else binary_kind(data) or "plain text"
    if kind != expected:
        raise BadInputError(
            f"{path.name} is not {expected}: it looks like {kind}; "
            "check the file or give it its proper extension.",
            zh=f"{path.name} {_after('不是', kind_zh(expected))}: {_after('看起来是', kind_zh(kind))}; "
               "请检查文件, 或改用正确的扩展名。",
        )


_HINTS = {
    "a Word .docx document": ("rename it to .docx", "请把扩展名改为 .docx"),
    "an Excel .xlsx workbook": ("rename it to .xlsx", "请把扩展名改为 .xlsx"),
    "a PDF document": ("copy its text into a .txt file or export it as .docx",
                       "请把其中的文字复制到 .txt 文件, 或导出为 .docx"),
    "an old Word or Excel file (.doc/.xls)": ("open it in Word, Excel or WPS and save it as .docx or .xlsx",
                                              "请在 Word、Excel 或 WPS 中打开, 另存为 .docx 或 .xlsx"),
}
"""What to do with a file that looks like `kind` and came as text (English, Chinese)."""
_OTHER_HINT = ("give the plan as .txt, .docx, .html or .xlsx", "请以 .txt, .docx, .html 或 .xlsx 格式提供计划")


def _read_text(path: Path, data: bytes, fmt: str) -> SourceText:
    """Decode a .txt or .html file and clean it; a .txt holding HTML is read as HTML."""
    kind = binary_kind(data)
    if kind is not None:
        hint, hint_zh = _HINTS.get(kind, _OTHER_HINT)
        raise BadInputError(f"{path.name} looks like {kind}, not a text file; {hint}.",
                            zh=f"{path.name} {_after('看起来是', kind_zh(kind))}, 不是文本文件; {hint_zh}。")
    decoded = _decode_html(data, path.name) if fmt == "html" else decode_bytes(data, path.name)
    warnings: list[Note] = []
    if decoded.replaced:
        warnings.append(Note(
            f"{decoded.replaced} byte sequence(s) could not be decoded as {decoded.encoding} "
            "and are shown as �.",
            f"有{decoded.replaced}处字节无法按 {decoded.encoding} 解码, 已显示为 �。",
        ))
    raw = decoded.text
    if fmt == "txt" and _HTML_START.match(raw[:2048]):
        fmt = "html"
    if fmt == "html":
        from tracker.ingest.html import html_to_lines

        raw = "\n".join(html_to_lines(raw))
    cleaned = clean_with_warnings(raw)
    return SourceText(cleaned.text, fmt, decoded.encoding, (*warnings, *cleaned.warnings))


def _decode_html(data: bytes, name: str) -> Decoded:
    """Decode a web page: BOM or valid UTF-8 first (pages re-saved as UTF-8 often keep a stale
    "gb2312" meta, and GB18030 would decode those bytes into garbage without complaint), then
    its <meta charset> when that reads strictly, else detection."""
    from tracker.ingest.html import declared_charset

    declared = declared_charset(data)
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or _is_utf8(data):
        return decode_bytes(data, name)
    if declared is not None:
        for codec in (declared, "cp950") if declared == "big5" else (declared,):
            try:
                return Decoded(data.decode(codec), declared)
            except UnicodeDecodeError:
                continue
    return decode_bytes(data, name)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_docx(path: Path) -> SourceText:
    """Paragraphs and tables of a .docx in order; task tables also as canonical rows."""
    from tracker.ingest.docx import read_docx

    lines: list[str] = []
    tables: list[Table] = []
    for block in read_docx(path):
        if isinstance(block, str):
            lines.extend(part.replace("\t", " ") for part in block.split("\n"))
        else:
            grid = _clean_grid(block)
            lines.extend(_render_rows(grid))
            if (table := split_table(grid)) is not None:
                tables.append(table)
    return _finish("docx", lines, tables)


def _read_xlsx(path: Path) -> SourceText:
    """Every visible sheet's rows as lines; task tables also as canonical rows."""
    from tracker.ingest.xlsx import read_xlsx

    lines: list[str] = []
    tables: list[Table] = []
    for _title, raw_grid in read_xlsx(path):
        grid = _clean_grid(raw_grid)
        table = split_table(grid)
        if table is None:
            lines.extend(_render_rows(grid))
            continue
        tables.append(table)
        lines.extend(_render_rows([*table.before, table.header, *table.body]))
    result = _finish("xlsx", lines, tables)
    if tables:
        return result
    note = Note("No task-division header (序号 / 工作任务 / 责任单位 …) was found in the workbook; "
                "its rows are read as plain text.",
                "工作簿中没有找到任务分工表的表头 (序号 / 工作任务 / 责任单位 …); 各行按普通文字读取。")
    return SourceText(result.text, "xlsx", None, (*result.warnings, note), None)


def _clean_grid(grid: list[list[str]]) -> list[list[str]]:
    """Each cell cleaned on its own (line breaks inside a cell kept), so headers match.

    Cleaned once per distinct value: merged 板块/责任单位 cells repeat the same text down a column.
    """
    cleaned: dict[str, str] = {"": ""}
    return [
        [cleaned[cell] if cell in cleaned else cleaned.setdefault(cell, clean_text(cell)) for cell in row]
        for row in grid
    ]


def _render_rows(grid: list[list[str]] | list[tuple[str, ...]]) -> list[str]:
    """One line per row, cells joined by " | " (inner empty cells kept, so columns stay aligned
    with the header line), line breaks inside a cell as spaces."""
    return [" | ".join(" ".join(cell.split("\n")) for cell in row) for row in grid]


def _finish(fmt: str, lines: list[str], tables: list[Table]) -> SourceText:
    """Clean the rendered lines once more as a whole (warnings by line) and gather the rows."""
    cleaned = clean_with_warnings("\n".join(lines))
    rows = None
    if tables:
        rows = (TABLE_COLUMNS, *(row for table in tables for row in table.rows[1:]))
    return SourceText(cleaned.text, fmt, None, cleaned.warnings, rows)
