"""School administration: staff, routing warnings and email delivery state."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.mail.alerts import dsl_addresses, school_routes
from schoolsafe.models import Membership, OutboxMessage, School, User
from schoolsafe.models.staff import ADMIN, ROLE_LABELS
from schoolsafe.security.access import current_school_id, gate

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")
gate(bp, ADMIN)


@bp.get("/")
def overview():
    """Staff and roles, whether alerts can reach anyone, and recent email delivery."""
    school = db.session.get(School, current_school_id(ADMIN))
    members = db.session.execute(
        select(User, Membership).join(Membership).where(Membership.school_id == school.id)
        .order_by(User.name)
    ).all()
    outbox = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.school_id == school.id)
        .order_by(OutboxMessage.created_at.desc()).limit(50)
    ).all()
    routing_broken = not (school_routes(school) or dsl_addresses(school) or school.fallback_email)
    return render_template("admin/overview.html", school=school, members=members,
                           outbox=outbox, routing_broken=routing_broken, role_labels=ROLE_LABELS)
