"""Read a Word .docx plan: its paragraphs and tables, in document order.

python-docx's `Document.paragraphs` and `Document.tables` are two separate lists, which loses the
order (a division table between two sections would move to the end). So the body's XML children
are walked in order: a `w:p` is one paragraph, a `w:tbl` one grid of cell texts — a horizontally
merged cell appears once; a vertically merged cell's text is repeated on every row it spans, so
each task row names its owner. List numbers Word draws itself are written out (`numbering`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import BadInputError
from tracker.ingest.numbering import list_numbers
from tracker.ingest.zipcheck import check_unpacked_size

if TYPE_CHECKING:
    from docx.table import Table as DocxTable

Block = str | list[list[str]]
"""A paragraph's text, or a table as rows of cell texts."""

def read_docx(path: Path) -> list[Block]:
    """Return the paragraphs and tables of the .docx at `path`, in document order, uncleaned.

    Empty paragraphs are kept as "" (the caller's clean-up collapses them). Text in headers,
    footers, text boxes and footnotes is not read. Raises BadInputError when the file is not a
    readable .docx.
    """
    # deferred: python-docx pulls lxml (~60 ms here); only .docx plans need it
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    check_unpacked_size(path, fix="open it in Word or WPS and save it again as .docx",
                        fix_zh="请在 Word 或 WPS 中打开, 重新另存为 .docx")
    try:
        document = docx.Document(str(path))
    # SyntaxError covers lxml's XMLSyntaxError; the rest are what a damaged ZIP raises.
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError,
            OSError, EOFError) as error:
        raise BadInputError(
            f"{path.name} cannot be read as a Word .docx document ({type(error).__name__}); "
            "open it in Word or WPS and save it again as .docx.",
            zh=f"{path.name} 无法作为 Word .docx 文档读取 ({type(error).__name__}); "
               "请在 Word 或 WPS 中打开, 重新另存为 .docx。",
        ) from error
    numbers = list_numbers(document)
    blocks: list[Block] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            label = numbers.label(child)  # Word's automatic "1." / "一、", not in the text
            text = Paragraph(child, document).text
            blocks.append(label + text if text.strip() else text)
        elif tag == "tbl":
            blocks.append(_grid(DocxTable(child, document)))
    return blocks


def _grid(table: DocxTable) -> list[list[str]]:
    """The table's rows as lists of cell texts, one per distinct cell (merges handled)."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # a horizontal span repeats the same <w:tc>
                continue
            previous = cell._tc
            cells.append(cell.text)
        rows.append(cells)
    return rows
