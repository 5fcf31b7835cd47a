"""Every kind of wrong file raises BadInputError with one sentence saying what is wrong."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from tracker.errors import BadInputError
from tracker.ingest import read_document

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x11" * 40
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("2024年政务公开工作要点")
    document.save(buffer)
    return buffer.getvalue()


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


# Words a Chinese sentence may carry: formats, programs, encodings and units (not English prose).
_NAMES_IN_CHINESE = {"Word", "Excel", "WPS", "PDF", "OFD", "UTF", "GB18030", "GBK", "Big5", "BOM", "NUL", "docx",
                     "xlsx", "txt", "html", "doc", "xls", "PNG", "JPEG", "ZIP", "RTF", "OpenDocument",
                     "LibreOffice", "dev", "zero", "plan", "page", "huge", "nope", "tmp", "pdf",
                     "XMLSyntaxError"}  # a driver's error class, as the English sentence names it


def _raises(path: Path) -> str:
    """The English sentence (returned) — and the Chinese one is there too, one line, without English prose."""
    with pytest.raises(BadInputError) as caught:
        read_document(path)
    message = str(caught.value)
    assert message.endswith("."), message
    assert "\n" not in message
    assert "Traceback" not in message
    chinese = caught.value.text("zh")
    assert chinese != message
    assert chinese.endswith("。"), chinese
    assert "\n" not in chinese
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9]{2,}", chinese.replace(str(path), "")))
    assert words <= _NAMES_IN_CHINESE, (words - _NAMES_IN_CHINESE, chinese)
    return message


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert _raises(missing) == f"No such file: {missing}."


def test_directory(tmp_path: Path) -> None:
    assert "is a directory" in _raises(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"")
    assert _raises(path) == "plan.txt is empty (0 bytes); give the plan file with its text."


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(" \r\n\u3000\n", encoding="utf-8")
    assert "contains no readable text" in _raises(path)


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (PNG, "looks like a PNG image"),
        (JPEG, "looks like a JPEG image"),
        (PDF, "looks like a PDF document"),
        (OLE, "looks like an old Word or Excel file (.doc/.xls)"),
        (_zip({"a.csv": b"1,2"}), "looks like a ZIP archive"),
        (b"2024\x00\x00\x01\x02plan" * 10, "looks like a binary file (it contains NUL bytes)"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08plan text" * 10, "looks like a binary file (it contains many control bytes)"),
    ],
    ids=["png", "jpeg", "pdf", "ole", "zip", "nul", "controls"],
)
def test_binary_named_txt(tmp_path: Path, data: bytes, looks_like: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    assert f"plan.txt {looks_like}, not a text file" in _raises(path)


def test_docx_renamed_txt_says_rename_it(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(_docx_bytes())
    assert _raises(path) == "plan.txt looks like a Word .docx document, not a text file; rename it to .docx."


def test_xlsx_renamed_txt_says_rename_it(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(_xlsx_bytes())
    assert "rename it to .xlsx" in _raises(path)


def test_pdf_renamed_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PDF)
    assert "looks like a PDF document" in _raises(path)


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"\xff" * 200)
    assert "cannot be decoded as text" in _raises(path)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("plan.docx", "2024年要点".encode(), "plan.docx is not a Word .docx document: it looks like plain text"),
        ("plan.docx", PDF, "plan.docx is not a Word .docx document: it looks like a PDF document"),
        ("plan.xlsx", _docx_bytes(), "plan.xlsx is not an Excel .xlsx workbook: it looks like a Word .docx document"),
        ("plan.docx", _zip({"a.txt": b"x"}), "plan.docx is not a Word .docx document: it looks like a ZIP archive"),
    ],
    ids=["text-as-docx", "pdf-as-docx", "docx-as-xlsx", "zip-as-docx"],
)
def test_container_of_the_wrong_kind(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert _raises(path).startswith(expected)


def test_damaged_docx(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(_zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"}))
    assert "cannot be read as a Word .docx document" in _raises(path)


def test_damaged_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(_zip({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<workbook"}))
    assert "cannot be read as an Excel .xlsx workbook" in _raises(path)


@pytest.mark.parametrize(
    ("name", "advice"),
    [("plan.doc", "save it as .docx"), ("plan.xls", "save it as .xlsx"), ("plan.pdf", "copy its text")],
)
def test_formats_we_do_not_read_are_refused_with_advice(tmp_path: Path, name: str, advice: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"anything")
    assert advice in _raises(path)


def test_page_with_only_script_has_no_text(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><script>render('要点')</script></body></html>", encoding="utf-8")
    assert "contains no readable text" in _raises(path)


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    text_file = tmp_path / "plan.dat"
    text_file.write_text("2024年政务公开工作要点", encoding="gb18030")
    assert read_document(text_file).format == "txt"
    docx_file = tmp_path / "plan.bin"
    docx_file.write_bytes(_docx_bytes())
    assert read_document(docx_file).text == "2024年政务公开工作要点"


def test_device_is_not_read() -> None:
    assert _raises(Path("/dev/zero")) == "/dev/zero is not a regular file; give the plan file itself."


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)  # sparse: no disk used, stat says 51 MB
    assert _raises(path) == "huge.txt is 51 MB, too large to be a plan (at most 50 MB is read)."
