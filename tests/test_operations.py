"""The backup drill, as README "Backups" tells an operator to run it, on both databases.

`flask backup` then `flask restore-check`: the backup restores into a scratch database at the
migrations' head, with the same rows, the same newest audit entries and (PostgreSQL) the same
audit guard - triggers on, the app role's grants as they were. A backup that does not match
the database, or does not restore at all, fails with what differs.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import Report, School
from schoolsafe.services.audit.trail import record
from schoolsafe.vocab import AuditAction, AuditRecordType
from tests.conftest import BACKENDS, make_app
from tests.factories import Factory
from tests.support.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
APP_ROLE = "ops_app"


@dataclass
class Deployment:
    env: dict[str, str]
    owner_url: str
    tmp: Path

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        """Run a flask command as an operator does."""
        return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT,  # noqa: S603
                              env=self.env, capture_output=True, text=True, timeout=180)

    def add_records(self, reports: int) -> None:
        """Reports and audit rows, written as the owner (the tests' direct hand)."""
        application = make_app(self.owner_url, self.tmp)
        with application.app_context():
            make = Factory(application)
            school = db.session.scalar(select(School).order_by(School.id)) or make.school()
            for _ in range(reports):
                make.report(school)
                count = db.session.scalar(select(func.count()).select_from(Report))
                record(db.session, user_id=None, school_id=school.id,
                       action=AuditAction.VIEW, record_type=AuditRecordType.REPORT,
                       record_id=f"report {count}")
            db.session.commit()
            db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def deployment(request, tmp_path) -> Deployment:
    """A migrated database with records; on PostgreSQL an app role given its grants."""
    env = {**os.environ, "FLASK_APP": "wsgi.py", "SCHOOLSAFE_ENV": "testing",
           "SCHOOLSAFE_INSTANCE_PATH": str(tmp_path / "instance")}
    if request.param == "sqlite":
        owner_url = f"sqlite:///{tmp_path / 'live.db'}"
        env["DATABASE_URL"] = owner_url
    else:
        server = request.getfixturevalue("postgres")
        with psycopg.connect(server.conninfo("postgres", "postgres"), autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                (APP_ROLE,)).fetchone():
                conn.execute(f"CREATE ROLE {APP_ROLE} LOGIN")
        owner_url = server.create_database(f"ops_{free_port()}")
        env["DATABASE_URL"] = owner_url.replace("//schoolsafe@", f"//{APP_ROLE}@")
        env["MIGRATIONS_DATABASE_URL"] = owner_url
    deployment = Deployment(env, owner_url, tmp_path)
    assert deployment.flask("db", "upgrade").returncode == 0
    if request.param == "postgresql":
        assert deployment.flask("db-roles", "--app-role", APP_ROLE).returncode == 0
    deployment.add_records(3)
    return deployment


def restore_check(deployment: Deployment, backup: Path) -> subprocess.CompletedProcess:
    args = ["restore-check", str(backup)]
    if "MIGRATIONS_DATABASE_URL" in deployment.env:
        args += ["--app-role", APP_ROLE]
    return deployment.flask(*args)


def test_a_fresh_backup_restores_and_matches(deployment):
    backup = deployment.tmp / "backups" / "schoolsafe.backup"
    made = deployment.flask("backup", str(backup))
    assert made.returncode == 0, made.stderr
    assert "encrypt it" in made.stdout
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # it holds pupils' reports

    checked = restore_check(deployment, backup)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith(f"PASS: {backup} restores: ")
    assert "migrations at head" in checked.stdout


def test_a_backup_older_than_the_database_fails_and_says_what_differs(deployment):
    backup = deployment.tmp / "old.backup"
    assert deployment.flask("backup", str(backup)).returncode == 0
    deployment.add_records(2)  # two reports arrive after the backup was taken

    checked = restore_check(deployment, backup)
    assert checked.returncode == 1
    assert "report: 5 row(s) in the source, 3 row(s) in the backup" in checked.stdout
    assert "audit_event: 5 row(s) in the source, 3 row(s) in the backup" in checked.stdout
    assert "audit trail: the newest 20 entries differ" in checked.stdout
    assert "FAIL:" in checked.stderr


def test_a_damaged_backup_fails(deployment):
    backup = deployment.tmp / "damaged.backup"
    assert deployment.flask("backup", str(backup)).returncode == 0
    backup.write_bytes(backup.read_bytes()[: backup.stat().st_size // 3])

    checked = restore_check(deployment, backup)
    assert checked.returncode == 1
    assert "FAIL:" in checked.stderr and "PASS" not in checked.stdout


@pytest.mark.parametrize("deployment", ["sqlite"], indirect=True)
def test_a_backup_with_an_audit_row_removed_fails(deployment):
    backup = deployment.tmp / "tampered.backup"
    assert deployment.flask("backup", str(backup)).returncode == 0
    with sqlite3.connect(backup) as connection:
        connection.execute("DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)")

    checked = restore_check(deployment, backup)
    assert checked.returncode == 1
    assert "audit_event: 3 row(s) in the source, 2 row(s) in the backup" in checked.stdout
    assert "audit trail: the newest 20 entries differ" in checked.stdout


@pytest.mark.parametrize("deployment", ["postgresql"], indirect=True)
def test_an_unguarded_audit_trail_fails_the_check(deployment):
    backup = deployment.tmp / "guarded.backup"
    assert deployment.flask("backup", str(backup)).returncode == 0
    url = deployment.owner_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
        connection.execute(f"GRANT UPDATE ON audit_event TO {APP_ROLE}")

    checked = restore_check(deployment, backup)
    assert checked.returncode == 1
    assert ("audit guard: trigger audit_event_append_only is disabled or missing in the source"
            in checked.stdout)
    assert ("grants on audit_event: INSERT, SELECT, UPDATE in the source, INSERT, SELECT in "
            "the backup" in checked.stdout)
