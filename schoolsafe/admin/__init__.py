"""The admin blueprint: a school's staff, alert routing, hours, referral addresses, email
delivery and audit trail.

Administrators see who is alerted and whether email is getting through, never what a report
says.
"""

from __future__ import annotations

from flask import Blueprint

from schoolsafe.security.access import gate
from schoolsafe.vocab import Role

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")
gate(bp, Role.ADMIN)


# The modules that add their pages to bp, in order. The app factory imports them once bp
# exists (schoolsafe.register_blueprints), so this package never imports its own areas.
AREAS = ("views", "staff", "routing_views", "recipients", "sso", "closed_days", "languages",
         "audit")
