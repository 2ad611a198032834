"""The audit trail for administrators: recent events and a CSV export, itself audited.

Read-only by design: no route here (or anywhere) edits or deletes audit rows, and on
PostgreSQL a trigger (migration 0001) refuses UPDATE and DELETE of them.
"""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request, stream_with_context
from flask_login import current_user

from schoolsafe.admin.views import bp
from schoolsafe.extensions import db
from schoolsafe.models import School
from schoolsafe.security.access import current_school_id
from schoolsafe.services.audit import export as audit_export
from schoolsafe.services.audit import trail as audit
from schoolsafe.vocab import Role


def _school() -> School:
    return db.session.get(School, current_school_id(Role.ADMIN))


def _record(action: str, school: School) -> None:
    audit.record(db.session, user_id=current_user.id, school_id=school.id, action=action,
                 record_type="audit", record_id=school.slug[:40])


def _page(school: School, problem: str | None = None, status: int = 200):
    start, end = request.args.get("from", ""), request.args.get("to", "")
    return render_template("admin/audit.html", school=school, problem=problem, start=start,
                           end=end, events=audit_export.recent(db.session, school.id),
                           total=audit_export.count(db.session, school.id, None, None)), status


@bp.get("/audit")
def audit_trail():
    """The latest audit events of the school, and the form to export them."""
    school = _school()
    _record("view", school)
    db.session.commit()
    return _page(school)


@bp.get("/audit.csv")
def audit_csv():
    """Download the school's audit events (optionally between two dates) as CSV."""
    school = _school()
    try:
        first, last = audit_export.parse_range(request.args.get("from", ""),
                                               request.args.get("to", ""))
    except audit_export.AuditRangeError as error:
        return _page(school, str(error), 400)
    _record("export", school)
    db.session.commit()
    lines = audit_export.csv_lines(audit_export.rows(db.session, school.id, first, last,
                                                         school.timezone))
    name = f"audit-{school.slug}-{date.today().isoformat()}.csv"
    return Response(stream_with_context(lines), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
