"""The concerns blueprint: any member of staff logs a concern and sees whether it was
acknowledged, never the case it became part of."""

from __future__ import annotations

from flask import Blueprint

from schoolsafe.security.access import gate
from schoolsafe.vocab import Role

bp = Blueprint("concerns", __name__, url_prefix="/staff/concerns")
gate(bp, Role.STAFF, Role.DSL, Role.ADMIN)


# The modules that add their pages to bp, in order. The app factory imports them once bp
# exists (schoolsafe.register_blueprints), so this package never imports its own areas.
AREAS = ("views",)
