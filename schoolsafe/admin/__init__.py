"""The admin blueprint: a school's staff, alert routing, hours, email delivery and audit trail.

Administrators see who is alerted and whether email is getting through, never what a report
says.
"""

from __future__ import annotations

from types import ModuleType

from flask import Blueprint

from schoolsafe.security.access import gate
from schoolsafe.vocab import Role

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")
gate(bp, Role.ADMIN)


def _areas() -> tuple[ModuleType, ...]:
    # Each area registers its routes on bp as it is imported, so bp must exist first.
    from . import audit, routing_views, staff, views

    return views, staff, routing_views, audit


AREAS = _areas()
