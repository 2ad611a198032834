"""The triage blueprint: the DSL's workspace of reports, cases, checklists and referrals.

Only DSLs pass the gate; the referral pages also let in staff given permission to refer
(referrals.py), and every record is loaded within the user's own schools.
"""

from __future__ import annotations

from types import ModuleType

from flask import Blueprint

from schoolsafe.security.access import gate
from schoolsafe.vocab import Role

bp = Blueprint("triage", __name__, url_prefix="/staff/triage")
gate(bp, Role.DSL)


def _areas() -> tuple[ModuleType, ...]:
    # Each area registers its routes on bp as it is imported, so bp must exist first.
    from . import cases, checklist, export, referrals, urgency, views

    return views, cases, checklist, referrals, export, urgency


AREAS = _areas()
