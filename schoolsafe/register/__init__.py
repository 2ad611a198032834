"""The register blueprint: online accounts, pages and groups seen in reports and cases."""

from __future__ import annotations

from flask import Blueprint

from schoolsafe.security.access import TRUST_LEAD, gate
from schoolsafe.vocab import Role

bp = Blueprint("register", __name__, url_prefix="/staff/register")
# Trust leads pass the gate for the shared register (register/trust.py); every other view
# narrows to DSLs again through school_ids(Role.DSL) and get_for_school_or_404(...).
gate(bp, Role.DSL, TRUST_LEAD)


# The modules that add their pages to bp, in order. The app factory imports them once bp
# exists (schoolsafe.register_blueprints), so this package never imports its own areas.
AREAS = ("views", "cases", "trust")
