"""`tracker users` on both engines: offices, users, grants; one line each, errors one sentence."""

from __future__ import annotations

import io
import json

from tracker.cli import main


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--lang", "en", *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_offices_users_and_grants(db_url):
    assert cli("--db", db_url, "users", "add-office", "民政局") == (0, "office added: 民政局\n", "")
    assert cli("--db", db_url, "users", "add-office", "教育局")[0] == 0
    assert cli("--db", db_url, "users", "add-user", "zhang") == (0, "user added: zhang\n", "")
    assert cli("--db", db_url, "users", "add-user", "li", "--admin") == (0, "admin added: li\n", "")
    assert cli("--db", db_url, "users", "grant", "zhang", "民政局") == (0, "zhang may now use 民政局\n", "")
    assert cli("--db", db_url, "users", "grant", "zhang", "教育局")[0] == 0
    assert cli("--db", db_url, "users", "revoke", "zhang", "教育局") == (0, "zhang may no longer use 教育局\n", "")
    code, out, _ = cli("--db", db_url, "users", "list", "--json")
    assert code == 0
    assert json.loads(out) == {"offices": ["default", "教育局", "民政局"],
                               "users": [{"name": "li", "admin": True, "offices": []},
                                         {"name": "zhang", "admin": False, "offices": ["民政局"]}]}
    assert cli("--db", db_url, "users", "list")[1] == "offices: default、教育局、民政局\nli (admin, sees all): -\nzhang: 民政局\n"


def test_mistakes_are_one_sentence(db_url):
    assert cli("--db", db_url, "users", "add-office", "民政局")[0] == 0
    assert cli("--db", db_url, "users", "add-office", "民政局") == (
        2, "", "tracker: the office “民政局” already exists.\n")
    assert cli("--db", db_url, "users", "grant", "wang", "民政局") == (
        4, "", "tracker: there is no user “wang”; the users are none (add one with `tracker users add-user NAME`).\n")
    assert cli("--db", db_url, "users", "grant", "wang") == (
        2, "", "tracker: `tracker users grant` takes USER OFFICE; got 1 name(s).\n")
    assert cli("--db", db_url, "users", "add-office", "x'; DROP TABLE plan; --")[0] == 2


def test_mistakes_are_said_in_chinese_by_default(db_url):
    def zh(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        return main(["--db", db_url, *argv], out=out, err=err), out.getvalue(), err.getvalue()

    assert zh("users", "add-office", "民政局")[0] == 0
    assert zh("users", "add-office", "民政局") == (2, "", "tracker: 机关“民政局”已存在。\n")
    assert zh("users", "grant", "wang", "民政局") == (
        4, "", "tracker: 没有用户“wang”; 已有的用户: 无 (可用 `tracker users add-user NAME` 添加)。\n")
    assert zh("users", "add-user", "zhang")[0] == 0
    assert zh("users", "grant", "zhang", "教育局") == (4, "", "tracker: 没有机关“教育局”; 已有的机关: default, 民政局。\n")
    assert zh("users", "add-user", "x'y") == (
        2, "", "tracker: “x'y”不能用作用户名称: 请用 1–63 个字符, 不含引号、反斜杠和分号。\n")
    assert cli("--db", db_url, "users", "add-user", "x'y") == (
        2, "", "tracker: “x'y” cannot be a user name: use 1–63 characters without quotes, backslashes or "
               "semicolons.\n")
    assert cli("--db", db_url, "users", "add-office", "民政局", "--admin")[0] == 2
