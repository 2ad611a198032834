"""The app's own PostgreSQL role can't erase or unguard the audit trail; the owner can't empty it.

Set up as README "Deploying" says: a superuser creates an owner role, an app role and a
database the owner owns; `flask db upgrade` runs as the owner (MIGRATIONS_DATABASE_URL) while
DATABASE_URL names the app role; `flask db-roles` grants the app role what it needs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from config import settings
from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Report
from tests.conftest import make_app, migrated
from tests.factories import Factory, sign_in

ROOT = Path(__file__).resolve().parent.parent
OWNER, APP_ROLE, DATABASE = "schoolsafe_owner", "schoolsafe_app", "schoolsafe_roles"


def superuser_setup() -> list[str]:
    """The superuser's SQL from README "Database roles", as written there, less the passwords
    (the test server trusts loopback) and with this test's database name."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("### Database roles", 1)[1].split("```sql\n", 1)[1].split("```", 1)[0]
    return [statement.strip().replace(" PASSWORD '...'", "").replace(
        "DATABASE schoolsafe ", f"DATABASE {DATABASE} ")
        for statement in block.split(";") if statement.strip()]

GUARDS = ["audit_event_append_only", "audit_event_no_truncate"]

pytestmark = pytest.mark.postgres


@dataclass(frozen=True)
class Deployment:
    """The database set up with two roles, and what the set-up commands printed."""

    app_url: str
    owner_url: str
    app_conninfo: str
    owner_conninfo: str
    granted: str


def flask(*args: str, env: dict[str, str]) -> str:
    """Run a flask command as an operator does, and return what it printed."""
    result = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,  # noqa: S603
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def deployment(postgres, tmp_path_factory) -> Deployment:
    with psycopg.connect(postgres.conninfo("postgres", "postgres"), autocommit=True) as conn:
        setup = superuser_setup()
        assert setup == [f"CREATE ROLE {OWNER} LOGIN", f"CREATE ROLE {APP_ROLE} LOGIN",
                         f"CREATE DATABASE {DATABASE} OWNER {OWNER}"]
        for statement in setup:
            conn.execute(statement)
    app_url, owner_url = postgres.url_for(DATABASE, APP_ROLE), postgres.url_for(DATABASE, OWNER)
    env = {**os.environ, "FLASK_APP": "wsgi.py", "SCHOOLSAFE_ENV": "testing",
           "SCHOOLSAFE_INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
           "DATABASE_URL": app_url, "MIGRATIONS_DATABASE_URL": owner_url}
    flask("db", "upgrade", env=env)
    granted = flask("db-roles", "--app-role", APP_ROLE, env=env)
    return Deployment(app_url, owner_url, postgres.conninfo(DATABASE, APP_ROLE),
                      postgres.conninfo(DATABASE, OWNER), granted)


def audit_rows(conninfo: str) -> list[tuple]:
    with psycopg.connect(conninfo) as conn:
        return conn.execute("SELECT id, action, record_id FROM audit_event ORDER BY id").fetchall()


def guards(conn: psycopg.Connection) -> list[str]:
    return [name for (name,) in conn.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_event'::regclass "
        "AND NOT tgisinternal AND tgenabled <> 'D' ORDER BY tgname")]


def test_migrations_ran_as_the_owner_and_the_grant_command_says_what_it_did(deployment):
    with psycopg.connect(deployment.owner_conninfo) as conn:
        owners = conn.execute("SELECT DISTINCT tableowner FROM pg_tables "
                              "WHERE schemaname = 'public'").fetchall()
        assert owners == [(OWNER,)]
        assert guards(conn) == GUARDS
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "public"' \
        in deployment.granted
    assert f'REVOKE UPDATE, DELETE ON "public"."audit_event" FROM "{APP_ROLE}";' \
        in deployment.granted
    assert f"{APP_ROLE} may now read and add audit rows, but not change" in deployment.granted


