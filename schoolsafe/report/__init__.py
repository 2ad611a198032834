"""The pupil blueprint: find your school, tell someone, come back with your code.

Open to anyone, with no sign-in: nothing here is gated.
"""

from __future__ import annotations

from flask import Blueprint

from schoolsafe.extensions import csrf
from schoolsafe.web.language import keep_pupil_language

bp = Blueprint("report", __name__)
# Pupil forms carry their own CSRF token and, on failure, come back with what was typed
# instead of the generic error page.
csrf.exempt(bp)
# A pupil's chosen language travels in the address, so every link and form here keeps it.
bp.url_defaults(keep_pupil_language)


# The modules that add their pages to bp, in order. The app factory imports them once bp
# exists (schoolsafe.register_blueprints), so this package never imports its own areas.
AREAS = ("views", "followup", "too_long")
