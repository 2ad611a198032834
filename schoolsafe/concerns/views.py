"""Any member of staff logs a concern; they see whether it was acknowledged, not the case."""

from __future__ import annotations

from flask import Blueprint, render_template

from schoolsafe.models.staff import ADMIN, DSL, STAFF
from schoolsafe.security.access import gate

bp = Blueprint("concerns", __name__, url_prefix="/staff/concerns")
gate(bp, STAFF, DSL, ADMIN)


@bp.get("/")
def index():
    """The concerns this member of staff has logged."""
    return render_template("concerns/index.html")
