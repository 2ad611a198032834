"""Insight: counts and trends for a school or a trust, without identifying any pupil.

A DSL sees their own school with exact numbers (and can preview what governors will see);
a trust lead sees their trust, or one school of it, with small numbers always hidden. The
CSV exports carry the same figures, and every export is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, current_app, render_template, request
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.models.base import utcnow
from schoolsafe.security.access import TRUST_LEAD, lead_trust_ids, require
from schoolsafe.services.insight import figures as insight
from schoolsafe.services.insight import scope as insight_scope
from schoolsafe.services.insight.charts import charts
from schoolsafe.services.insight.csv_export import to_csv
from schoolsafe.services.insight.period import Period, PeriodError, default_period, parse_period
from schoolsafe.services.insight.scope import Scope, ScopeError
from schoolsafe.services.words import words_in
from schoolsafe.vocab import AuditAction, Role
from schoolsafe.web.audit import audited_as
from schoolsafe.web.language import page_language

from . import bp

EXACT, GOVERNORS = "exact", "governors"
# What the audit trail calls an export of each kind of numbers.
EXPORT_ACTIONS = {EXACT: AuditAction.EXPORT_EXACT, GOVERNORS: AuditAction.EXPORT_GOVERNORS}


@dataclass(frozen=True)
class Asked:
    """What the filter form asked for, checked against what this user may see."""

    scopes: list[Scope]
    scope: Scope
    period: Period
    problem: str | None
    numbers: str
    hide_below: int | None
    typed_period: Period  # the dates asked for, before widening to whole months

    @property
    def args(self) -> dict[str, str]:
        """The filters as query arguments, for links to the exports."""
        return {"scope": self.scope.key, "from": self.typed_period.start.isoformat(),
                "to": self.typed_period.end.isoformat()}


def _asked(numbers: str, *, refuse_exact: bool) -> Asked:
    """The checked filters; `numbers` is exact, governors, or empty for exact where allowed.

    Exact numbers asked for where they aren't allowed are refused (an export) or replaced
    by hidden small numbers (the page, after someone switched the schools filter to a trust).
    """
    scopes = insight_scope.scopes_for(db.session, current_user.school_ids_with(Role.DSL),
                                      lead_trust_ids(current_user))
    try:
        scope = insight_scope.choose(scopes, request.args.get("scope"))
    except ScopeError:
        abort(404)
    if numbers not in (EXACT, GOVERNORS):
        numbers = EXACT if scope.exact_allowed else GOVERNORS
    if numbers == EXACT and not scope.exact_allowed:
        if refuse_exact:
            abort(403)  # exact numbers are for a DSL's own school only
        numbers = GOVERNORS
    today = utcnow().date()
    try:
        period, problem = parse_period(request.args.get("from", ""),
                                       request.args.get("to", ""), today), None
    except PeriodError as error:
        period, problem = default_period(today), str(error)
    hide = None if numbers == EXACT else current_app.config["SUPPRESS_BELOW"]
    typed = period
    if hide is not None:
        # Two ranges a day apart would give that day's count away as the difference of
        # their totals, so views with small numbers hidden cover whole months.
        period = period.whole_months()
    return Asked(scopes, scope, period, problem, numbers, hide, typed)


def _build(asked: Asked) -> insight.Insight:
    return insight.build(db.session, asked.scope.school_ids, asked.period, now=utcnow(),
                         hide_below=asked.hide_below, school_names=asked.scope.school_names)


@bp.get("/")
@require(Role.DSL, TRUST_LEAD)
def index():
    """Charts and tables for one school or a whole trust."""
    asked = _asked(request.args.get("numbers", ""), refuse_exact=False)
    result = _build(asked)
    return render_template("insight/index.html", asked=asked, insight=result,
                           charts=charts(result), typed=request.args,
                           today=utcnow().date()), 400 if asked.problem else 200


@bp.get("/export.csv")
@require(Role.DSL, TRUST_LEAD)
def export():
    """The same figures as CSV: for governors (small numbers hidden) or exact for the DSL."""
    asked = _asked(request.args.get("numbers") or GOVERNORS, refuse_exact=True)
    if asked.problem:
        abort(400)
    numbers = asked.numbers
    made_at = utcnow()
    text = to_csv(_build(asked), asked.scope.label, made_at, asked.typed_period,
                  words_in(page_language()))
    audited_as(EXPORT_ACTIONS[numbers], asked.scope.audit_type, asked.scope.audit_id,
               asked.scope.audit_school_id)
    db.session.commit()
    name = f"insight-{asked.scope.key}-{asked.period.start}-to-{asked.period.end}-{numbers}.csv"
    # The byte-order mark lets spreadsheet programs read the file as UTF-8.
    return Response("\ufeff" + text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

