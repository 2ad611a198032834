"""The insight blueprint: counts and trends for a school or a trust, naming no pupil."""

from __future__ import annotations

from flask import Blueprint

from schoolsafe.security.access import TRUST_LEAD, gate
from schoolsafe.vocab import Role

bp = Blueprint("insight", __name__, url_prefix="/staff/insight")
# Trust leads come in for the trust views; each view narrows with require().
gate(bp, Role.DSL, TRUST_LEAD)


# The modules that add their pages to bp, in order. The app factory imports them once bp
# exists (schoolsafe.register_blueprints), so this package never imports its own areas.
AREAS = ("views", "trust", "demo")
