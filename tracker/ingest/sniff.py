"""Say what kind of file some bytes are, from their first bytes, before anything tries to decode them.

A plan arrives as .txt, .docx, .html or .xlsx; people also hand over PDFs, scans, old .doc files
and documents renamed to the wrong extension. Sniffing the magic numbers lets the error say what
the file looks like ("looks like a PDF document") instead of failing inside a decoder.
"""

from __future__ import annotations

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word or Excel file (.doc/.xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

_CONTROL_OK = frozenset(b"\t\n\r\x0c\x1a")  # tab, newlines, form feed, DOS end-of-file
_MAX_CONTROL_SHARE = 0.01  # real text has ~0 control bytes; 1% is far beyond any copy-paste accident


def binary_kind(data: bytes) -> str | None:
    """Return what `data` looks like when it is not text ("a PDF document"), else None.

    Checks magic numbers, ZIP containers (naming .docx/.xlsx inside), NUL bytes and the share of
    control bytes. UTF-16 text (with its BOM) contains NUL bytes but is text: it returns None.
    Empty data returns None; the caller reports emptiness itself.
    """
    if data.startswith(UTF16_BOMS):
        return None
    # RIFF....WEBP: the magic is split around a length field.
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "a WebP image"
    # BMP's magic is only "BM"; its four reserved bytes (6-9) are zero, which text never has.
    if data.startswith(b"BM") and data[6:10] == b"\x00\x00\x00\x00":
        return "a BMP image"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(ZIP_MAGIC):
        return zip_kind(data)
    head = data[:65536]
    if b"\x00" in head:
        return "a binary file (it contains NUL bytes)"
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _CONTROL_OK)
    if head and controls / len(head) > _MAX_CONTROL_SHARE:
        return "a binary file (it contains many control bytes)"
    return None


def zip_kind(data: bytes) -> str:
    """Name the kind of ZIP container `data` is: a Word .docx, an Excel .xlsx, or a plain ZIP.

    A damaged archive is still "a ZIP archive"; this never raises.
    """
    import io
    import zipfile  # deferred: ~4 ms, and only ZIP-looking files need it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "a ZIP archive"
    if "word/document.xml" in names:
        return "a Word .docx document"
    if "xl/workbook.xml" in names:
        return "an Excel .xlsx workbook"
    if "content.xml" in names:
        return "an OpenDocument (WPS/LibreOffice) file"
    return "a ZIP archive"


_KIND_ZH = {
    "a PDF document": "PDF 文档",
    "a PNG image": "PNG 图片",
    "a JPEG image": "JPEG 图片",
    "a GIF image": "GIF 图片",
    "a TIFF image": "TIFF 图片",
    "a WebP image": "WebP 图片",
    "a BMP image": "BMP 图片",
    "an old Word or Excel file (.doc/.xls)": "旧版 Word 或 Excel 文件 (.doc/.xls)",
    "an RTF document": "RTF 文档",
    "a RAR archive": "RAR 压缩包",
    "a 7-Zip archive": "7-Zip 压缩包",
    "a gzip archive": "gzip 压缩包",
    "a program (ELF executable)": "程序文件 (ELF 可执行文件)",
    "an SQLite database": "SQLite 数据库文件",
    "a binary file (it contains NUL bytes)": "二进制文件 (含 NUL 字节)",
    "a binary file (it contains many control bytes)": "二进制文件 (含大量控制字符)",
    "a ZIP archive": "ZIP 压缩包",
    "a Word .docx document": "Word .docx 文档",
    "an Excel .xlsx workbook": "Excel .xlsx 工作簿",
    "an OpenDocument (WPS/LibreOffice) file": "OpenDocument (WPS/LibreOffice) 文件",
    "plain text": "纯文本",
}


def kind_zh(kind: str) -> str:
    """The Chinese name of a kind `binary_kind` / `zip_kind` returns ("a PDF document" → "PDF 文档"),
    for the Chinese sentence of an error that names it."""
    return _KIND_ZH.get(kind, kind)