ATTACKS = [
    "TRUNCATE audit_event",
    "TRUNCATE school CASCADE",
    "DELETE FROM audit_event",
    "UPDATE audit_event SET action = 'edited'",
    "ALTER TABLE audit_event DISABLE TRIGGER ALL",
    "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
    "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_truncate",
    "DROP TRIGGER audit_event_append_only ON audit_event",
    "DROP TRIGGER audit_event_no_truncate ON audit_event",
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS "
    "$$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
    "DROP TABLE audit_event",
    "DROP TABLE audit_event CASCADE",
    f"ALTER TABLE audit_event OWNER TO {APP_ROLE}",
    "CREATE TABLE public.copy_of_audit (id integer)",
    "CREATE SCHEMA mine",
]


def test_the_app_role_can_add_audit_rows_but_not_erase_or_unguard_them(deployment):
    with psycopg.connect(deployment.app_conninfo) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (APP_ROLE,)
        conn.execute("INSERT INTO audit_event (at, action, record_type, record_id) "
                     "VALUES (now(), 'view', 'report', 'kept-1')")
        conn.commit()
        before = audit_rows(deployment.app_conninfo)
        refused = []
        for statement in ATTACKS:
            try:
                conn.execute(statement)
            except psycopg.errors.InsufficientPrivilege:
                refused.append(statement)
            conn.rollback()
    assert refused == ATTACKS
    assert audit_rows(deployment.owner_conninfo) == before
    assert ("view", "kept-1") in [row[1:] for row in before]
    with psycopg.connect(deployment.owner_conninfo) as conn:
        assert guards(conn) == GUARDS


def test_the_app_works_as_the_app_role(deployment, tmp_path):
    app = make_app(deployment.app_url, tmp_path, WTF_CSRF_ENABLED=False)
    with app.app_context():
        assert db.session.scalar(text("SELECT current_user")) == APP_ROLE
        make = Factory(app)
        school = make.school("oak-roles", code="OAKROLES")
        dsl = make.user(school, "dsl")
        client = app.test_client()
        response = client.post("/tell/oak-roles", data={
            "about": "self", "choices": ["rumours"], "narrative": "They posted my photo"})
        assert response.status_code == 200
        report = db.session.scalar(select(Report).where(Report.school_id == school.id))
        sign_in(client, dsl)
        page = client.get(f"/staff/triage/reports/{report.public_id}")
        assert "They posted my photo" in page.get_data(as_text=True)
        assert client.post(f"/staff/triage/reports/{report.public_id}/acknowledge"
                           ).status_code == 302
        db.session.refresh(report)
        assert report.status == "acknowledged"
        report.status, public_id = "closed", report.public_id
        db.session.commit()
        app.config["RETENTION_ANONYMOUS_DAYS"] = 0  # due as soon as it is closed
        output = app.test_cli_runner().invoke(args=["retention", "--delete"]).output
        assert f"reports without a case: 1 ({public_id})" in output
        assert db.session.scalar(select(func.count(Report.id))
                                 .where(Report.school_id == school.id)) == 0
        trail = db.session.scalars(select(AuditEvent.action)
                                   .where(AuditEvent.record_id == public_id)).all()
        db.engine.dispose()
    assert {"view", "acknowledge"} <= set(trail) and len(trail) >= 3


def test_tables_added_by_later_migrations_get_the_same_grants(deployment):
    with psycopg.connect(deployment.owner_conninfo) as conn:
        conn.execute("CREATE TABLE later_table (id serial PRIMARY KEY, note text)")
        granted = conn.execute(
            "SELECT p, has_table_privilege(%s, 'later_table', p) FROM unnest(ARRAY['SELECT', "
            "'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES']) AS p",
            (APP_ROLE,)).fetchall()
        sequence = conn.execute("SELECT has_sequence_privilege(%s, 'later_table_id_seq', "
                                "'USAGE')", (APP_ROLE,)).fetchone()
        audit = conn.execute("SELECT has_table_privilege(%s, 'audit_event', 'DELETE')",
                             (APP_ROLE,)).fetchone()
        conn.rollback()
    assert [p for p, has in granted if has] == ["SELECT", "INSERT", "UPDATE", "DELETE"]
    assert sequence == (True,) and audit == (False,)


