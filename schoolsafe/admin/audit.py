"""The audit trail for administrators: recent events and a CSV export, itself audited.

Read-only by design: no route here (or anywhere) edits or deletes audit rows, and on
PostgreSQL a trigger (migration 0001) refuses UPDATE and DELETE of them.
"""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request, stream_with_context

from schoolsafe.extensions import db
from schoolsafe.models import School
from schoolsafe.services.audit import export as audit_export
from schoolsafe.vocab import AuditAction, AuditRecordType
from schoolsafe.web.audit import audited_as
from schoolsafe.web.words import error_text

from . import bp
from .common import current_school


def _page(school: School, problem: str | None = None, status: int = 200):
    start, end = request.args.get("from", ""), request.args.get("to", "")
    return render_template("admin/audit.html", school=school, problem=problem, start=start,
                           end=end, events=audit_export.recent(db.session, school.id),
                           total=audit_export.count(db.session, school.id, None, None)), status


@bp.get("/audit")
def audit_trail():
    """The latest audit events of the school, and the form to export them."""
    school = current_school()
    audited_as(AuditAction.VIEW, AuditRecordType.AUDIT, school.slug[:40], school.id)
    db.session.commit()
    return _page(school)


@bp.get("/audit.csv")
def audit_csv():
    """Download the school's audit events (optionally between two dates) as CSV."""
    school = current_school()
    try:
        first, last = audit_export.parse_range(request.args.get("from", ""),
                                               request.args.get("to", ""))
    except audit_export.AuditRangeError as error:
        return _page(school, error_text(error), 400)
    audited_as(AuditAction.EXPORT, AuditRecordType.AUDIT, school.slug[:40], school.id)
    db.session.commit()
    lines = audit_export.csv_lines(audit_export.rows(db.session, school.id, first, last,
                                                         school.timezone))
    name = f"audit-{school.slug}-{date.today().isoformat()}.csv"
    return Response(stream_with_context(lines), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
