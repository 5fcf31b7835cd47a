"""A .xlsx or .docx that would unpack to far more than any plan is refused before it is inflated."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from tracker.errors import BadInputError
from tracker.ingest import read_document
from tracker.ingest.zipcheck import MAX_UNPACKED, check_unpacked_size, unpacked_size

MIB = 1 << 20


def small_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["序号", "工作任务", "具体要求", "责任单位"])
    sheet.append([1, "推进政策解读", "文件发布后3个工作日内发布解读材料", "局办公室"])
    workbook.save(path)
    return path


def with_padding(path: Path, mib: int) -> Path:
    """Add a member of `mib` MiB of spaces (a few hundred kB packed): a zip bomb's shape."""
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open("xl/media/padding.bin", "w") as member:
        chunk = b" " * MIB
        for _ in range(mib):
            member.write(chunk)
    return path


def test_an_xlsx_bomb_is_refused_in_one_sentence_naming_the_fix(tmp_path: Path):
    bomb = with_padding(small_workbook(tmp_path / "bomb.xlsx"), MAX_UNPACKED // MIB + 10)
    assert bomb.stat().st_size < 2_000_000
    with pytest.raises(BadInputError) as error:
        read_document(bomb)
    message = str(error.value)
    assert message.startswith("bomb.xlsx would unpack to 210 MB")
    assert "zip bomb" in message
    assert message.endswith("open it in Excel or WPS and save it again as .xlsx.")
    assert "\n" not in message


def test_an_ordinary_workbook_passes_the_check_and_reads(tmp_path: Path):
    path = small_workbook(tmp_path / "plan.xlsx")
    size = unpacked_size(path)
    assert size is not None
    assert 0 < size < MIB
    check_unpacked_size(path, fix="unused", fix_zh="unused")
    assert "推进政策解读" in read_document(path).text


def test_the_limit_is_the_callers_to_set(tmp_path: Path):
    path = small_workbook(tmp_path / "plan.xlsx")
    with pytest.raises(BadInputError, match=r"at most 0 MB.*zip bomb — do this\.$"):
        check_unpacked_size(path, fix="do this", fix_zh="do this", limit=1024)


def test_a_file_that_is_not_a_zip_is_left_to_its_reader(tmp_path: Path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert unpacked_size(path) is None
    check_unpacked_size(path, fix="unused", fix_zh="unused")  # no size to judge: the reader says what is wrong
    with pytest.raises(BadInputError, match=r"^fake\.xlsx is not an Excel \.xlsx workbook"):
        read_document(path)
