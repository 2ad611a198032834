"""Insight: counts and trends without identifying any pupil."""

from __future__ import annotations

from flask import Blueprint, render_template

from schoolsafe.models.staff import DSL
from schoolsafe.security.access import gate

bp = Blueprint("insight", __name__, url_prefix="/staff/insight")
gate(bp, DSL)


@bp.get("/")
def index():
    """Charts and tables for the school."""
    return render_template("insight/index.html")
