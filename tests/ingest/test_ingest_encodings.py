"""Each encoding an office saves in reads back to the same clean text as the UTF-8 original."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest

from tracker.ingest import clean_text, read_document

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
JINING = SEEDS / "workplan_2024_jining_minzheng.txt"
TONGXIANG = SEEDS / "annual_2020_tongxiang_tuiyijunren.txt"


def _task_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if re.match(r"\d+\.", line)]


@pytest.fixture(scope="module")
def jining() -> str:
    return JINING.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reference(jining: str) -> str:
    return clean_text(jining)


@pytest.mark.parametrize(
    ("codec", "label"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"), ("utf-16", "utf-16")],
)
def test_simplified_encodings_round_trip(tmp_path: Path, jining: str, reference: str, codec: str, label: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(jining.replace("\n", "\r\n").encode(codec))
    result = read_document(path)
    assert (result.format, result.encoding) == ("txt", label)
    assert result.text == reference
    assert result.warnings == ()
    assert len(_task_lines(result.text)) == 15


def test_big5_taiwan_traditional_round_trips_exactly(tmp_path: Path, jining: str, reference: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(opencc.OpenCC("s2tw").convert(jining).encode("big5"))
    result = read_document(path)
    assert result.encoding == "big5"
    assert result.text == reference


def test_big5_from_s2t_keeps_every_encodable_task_line(tmp_path: Path, jining: str, reference: str) -> None:
    # OpenCC's s2t writes 爲 / 羣 / 衆, which Big5 lacks: the writer replaces them with "?",
    # so only the task lines Big5 can hold whole are compared.
    traditional = opencc.OpenCC("s2t").convert(jining)
    path = tmp_path / "plan.txt"
    path.write_bytes(traditional.encode("big5", errors="replace"))
    result = read_document(path)
    assert result.encoding == "big5"
    whole = {
        line.split(".", 1)[0]
        for line in _task_lines(traditional)
        if line.encode("big5", errors="replace").decode("big5") == line
    }
    assert len(whole) >= 5
    expected = [line for line in _task_lines(reference) if line.split(".", 1)[0] in whole]
    got = [line for line in _task_lines(result.text) if line.split(".", 1)[0] in whole]
    assert got == expected


def test_traditional_gbk_file_is_detected_as_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(TONGXIANG.read_text(encoding="utf-8").encode("gb18030"))
    result = read_document(path)
    assert result.encoding == "gb18030"
    assert "桐乡市退役军人事务局" in result.text


def test_a_few_bad_bytes_give_text_and_a_warning(tmp_path: Path, jining: str) -> None:
    data = bytearray(jining.encode("gb18030"))
    at = data.index(b"\n", 2000) + 1  # at a character boundary
    data[at:at] = b"\xff"
    path = tmp_path / "plan.txt"
    path.write_bytes(bytes(data))
    result = read_document(path)
    assert result.encoding == "gb18030"
    assert "2024年济宁市民政局政务公开工作要点" in result.text
    assert result.warnings[0].startswith("1 byte sequence(s) could not be decoded as gb18030")
    assert any(w.startswith("Line ") and "unreadable" in w for w in result.warnings)


def test_file_cut_in_the_middle_of_its_last_character_still_reads(tmp_path: Path) -> None:
    data = "2024年政务公开工作要点".encode("gb18030")[:-1]
    path = tmp_path / "cut.txt"
    path.write_bytes(data)
    result = read_document(path)
    assert result.encoding == "gb18030"
    assert result.text.startswith("2024年政务公开工作要")
    assert result.warnings[0].startswith("1 byte sequence(s) could not be decoded")
