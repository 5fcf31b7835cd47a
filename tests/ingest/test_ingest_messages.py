"""A plan file that cannot be read is one sentence on the command line: Chinese by default, English
with --lang en — one case per reader (tracker.ingest, its .docx/.xlsx readers, the text decoder and
the zip-bomb check)."""

from __future__ import annotations

import io
import zipfile
from functools import partial
from pathlib import Path

import docx
import pytest

import tracker.ingest.docx as docx_reader
from tracker.cli import main
from tracker.ingest.zipcheck import check_unpacked_size

MIB = 1024 * 1024


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _directory(tmp_path: Path) -> Path:
    return tmp_path


def _old_word(tmp_path: Path) -> Path:
    path = tmp_path / "plan.doc"
    path.write_bytes(b"anything")
    return path


def _pdf_as_text(tmp_path: Path) -> Path:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    return path


def _not_decodable(tmp_path: Path) -> Path:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"\xff" * 200)
    return path


def _false_bom(tmp_path: Path) -> Path:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"\xff\xfe" + b"\x00\xd8" * 100)  # UTF-16 BOM, then lone surrogates only
    return path


def _damaged_docx(tmp_path: Path) -> Path:
    path = tmp_path / "plan.docx"
    path.write_bytes(_zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"}))
    return path


def _damaged_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(_zip({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<workbook"}))
    return path


@pytest.mark.parametrize(("make", "chinese", "english"), [
    (_directory, "{path} 是目录; 请给出计划文件本身 (.txt, .docx, .html 或 .xlsx)。",
     "{path} is a directory; give the plan file itself (.txt, .docx, .html or .xlsx)."),
    (_old_word, "plan.doc 是旧版 Word .doc 文件; 请在 Word 或 WPS 中打开, 另存为 .docx。",
     "plan.doc is an old Word .doc file; open it in Word or WPS and save it as .docx."),
    (_pdf_as_text, "plan.txt 看起来是 PDF 文档, 不是文本文件; 请把其中的文字复制到 .txt 文件, 或导出为 .docx。",
     "plan.txt looks like a PDF document, not a text file; copy its text into a .txt file or export it as .docx."),
    (_not_decodable, "plan.txt 无法解码为文本: 它不是 UTF-8, GB18030 (GBK) 或 Big5 编码; 请另存为 UTF-8 文本后重试。",
     "plan.txt cannot be decoded as text: it is not UTF-8, GB18030 (GBK) or Big5; save it as UTF-8 text and "
     "try again."),
    (_false_bom, "plan.txt 以 utf-16 字节顺序标记 (BOM) 开头, 但内容不是 utf-16 文本; 请另存为 UTF-8 文本后重试。",
     "plan.txt starts with a utf-16 byte-order mark but is not utf-16 text; save it as UTF-8 text and try again."),
    (_damaged_docx, "plan.docx 无法作为 Word .docx 文档读取 ({error}); 请在 Word 或 WPS 中打开, 重新另存为 .docx。",
     "plan.docx cannot be read as a Word .docx document ({error}); open it in Word or WPS and save it again "
     "as .docx."),
    (_damaged_xlsx, "plan.xlsx 无法作为 Excel .xlsx 工作簿读取 ({error}); 请在 Excel 或 WPS 中打开, 重新另存为 .xlsx。",
     "plan.xlsx cannot be read as an Excel .xlsx workbook ({error}); open it in Excel or WPS and save it again "
     "as .xlsx."),
], ids=["directory", "doc", "pdf-as-txt", "undecodable", "false-bom", "damaged-docx", "damaged-xlsx"])
def test_an_unreadable_plan_is_one_sentence_in_the_users_language(db_path, tmp_path, make, chinese, english):
    path = make(tmp_path)
    code, out, err = cli("parse", str(path))
    assert (code, out) == (3, "")
    error = err.rsplit("(", 1)[-1].split(")")[0] if "{error}" in chinese else ""
    assert err == "tracker: " + chinese.format(path=path, error=error) + "\n"
    code, out, err = cli("--lang", "en", "parse", str(path))
    assert (code, out) == (3, "")
    assert err == "tracker: " + english.format(path=path, error=error) + "\n"


def test_a_docx_that_would_unpack_too_far_is_one_sentence_in_the_users_language(db_path, tmp_path, monkeypatch):
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/media/padding.bin", b"\x00" * (3 * MIB))
    monkeypatch.setattr(docx_reader, "check_unpacked_size", partial(check_unpacked_size, limit=MIB))
    code, _, err = cli("import", str(path))
    assert code == 3
    assert err == ("tracker: bomb.docx 解压后将有 3 MB, 远超任何计划文件 (最多 1 MB); 文件可能已损坏或被恶意构造; "
                   "请在 Word 或 WPS 中打开, 重新另存为 .docx。\n")
    code, _, err = cli("--lang", "en", "import", str(path))
    assert code == 3
    assert err == ("tracker: bomb.docx would unpack to 3 MB, far more than a plan (at most 1 MB); it is damaged or "
                   "a zip bomb — open it in Word or WPS and save it again as .docx.\n")
    assert not db_path.exists()
