"""Queue the alerts for a new report, in the same transaction as the report itself."""

from __future__ import annotations

from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.mail.builders import new_report_alert
from schoolsafe.models import AlertRoute, Membership, OutboxMessage, Report, School, User
from schoolsafe.models.staff import DSL
from schoolsafe.services import routing


def school_routes(school: School) -> list[routing.Route]:
    """The school's routing list as plain values, with user addresses resolved."""
    rows = db.session.execute(
        select(AlertRoute, User.email).outerjoin(User, AlertRoute.user_id == User.id)
        .where(AlertRoute.school_id == school.id)
    ).all()
    return [routing.Route(address=email or route.email, tier=route.tier,
                          min_urgency=route.min_urgency, categories=tuple(route.categories),
                          on_call=route.on_call)
            for route, email in rows if (email or route.email)]


def dsl_addresses(school: School) -> list[str]:
    """Email addresses of the school's active DSLs."""
    return list(db.session.scalars(
        select(User.email).join(Membership).where(
            Membership.school_id == school.id, Membership.role == DSL, User.active.is_(True))
        .order_by(User.id)
    ))


def queue_new_report_alerts(report: Report, school: School) -> list[OutboxMessage]:
    """One content-free alert per first-tier recipient."""
    addresses = routing.recipients(
        school_routes(school), 1, report.urgency, set(report.category_codes),
        dsl_addresses(school), school.fallback_email)
    report.alert_tier = 1
    return [new_report_alert(report, address) for address in addresses]
