"""A database URL tracker cannot use is refused in one sentence that never shows its password and
says which forms tracker supports; the read path's PostgreSQL spellings work on the write path too."""

from __future__ import annotations

import io

import pytest

from tracker.cli import main

SECRET = "SECRETP3"
COMMANDS = (("undo",), ("users", "list"), ("owners", "局办公室", "--email", "a@b.example"),
            ("calendar", "set", "2024-10-08", "holiday"), ("import", "plan.txt"))


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    return main(list(argv), out=io.StringIO(), err=err), err.getvalue()


@pytest.mark.parametrize("url", [f"postgresql+psycopg2://zhang:{SECRET}@127.0.0.1:1/city",
                                 f"postgresql+asyncpg://zhang:{SECRET}@127.0.0.1:1/city",
                                 f"mysql://zhang:{SECRET}@127.0.0.1:1/city"])
@pytest.mark.parametrize("argv", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_an_unusable_url_is_refused_without_its_password(tmp_path, monkeypatch, url, argv):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.txt").write_text("2024年某局政务公开工作要点\n一、公开\n1. 做好公开工作。\n", encoding="utf-8")
    code, err = run("--db", url, *argv)
    assert code == 5, err
    assert SECRET not in err
    assert "zhang" not in err
    assert err.startswith(f"tracker: 无法使用数据库地址 {url.replace(f'zhang:{SECRET}@', '')} (")
    assert "; tracker 支持 SQLite 文件 (文件路径, 或 sqlite:////absolute/path.db) 和经 psycopg 3 连接的 PostgreSQL" in err
    assert "postgresql+psycopg://USER@HOST/DB" in err
    assert err.count("\n") == 1
    code, err = run("--lang", "en", "--db", url, *argv)
    assert code == 5, err
    assert SECRET not in err
    assert err.startswith("tracker: cannot use the database URL ")
    assert "tracker supports a SQLite file" in err
    assert "postgresql+psycopg://USER@HOST/DB" in err


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgresql+psycopg"])
def test_the_read_paths_postgresql_spellings_reach_the_server(scheme):
    """postgres:// used to be "Can't load plugin" (with the password) on the write path."""
    code, err = run("--db", f"{scheme}://zhang:{SECRET}@127.0.0.1:1/city", "undo")
    assert code == 5, err
    assert SECRET not in err
    assert err.startswith(f"tracker: 无法连接数据库 {scheme}://127.0.0.1:1/city (")
    assert err.endswith(")。\n")
    code, err = run("--lang", "en", "--db", f"{scheme}://zhang:{SECRET}@127.0.0.1:1/city", "undo")
    assert code == 5, err
    assert err.startswith(f"tracker: cannot connect to the database {scheme}://127.0.0.1:1/city (")
