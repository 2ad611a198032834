"""The pupil blueprint: find your school, tell someone, come back with your code.

Open to anyone, with no sign-in: nothing here is gated.
"""

from __future__ import annotations

from types import ModuleType

from flask import Blueprint

from schoolsafe.extensions import csrf

bp = Blueprint("report", __name__)
# Pupil forms carry their own CSRF token and, on failure, come back with what was typed
# instead of the generic error page.
csrf.exempt(bp)


def _areas() -> tuple[ModuleType, ...]:
    # Each area registers its routes on bp as it is imported, so bp must exist first.
    from . import followup, views

    return views, followup


AREAS = _areas()
