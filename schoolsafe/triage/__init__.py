"""The triage blueprint: the DSL's workspace of reports, cases, checklists and referrals.

Only DSLs pass the gate; the referral pages also let in staff given permission to refer
(referrals.py), and every record is loaded within the user's own schools.
"""

from __future__ import annotations

from flask import Blueprint

from schoolsafe.security.access import gate
from schoolsafe.vocab import Role

bp = Blueprint("triage", __name__, url_prefix="/staff/triage")
gate(bp, Role.DSL)


# The modules that add their pages to bp, in order. The app factory imports them once bp
# exists (schoolsafe.register_blueprints), so this package never imports its own areas.
AREAS = ("views", "cases", "checklist", "referrals", "export", "urgency", "tasks", "entries",
         "plans", "transfers", "pupils")
