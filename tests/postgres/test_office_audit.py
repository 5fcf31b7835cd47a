"""The audit trail and `undo` stay within an office on PostgreSQL (schema 6: `auditentry.office_id`).

QA found a coordinator's `tracker undo` picking another office's change that belonged to no plan
(a unit's address), marking it undone although row-level security had blocked the change, and
`tracker log` — or psql — showing and rewriting other offices' plan-less audit rows.
"""

from __future__ import annotations

import io

import psycopg
import pytest
from test_rls import as_role, city  # noqa: F401 - fixture

from tracker.cli import main


def run(monkeypatch, user: str, url: str, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("TRACKER_USER", user)
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", url, *argv], out=out, err=err)
    monkeypatch.delenv("TRACKER_USER")
    return code, out.getvalue(), err.getvalue()


def b_sets_an_address(city, monkeypatch) -> None:  # noqa: F811
    code, _, err = run(monkeypatch, "coord_b", city["app_url"], "owners", "局办公室", "--email", "bgs@b.example")
    assert code == 0, err


def test_undo_never_picks_another_offices_plan_less_change(city, monkeypatch):  # noqa: F811
    url = city["app_url"]
    assert run(monkeypatch, "coord_a", url, "note", "A局:1", "甲的进展")[0] == 0
    b_sets_an_address(city, monkeypatch)
    code, out, err = run(monkeypatch, "coord_a", url, "undo")
    assert code == 0, err
    assert "bgs@b.example" not in out
    assert "已撤销: 进展" in out
    with as_role(city, "postgres") as conn:
        assert conn.execute("SELECT count(*) FROM progressnote").fetchone() == (0,)
        assert conn.execute("SELECT email FROM owner o JOIN office f ON f.id = o.office_id "
                            "WHERE f.name = 'office_b' AND o.name = '局办公室'").fetchone() == ("bgs@b.example",)
        assert conn.execute("SELECT count(*) FROM auditentry WHERE summary LIKE '%bgs@b.example%' AND undone"
                            ).fetchone() == (0,)
    code, out, err = run(monkeypatch, "coord_b", url, "undo")  # B's own undo still reaches it
    assert code == 0, err
    assert "bgs@b.example" in out
    with as_role(city, "postgres") as conn:
        assert conn.execute("SELECT count(*) FROM owner WHERE email = 'bgs@b.example'").fetchone() == (0,)


def test_a_user_with_no_office_can_undo_nothing(city, monkeypatch):  # noqa: F811
    assert main(["--db", city["cluster"].url(city["db"]), "users", "add-user", "chen"],
                out=io.StringIO(), err=io.StringIO()) == 0
    b_sets_an_address(city, monkeypatch)
    code, _out, err = run(monkeypatch, "chen", city["app_url"], "undo")
    assert code == 2
    assert code != 0
    assert "“chen”不属于任何机关" in err
    assert "市级协调人可用 `tracker users grant chen OFFICE` 为其指定机关。" in err
    code, _out, err = run(monkeypatch, "chen", city["app_url"], "--lang", "en", "undo")
    assert err.strip() == ("tracker: “chen” belongs to no office, so there is nothing they may undo; a city admin can "
                           "grant one with `tracker users grant chen OFFICE`.")
    with as_role(city, "postgres") as conn:
        assert conn.execute("SELECT count(*) FROM auditentry WHERE undone").fetchone() == (0,)


def test_a_change_that_is_not_reverted_is_not_marked_undone(city, monkeypatch):  # noqa: F811
    url = city["app_url"]
    assert run(monkeypatch, "coord_a", url, "note", "A局:1", "甲的进展")[0] == 0
    with as_role(city, "postgres") as conn:  # the row goes away behind tracker's back
        conn.execute("DELETE FROM progressnote")
    code, _, err = run(monkeypatch, "coord_a", url, "undo")
    assert code == 6
    assert err.startswith("tracker: 最近一次修改无法撤销: ")
    assert "其中一条进展 (ID " in err
    assert err.endswith(") 已不存在, 或你无权修改; 没有撤销任何内容。\n")
    assert len(err.strip().splitlines()) == 1
    with as_role(city, "postgres") as conn:
        assert conn.execute("SELECT count(*) FROM auditentry WHERE undone OR action = 'undo'").fetchone() == (0,)


def test_the_log_shows_only_the_users_offices(city, monkeypatch):  # noqa: F811
    b_sets_an_address(city, monkeypatch)
    assert run(monkeypatch, "coord_b", city["app_url"], "undo")[0] == 0  # an undo line, plan-less too
    code, out, err = run(monkeypatch, "coord_a", city["app_url"], "log")
    assert code == 0, err
    assert "bgs@b.example" not in out
    assert "B局" not in out
    assert "A局" in out
    code, out, _ = run(monkeypatch, "coord_b", city["app_url"], "log")
    assert "bgs@b.example" in out
    code, out, _ = run(monkeypatch, "city_admin", city["app_url"], "log")
    assert "bgs@b.example" in out
    assert "A局" in out


def test_a_coordinator_cannot_read_or_rewrite_another_offices_audit_rows_by_hand(city, monkeypatch):  # noqa: F811
    b_sets_an_address(city, monkeypatch)
    with as_role(city, "postgres") as conn:
        b_office = conn.execute("SELECT id FROM office WHERE name = 'office_b'").fetchone()[0]
        a_office = conn.execute("SELECT id FROM office WHERE name = 'office_a'").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM auditentry WHERE office_id IS NULL").fetchone() == (0,)
    with as_role(city, "coord_a") as conn:
        assert conn.execute("SELECT count(*) FROM auditentry WHERE plan_id IS NULL AND "
                            "(after LIKE '%%bgs@b%%' OR office_id <> %s)", (a_office,)).fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE auditentry SET summary = summary WHERE plan_id IS NULL")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM auditentry")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO auditentry (action_id, at, who, action, entity, summary, undone, office_id) "
                         "VALUES ('x', now(), 'coord_a', 'owners', 'owner', 'forged', false, %s)", (b_office,))
        # marking undone goes through tracker's function, which touches only A's rows
        b_action = "(SELECT action_id FROM auditentry WHERE office_id = %s LIMIT 1)"
        assert conn.execute(f"SELECT tracker_mark_undone(coalesce({b_action}, 'none'))", (b_office,)
                            ).fetchone() == (0,)
    with as_role(city, "postgres") as conn:
        assert conn.execute("SELECT count(*) FROM auditentry WHERE undone").fetchone() == (0,)
        action = conn.execute("SELECT action_id FROM auditentry WHERE office_id = %s LIMIT 1", (b_office,)).fetchone()[0]
    with as_role(city, "coord_a") as conn:
        assert conn.execute("SELECT tracker_mark_undone(%s)", (action,)).fetchone() == (0,)
    with as_role(city, "postgres") as conn:
        assert conn.execute("SELECT count(*) FROM auditentry WHERE undone").fetchone() == (0,)
