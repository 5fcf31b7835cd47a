"""Offices and people: who may see and change which plans — enforced by PostgreSQL itself.

A city's database holds many offices' plans. A user (`app_user`) belongs to offices
(`membership`); an admin (city coordinator) sees all of them. On PostgreSQL the separation is
row-level security: every table hanging off a plan has a policy that admits a row only when its
plan's office is one of the current user's offices (or the user is an admin), with FORCE ROW
LEVEL SECURITY so that even the tables' owner goes through the policies.

Who is "the current user" (`tracker_user()` in SQL):

- a connection as an office's own database role (a coordinator writing SQL by hand in psql):
  that role's name, whatever `tracker.user` it sets — it cannot claim to be someone else;
- a connection as a role trusted to speak for people (a member of the `tracker_app` role, or the
  tables' owner): the `tracker.user` setting, which tracker sets at connect time from
  TRACKER_USER or the URL's user (`tracker.store.engine.pg_options`).

The tables' owner (the account that created the schema) counts as an admin when it speaks for
itself. PostgreSQL superusers bypass row-level security altogether, as always: give coordinators
ordinary roles. On SQLite there is one user and one office ("default"); nothing is enforced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

DEFAULT_OFFICE = "default"
"""The office of every plan on a single-office database (id 1)."""

APP_ROLE = "tracker_app"
"""Members of this role may set `tracker.user` and be believed (a shared application login)."""

COORDINATOR_ROLE = "tracker_coordinator"
"""The privileges every office coordinator's own login role is given (rows still filtered by RLS)."""

PLAN_TABLES = ("plan", "section", "task", "obligation", "requirement", "event", "progressnote",
               "taskowner", "completion", "waiver", "auditentry")
"""Every table whose rows belong to a plan, hence to an office: each has a policy (as have `owner`
and `auditentry`, whose rows name their office directly — an audit row of no plan too, schema 6)."""

_POLICY = {
    "plan": "office_id IN (SELECT tracker_office_ids())",
    "section": "plan_id IN (SELECT id FROM plan)",
    "task": "plan_id IN (SELECT id FROM plan)",
    "obligation": "plan_id IN (SELECT id FROM plan)",
    "requirement": "task_id IN (SELECT id FROM task)",
    "event": "task_id IN (SELECT id FROM task)",
    "progressnote": "task_id IN (SELECT id FROM task)",
    "taskowner": "task_id IN (SELECT id FROM task)",
    "completion": "requirement_id IN (SELECT id FROM requirement)",
    "waiver": "requirement_id IN (SELECT id FROM requirement)",
    "auditentry": "office_id IN (SELECT tracker_office_ids())",
    "owner": "office_id IN (SELECT tracker_office_ids())",
}
"""Which rows of each table the current user may see and write. A child table defers to its
parent's policy through a sub-select (RLS applies inside it too), so only `plan` names offices."""

_FUNCTIONS = """
CREATE OR REPLACE FUNCTION {s}.tracker_owner() RETURNS name LANGUAGE sql STABLE
    SET search_path = {s}, pg_temp AS $$
    SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = '{s}.plan'::regclass
$$;
CREATE OR REPLACE FUNCTION {s}.tracker_user() RETURNS text LANGUAGE sql STABLE
    SET search_path = {s}, pg_temp AS $$
    SELECT CASE WHEN session_user = {s}.tracker_owner() OR pg_has_role(session_user, '{app}', 'MEMBER')
                THEN coalesce(nullif(current_setting('tracker.user', true), ''), session_user::text)
                ELSE session_user::text END
$$;
CREATE OR REPLACE FUNCTION {s}.tracker_is_admin() RETURNS boolean LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT {s}.tracker_user() = {s}.tracker_owner()::text
        OR EXISTS (SELECT 1 FROM {s}.app_user u WHERE u.name = {s}.tracker_user() AND u.is_admin)
$$;
CREATE OR REPLACE FUNCTION {s}.tracker_office_ids() RETURNS SETOF integer LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT o.id FROM {s}.office o WHERE {s}.tracker_is_admin()
    UNION
    SELECT m.office_id FROM {s}.membership m JOIN {s}.app_user u ON u.id = m.user_id
    WHERE u.name = {s}.tracker_user()
$$;
CREATE OR REPLACE FUNCTION {s}.tracker_mark_undone(text) RETURNS integer LANGUAGE sql VOLATILE
    SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    WITH marked AS (
        UPDATE {s}.auditentry SET undone = TRUE
        WHERE action_id = $1 AND NOT undone
          AND ({s}.tracker_is_admin() OR office_id IN (SELECT {s}.tracker_office_ids()))
        RETURNING 1)
    SELECT count(*)::integer FROM marked
$$;
"""
"""The SQL functions the policies call, schema-qualified with a fixed search_path: a coordinator's
temporary table named `plan` or `app_user` (pg_temp comes first in a default search_path) must
not change who they are. `tracker_mark_undone(action_id)` is the only way a coordinator changes
an audit row (UPDATE and DELETE on `auditentry` are revoked from them): it sets `undone` on the
current user's offices' rows of one action and nothing else, and returns how many it marked."""


