"""The register blueprint: online accounts, pages and groups seen in reports and cases."""

from __future__ import annotations

from types import ModuleType

from flask import Blueprint

from schoolsafe.security.access import TRUST_LEAD, gate
from schoolsafe.vocab import Role

bp = Blueprint("register", __name__, url_prefix="/staff/register")
# Trust leads pass the gate for the shared register (register/trust.py); every other view
# narrows to DSLs again through school_ids(Role.DSL) and get_for_school_or_404(...).
gate(bp, Role.DSL, TRUST_LEAD)


def _areas() -> tuple[ModuleType, ...]:
    # Each area registers its routes on bp as it is imported, so bp must exist first.
    from . import cases, trust, views

    return views, cases, trust


AREAS = _areas()
