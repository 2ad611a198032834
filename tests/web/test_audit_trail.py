"""The audit trail is append-only (a PostgreSQL trigger, and the app itself) and exports as CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import psycopg
import pytest
from sqlalchemy import delete, select, update

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent
from schoolsafe.security.records import AuditChangeError
from schoolsafe.services.audit import trail as audit
from tests.conftest import migrated
from tests.factories import sign_in


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def event(school, action="view", record_id="rec1", at=None, user=None) -> AuditEvent:
    row = audit.record(db.session, user_id=user.id if user else None, school_id=school.id,
                       action=action, record_type="report", record_id=record_id)
    if at:
        row.at = at
    db.session.commit()
    return row


@pytest.fixture(scope="module")
def guarded_database(postgres):
    """A migrated database of its own, reached as the app's (non-superuser) role."""
    migrated(postgres.create_database("audit_guard"))
    return postgres.conninfo("audit_guard")


@pytest.mark.postgres
def test_postgresql_itself_refuses_to_update_or_delete_audit_rows(guarded_database):
    with psycopg.connect(guarded_database) as conn:
        role = conn.execute("SELECT current_user, rolsuper FROM pg_roles "
                            "WHERE rolname = current_user").fetchone()
        assert role == ("schoolsafe", False)
        conn.execute("INSERT INTO audit_event (at, action, record_type, record_id) "
                     "VALUES (now(), 'view', 'report', 'abc123')")
        conn.commit()
        for statement in ("UPDATE audit_event SET action = 'edited'",
                          "DELETE FROM audit_event"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)
            conn.rollback()
        assert conn.execute("SELECT action, record_id FROM audit_event").fetchall() == [
            ("view", "abc123")]


def test_the_app_refuses_to_change_or_delete_an_audit_row(make):
    row = event(make.school())
    row.action = "edited"
    with pytest.raises(AuditChangeError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, row.id))
    with pytest.raises(AuditChangeError):
        db.session.flush()
    db.session.rollback()
    for statement in (update(AuditEvent).values(action="edited"), delete(AuditEvent)):
        with pytest.raises(AuditChangeError):
            db.session.execute(statement)
        db.session.rollback()
    assert db.session.scalars(select(AuditEvent.action)).all() == ["view"]


def test_no_route_can_change_the_audit(app):
    audit_rules = [r for r in app.url_map.iter_rules() if "audit" in r.rule]
    assert audit_rules, "the audit pages exist"
    for rule in audit_rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_admins_export_who_did_what_to_which_record_and_when(client, make):
    school = make.school()
    admin, dsl = make.user(school, "admin"), make.user(school, "dsl")
    report = make.report(school, narrative="Something secret about Alex").report
    sign_in(client, dsl)
    client.get(f"/staff/triage/reports/{report.public_id}")
    client.post("/staff/sign-out")
    sign_in(client, admin)
    response = client.get("/staff/admin/audit.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert list(rows[0]) == ["when_utc", "who", "action", "record_type", "record_id"]
    view = next(r for r in rows if r["record_type"] == "report")
    assert (view["who"], view["action"], view["record_id"]) == (dsl.email, "view",
                                                                report.public_id)
    datetime.strptime(view["when_utc"], "%Y-%m-%dT%H:%M:%SZ")
    assert "Alex" not in response.get_data(as_text=True)
    assert rows[-1]["action"] == "export" and rows[-1]["who"] == admin.email


def test_the_export_is_itself_audited(client, make):
    school = make.school()
    admin = make.user(school, "admin")
    sign_in(client, admin)
    client.get("/staff/admin/audit.csv")
    exported = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.user_id, e.school_id, e.record_type) for e in exported] == [
        (admin.id, school.id, "audit")]


def test_the_export_holds_only_the_admins_school(client, make):
    oak, elm = make.school(), make.school()
    event(oak, record_id="oak-record")
    event(elm, record_id="elm-record")
    sign_in(client, make.user(oak, "admin"))
    text = client.get("/staff/admin/audit.csv").get_data(as_text=True)
    assert "oak-record" in text and "elm-record" not in text


def test_the_export_can_be_limited_to_dates(client, make):
    school = make.school()
    event(school, record_id="march", at=datetime(2025, 3, 10, 23, 59))
    event(school, record_id="april", at=datetime(2025, 4, 1, 0, 0))
    sign_in(client, make.user(school, "admin"))
    rows = csv_rows(client.get("/staff/admin/audit.csv?from=2025-03-01&to=2025-03-31"))
    assert [r["record_id"] for r in rows] == ["march"]


def test_the_export_dates_are_the_schools_days(client, make):
    school = make.school()  # Europe/London: 23:30 UTC on 30 June is 00:30 on 1 July there
    event(school, record_id="just-after-midnight", at=datetime(2025, 6, 30, 23, 30))
    sign_in(client, make.user(school, "admin"))
    july = csv_rows(client.get("/staff/admin/audit.csv?from=2025-07-01&to=2025-07-01"))
    june = csv_rows(client.get("/staff/admin/audit.csv?from=2025-06-01&to=2025-06-30"))
    assert [r["record_id"] for r in july] == ["just-after-midnight"]
    assert [r["record_id"] for r in june if r["record_id"] == "just-after-midnight"] == []


def test_bad_dates_are_explained_and_kept(client, make):
    school = make.school()
    sign_in(client, make.user(school, "admin"))
    response = client.get("/staff/admin/audit.csv?from=10/03/2025&to=")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Type dates like 2025-09-30" in text and 'value="10/03/2025"' in text
    swapped = client.get("/staff/admin/audit.csv?from=2025-04-01&to=2025-03-01")
    assert "The first date is after the last one" in swapped.get_data(as_text=True)


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused(client, make):
    school = make.school()
    event(school, record_id="-2+3")
    event(school, record_id="=HYPERLINK(1)")
    sign_in(client, make.user(school, "admin"))
    ids = [r["record_id"] for r in csv_rows(client.get("/staff/admin/audit.csv"))]
    assert ids[:2] == ["'-2+3", "'=HYPERLINK(1)"]


def test_the_audit_page_lists_recent_entries_for_admins_only(client, make):
    school = make.school()
    dsl = make.user(school, "dsl")
    event(school, record_id="seen-record", user=dsl)
    sign_in(client, dsl)
    assert client.get("/staff/admin/audit").status_code == 403
    assert client.get("/staff/admin/audit.csv").status_code == 403
    client.post("/staff/sign-out")
    sign_in(client, make.user(school, "admin"))
    text = client.get("/staff/admin/audit").get_data(as_text=True)
    assert "seen-record" in text and dsl.email in text
