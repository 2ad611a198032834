"""The triage blueprint: the DSL's workspace of reports, cases, checklists and referrals.

Only DSLs pass the gate; the referral pages also let in staff given permission to refer
(referrals.py), and every record is loaded within the user's own schools. The allegations
contacts (head teacher, chair of governors) work the reports and cases routed to them in the
areas of CONTACT_AREAS, where the visibility filter shows a contact who is not a DSL nothing
else; the pupil directory and files handed on between schools stay the DSLs'.
"""

from __future__ import annotations

from flask import Blueprint

from schoolsafe.security.access import also_allow_areas, gate
from schoolsafe.vocab import CASEWORK_ROLES, Role

bp = Blueprint("triage", __name__, url_prefix="/staff/triage")
gate(bp, Role.DSL)


# The modules that add their pages to bp, in order. The app factory imports them once bp
# exists (schoolsafe.register_blueprints), so this package never imports its own areas.
AREAS = ("views", "cases", "checklist", "referrals", "export", "urgency", "tasks", "entries",
         "plans", "transfers", "pupils")
# The areas where the allegations contacts work what is routed to them: the queue and a
# report, its case and checklist, chronology, tasks, safety plans, referrals and the case file.
CONTACT_AREAS = ("views", "cases", "checklist", "referrals", "export", "urgency", "tasks",
                 "entries", "plans")
also_allow_areas(bp, CONTACT_AREAS, *CASEWORK_ROLES)
