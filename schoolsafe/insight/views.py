"""Insight: counts and trends without identifying any pupil."""

from __future__ import annotations

from flask import Blueprint, render_template

from schoolsafe.models.staff import DSL
from schoolsafe.security.access import TRUST_LEAD, gate, require

bp = Blueprint("insight", __name__, url_prefix="/staff/insight")
# Trust leads come in for the trust overview (insight/trust.py); other views narrow to DSLs.
gate(bp, DSL, TRUST_LEAD)


@bp.get("/")
@require(DSL)
def index():
    """Charts and tables for the school."""
    return render_template("insight/index.html")


from schoolsafe.insight import trust  # noqa: E402, F401 - registers the trust overview
