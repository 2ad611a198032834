"""The register of online accounts, pages and groups seen in reports and cases."""

from __future__ import annotations

from flask import Blueprint, render_template

from schoolsafe.models.staff import DSL
from schoolsafe.security.access import gate

bp = Blueprint("register", __name__, url_prefix="/staff/register")
gate(bp, DSL)


@bp.get("/")
def index():
    """Register entries of the school."""
    return render_template("register/index.html")
