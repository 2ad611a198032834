"""The insight blueprint: counts and trends for a school or a trust, naming no pupil."""

from __future__ import annotations

from types import ModuleType

from flask import Blueprint

from schoolsafe.security.access import TRUST_LEAD, gate
from schoolsafe.vocab import Role

bp = Blueprint("insight", __name__, url_prefix="/staff/insight")
# Trust leads come in for the trust views; each view narrows with require().
gate(bp, Role.DSL, TRUST_LEAD)


def _areas() -> tuple[ModuleType, ...]:
    # Each area registers its routes (or command) on bp as it is imported, so bp must exist
    # first.
    from . import demo, trust, views

    return views, trust, demo


AREAS = _areas()