def test_running_the_grant_command_again_changes_nothing(deployment, tmp_path):
    app = make_app(deployment.app_url, tmp_path, MIGRATIONS_DATABASE_URI=deployment.owner_url)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["db-roles"])  # the role from DATABASE_URL
    assert result.exit_code == 0, result.output
    assert result.output == deployment.granted


@pytest.mark.parametrize(("role", "message"), [
    (OWNER, "is the role connected now, which owns the tables"),
    ("postgres", "is a superuser: no grant can stop it"),
    ("nobody_here", "There is no role named nobody_here. Create it first"),
    ("Bad-Name", "is not a plain lower-case role name"),
])
def test_the_grant_command_refuses_a_role_it_cannot_make_safe(deployment, tmp_path, role,
                                                              message):
    app = make_app(deployment.app_url, tmp_path, MIGRATIONS_DATABASE_URI=deployment.owner_url)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["db-roles", "--app-role", role])
    assert result.exit_code != 0 and message in result.output


def test_the_grant_command_refuses_when_it_is_run_as_the_app_role(deployment, tmp_path):
    app = make_app(deployment.app_url, tmp_path)  # no owner URL: it connects as the app
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["db-roles"])
    assert result.exit_code != 0 and "Connect as the owner (MIGRATIONS_DATABASE_URL)" \
        in result.output


@pytest.fixture(scope="module")
def owned_database(postgres):
    """A migrated database reached as the role that owns its tables."""
    url = migrated(postgres.create_database("truncate_guard"))
    return url, postgres.conninfo("truncate_guard")


def test_not_even_the_owner_can_truncate_the_audit_trail(owned_database):
    _, conninfo = owned_database
    with psycopg.connect(conninfo) as conn:
        conn.execute("INSERT INTO audit_event (at, action, record_type, record_id) "
                     "VALUES (now(), 'view', 'report', 'kept-2')")
        conn.commit()
        for statement in ("TRUNCATE audit_event", "TRUNCATE school CASCADE"):
            with pytest.raises(psycopg.errors.RaiseException,
                               match="append-only: TRUNCATE refused"):
                conn.execute(statement)
            conn.rollback()
    assert [row[1:] for row in audit_rows(conninfo)] == [("view", "kept-2")]


def test_the_truncate_guard_comes_off_with_its_downgrade_and_back_on(owned_database, tmp_path):
    url, conninfo = owned_database
    app = make_app(url, tmp_path)
    with app.app_context():
        downgrade(revision="audit_truncate_guard-1")
        with psycopg.connect(conninfo) as conn:
            assert guards(conn) == ["audit_event_append_only"]
        upgrade(revision="heads")
        db.engine.dispose()
    with psycopg.connect(conninfo) as conn:
        assert guards(conn) == GUARDS


@pytest.mark.parametrize(("given", "expected"), [
    ({}, ""),
    ({"MIGRATIONS_DATABASE_URL": "postgres://owner:pw@db/schoolsafe"},
     "postgresql+psycopg://owner:pw@db/schoolsafe"),
])
def test_the_owner_url_is_read_from_the_environment(given, expected):
    config = settings.load({"SCHOOLSAFE_ENV": "testing", **given})
    assert config["MIGRATIONS_DATABASE_URI"] == expected


def test_the_grant_command_says_there_is_nothing_to_do_on_sqlite(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'dev.db'}", tmp_path)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["db-roles", "--app-role", APP_ROLE])
        db.engine.dispose()
    assert result.exit_code != 0 and "on SQLite there is nothing to set up" in result.output