def ensure_default_office(conn: Connection) -> None:
    """Make sure office 1 is "default" (every plan of a single-office database belongs to it)."""
    from sqlalchemy import text

    if conn.execute(text("SELECT 1 FROM office WHERE id = 1")).first() is None:
        conn.execute(text("INSERT INTO office (id, name) VALUES (1, :n)"), {"n": DEFAULT_OFFICE})
        if conn.dialect.name == "postgresql":  # the explicit id left the sequence behind
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('office', 'id'), "
                                 "(SELECT max(id) FROM office))")


def install_access_rules(conn: Connection) -> None:
    """PostgreSQL: the roles, privileges, functions and row-level security policies (idempotent).

    A no-op on SQLite. Needs a role that may create roles (CREATEROLE) the first time on a cluster.
    """
    if conn.dialect.name != "postgresql":
        return
    from tracker.errors import DatabaseError

    missing = [role for role in (APP_ROLE, COORDINATOR_ROLE)
               if conn.exec_driver_sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'").first() is None]
    may_create = conn.exec_driver_sql(
        "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user").scalar()
    if missing and not may_create:
        create = " ".join(f"CREATE ROLE {r} NOLOGIN;" for r in missing)
        raise DatabaseError(f"the roles {' and '.join(missing)} do not exist and this account may not create "
                            "roles; create them once as a superuser: " + create,
                            zh=f"数据库角色 {'、'.join(missing)} 不存在, 且当前账号无权创建角色; "
                               f"请用超级用户账号执行一次 `{create}` 创建它们。")
    for role in missing:
        conn.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")
    schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar())
    quoted = conn.dialect.identifier_preparer.quote_identifier(schema)
    conn.exec_driver_sql(_FUNCTIONS.format(s=quoted, app=APP_ROLE))
    for role in (APP_ROLE, COORDINATOR_ROLE):
        conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
        conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    # who belongs where is the admins' business (through the tables' owner): coordinators read it
    conn.exec_driver_sql(f"REVOKE INSERT, UPDATE, DELETE ON office, app_user, membership, meta "
                         f"FROM {APP_ROLE}, {COORDINATOR_ROLE}")
    # the audit trail is appended to, never rewritten: undo marks its rows through tracker_mark_undone
    conn.exec_driver_sql(f"REVOKE UPDATE, DELETE ON auditentry FROM {APP_ROLE}, {COORDINATOR_ROLE}")
    for name, rule in _POLICY.items():
        conn.exec_driver_sql(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
        conn.exec_driver_sql(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
        conn.exec_driver_sql(f"DROP POLICY IF EXISTS office_scope ON {name}")
        conn.exec_driver_sql(f"CREATE POLICY office_scope ON {name} USING ((SELECT tracker_is_admin()) OR {rule}) "
                             f"WITH CHECK ((SELECT tracker_is_admin()) OR {rule})")


# --- people and offices -------------------------------------------------------------------------


@dataclass(frozen=True)
class UserInfo:
    """A user, whether an admin, and the offices they may see."""

    name: str
    is_admin: bool
    offices: tuple[str, ...]


def _office_id(session: Session, name: str) -> int:
    from sqlalchemy import text

    found = session.execute(text("SELECT id FROM office WHERE name = :n"), {"n": name}).scalar()
    if found is None:
        names = ", ".join(r[0] for r in session.execute(text("SELECT name FROM office ORDER BY name")))
        raise NotFoundError(f"there is no office “{name}”; the offices are {names or 'none'}.",
                            zh=f"没有机关“{name}”; 已有的机关: {names or '无'}。")
    return int(found)


def _user_id(session: Session, name: str) -> int:
    from sqlalchemy import text

    found = session.execute(text("SELECT id FROM app_user WHERE name = :n"), {"n": name}).scalar()
    if found is None:
        names = ", ".join(r[0] for r in session.execute(text("SELECT name FROM app_user ORDER BY name")))
        raise NotFoundError(f"there is no user “{name}”; the users are {names or 'none'} (add one with "
                            "`tracker users add-user NAME`).",
                            zh=f"没有用户“{name}”; 已有的用户: {names or '无'} (可用 `tracker users add-user NAME` 添加)。")
    return int(found)


def _check_name(name: str, what: str, what_zh: str) -> str:
    """`name` stripped, when it can name an office or a user ("n office" / "机关", " user" / "用户")."""
    clean = name.strip()
    if not clean or len(clean) > 63 or any(c in clean for c in "\"'\\;\n\t"):
        raise UsageError(f"“{name}” cannot be a{what} name: use 1–63 characters without quotes, "
                         "backslashes or semicolons.",
                         zh=f"“{name}”不能用作{what_zh}名称: 请用 1–63 个字符, 不含引号、反斜杠和分号。")
    return clean


def list_users(*, session: Session) -> tuple[list[str], list[UserInfo]]:
    """All offices (by name) and all users with their offices. None at all is two empty lists."""
    from sqlalchemy import text

    offices = [r[0] for r in session.execute(text("SELECT name FROM office ORDER BY name"))]
    users = []
    for uid, name, admin in session.execute(text("SELECT id, name, is_admin FROM app_user ORDER BY name")).all():
        mine = tuple(r[0] for r in session.execute(text(
            "SELECT o.name FROM membership m JOIN office o ON o.id = m.office_id WHERE m.user_id = :u "
            "ORDER BY o.name"), {"u": uid}))
        users.append(UserInfo(name, bool(admin), mine))
    return offices, users


def add_office(*, session: Session, name: str) -> None:
    """Create an office; an existing name is `UsageError`."""
    from sqlalchemy import text

    clean = _check_name(name, "n office", "机关")
    if session.execute(text("SELECT 1 FROM office WHERE name = :n"), {"n": clean}).first():
        raise UsageError(f"the office “{clean}” already exists.", zh=f"机关“{clean}”已存在。")
    session.execute(text("INSERT INTO office (name) VALUES (:n)"), {"n": clean})


def add_user(*, session: Session, name: str, admin: bool) -> None:
    """Create a user; on PostgreSQL also a login role of that name with the coordinators' privileges.

    An existing user is `UsageError`. The role gets no password here: the DBA sets one (or
    configures peer/cert authentication), tracker never stores passwords.
    """
    from sqlalchemy import text

    clean = _check_name(name, " user", "用户")
    if session.execute(text("SELECT 1 FROM app_user WHERE name = :n"), {"n": clean}).first():
        raise UsageError(f"the user “{clean}” already exists.", zh=f"用户“{clean}”已存在。")
    session.execute(text("INSERT INTO app_user (name, is_admin) VALUES (:n, :a)"), {"n": clean, "a": admin})
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        role = conn.dialect.identifier_preparer.quote_identifier(clean)
        exists = session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": clean}).first()
        if not exists:
            conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
        conn.exec_driver_sql(f"GRANT {COORDINATOR_ROLE} TO {role}")


def grant(*, session: Session, user: str, office: str) -> bool:
    """Let `user` see and change `office`'s plans; False when they already could."""
    from sqlalchemy import text

    uid, oid = _user_id(session, user), _office_id(session, office)
    if session.execute(text("SELECT 1 FROM membership WHERE user_id = :u AND office_id = :o"),
                       {"u": uid, "o": oid}).first():
        return False
    session.execute(text("INSERT INTO membership (user_id, office_id) VALUES (:u, :o)"), {"u": uid, "o": oid})
    return True


def revoke(*, session: Session, user: str, office: str) -> bool:
    """Take `office` away from `user`; False when they had no access to it."""
    from sqlalchemy import text

    uid, oid = _user_id(session, user), _office_id(session, office)
    result = session.execute(text("DELETE FROM membership WHERE user_id = :u AND office_id = :o"),
                             {"u": uid, "o": oid})
    return bool(getattr(result, "rowcount", 0))


def office_for_new_plan(session: Session) -> int:
    """The office a newly imported plan belongs to: the current user's only office, else "default" (1).

    On SQLite (one user) that is always 1. On PostgreSQL the current user is `tracker_user()`.
    """
    from sqlalchemy import text

    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return 1
    ids = [r[0] for r in session.execute(text(
        "SELECT m.office_id FROM membership m JOIN app_user u ON u.id = m.user_id "
        "WHERE u.name = tracker_user()"))]
    return int(ids[0]) if len(ids) == 1 else 1
