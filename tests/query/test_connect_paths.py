"""connect() opens a file whatever its name: the characters SQLite's `file:` URI treats specially
(`%`, `?`, `#`), spaces and Chinese, in the file's and its folders' names, absolute or relative."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker import query
from tracker.errors import DatabaseError

NAMES = ["台账 2024.db", "100%25 done.db", "why?.db", "#1.db", "a%3fb#c?d.db"]


@pytest.mark.parametrize("name", NAMES)
def test_a_database_under_an_awkward_name_opens(jining_template, tmp_path: Path, name: str):
    folder = tmp_path / "目录 #?%"
    folder.mkdir()
    path = jining_template.copy_to(folder / name).path
    conn = query.connect(str(path))
    assert [p.title for p in query.list_plans(conn)] == ["2024年济宁市民政局政务公开工作要点"]
    conn.close()


def test_a_relative_path_opens_from_the_working_directory(jining_template, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "sub").mkdir()
    jining_template.copy_to(tmp_path / "sub" / "t#1.db")
    monkeypatch.chdir(tmp_path)
    conn = query.connect("sub/t#1.db")
    assert len(query.list_plans(conn)) == 1
    conn.close()


def test_a_missing_file_under_an_awkward_name_is_not_created(tmp_path: Path):
    missing = tmp_path / "缺少 ?#%.db"
    with pytest.raises(DatabaseError, match="no database at"):
        query.connect(str(missing))
    assert list(tmp_path.iterdir()) == []
