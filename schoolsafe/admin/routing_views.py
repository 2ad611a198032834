"""The routing page: who is told about reports, at which tier, and the fallback address."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from sqlalchemy import select

from schoolsafe.admin.forms import URGENCY_CHOICES, FallbackForm, RouteForm, options
from schoolsafe.extensions import db
from schoolsafe.models import Membership, School, User
from schoolsafe.services.alerts import routing
from schoolsafe.services.reports.categories import CATEGORY_LABELS
from schoolsafe.vocab import AuditAction, AuditRecordType, Urgency
from schoolsafe.web.audit import audited_as
from schoolsafe.web.once import once_per_form
from schoolsafe.web.words import error_text

from . import bp
from .common import current_school


def _staff(school: School) -> dict[str, User]:
    """The school's staff by public id, for the "member of staff" choice."""
    users = db.session.scalars(
        select(User).join(Membership).where(Membership.school_id == school.id,
                                            User.active.is_(True))
        .order_by(User.name).distinct()
    )
    return {user.public_id: user for user in users}


def _route_form(school: School) -> RouteForm:
    form = RouteForm()
    form.user.choices = options([("", gettext("Choose a member of staff")),
                                 *((key, f"{u.name} ({u.email})")
                                   for key, u in _staff(school).items())])
    return form


def _page(school: School, route_form: RouteForm | None = None,
          fallback_form: FallbackForm | None = None, status: int = 200):
    school_routing = routing.load(db.session, school)
    return render_template(
        "admin/routing.html", school=school,
        route_form=route_form or _route_form(school),
        fallback_form=fallback_form or FallbackForm(data={"fallback": school.fallback_email}),
        entries=routing.entries(db.session, school.id),
        problems=routing.problems(school_routing),
        ladders={level: routing.ladder(school_routing, level)
                 for level in (Urgency.IMMEDIATE, Urgency.HIGH)},
        on_call=routing.on_call(school_routing),
        urgency_labels=dict(URGENCY_CHOICES), category_labels=CATEGORY_LABELS,
    ), status


@bp.get("/routing")
def routing_page():
    """The routing list, what it means for an urgent report, and what needs fixing."""
    return _page(current_school())


@bp.post("/routing/add")
@once_per_form
def add_route():
    """Put someone on the routing list."""
    school = current_school()
    form = _route_form(school)
    if not form.validate():
        return _page(school, route_form=form, status=400)
    chosen = _staff(school).get(form.user.data or "")
    data = routing.RouteInput(
        user_id=chosen.id if chosen else None, email=form.email.data or "",
        tier=form.tier.data, min_urgency=form.min_urgency.data,
        categories=tuple(form.categories.data or ()), on_call=form.on_call.data)
    try:
        route = routing.add_route(db.session, school.id, data)
    except routing.RoutingError as error:
        db.session.rollback()
        field = form[error.field] if error.field in form else form.user
        field.errors = [*field.errors, error_text(error)]
        return _page(school, route_form=form, status=400)
    audited_as(AuditAction.ROUTING_ADDED, AuditRecordType.ALERT_ROUTE, route.id, school.id)
    db.session.commit()
    flash(gettext("Added to the routing list."), "success")
    return redirect(url_for("admin.routing_page"))


@bp.post("/routing/<int:route_id>/remove")
@once_per_form
def remove_route(route_id: int):
    """Take someone off the routing list."""
    school = current_school()
    try:
        routing.remove_route(db.session, school.id, route_id)
    except routing.RoutingError as error:
        flash(error_text(error), "info")
        return redirect(url_for("admin.routing_page"))
    audited_as(AuditAction.ROUTING_REMOVED, AuditRecordType.ALERT_ROUTE, route_id, school.id)
    db.session.commit()
    flash(gettext("Removed from the routing list."), "success")
    return redirect(url_for("admin.routing_page"))


@bp.post("/routing/fallback")
@once_per_form
def set_fallback():
    """Set or clear the inbox that is told when nobody else would be."""
    school = current_school()
    form = FallbackForm()
    try:
        if not form.validate():
            raise routing.RoutingError("fallback", "Please check the address.")
        routing.set_fallback(school, form.fallback.data or "")
    except routing.RoutingError as error:
        db.session.rollback()
        form.fallback.errors = [*form.fallback.errors, error_text(error)]
        return _page(school, fallback_form=form, status=400)
    audited_as(AuditAction.FALLBACK_CHANGED, AuditRecordType.SCHOOL, school.id, school.id)
    db.session.commit()
    flash(gettext("Fallback address saved."), "success")
    return redirect(url_for("admin.routing_page"))
