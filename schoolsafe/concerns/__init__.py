"""The concerns blueprint: any member of staff logs a concern and sees whether it was
acknowledged, never the case it became part of."""

from __future__ import annotations

from types import ModuleType

from flask import Blueprint

from schoolsafe.security.access import gate
from schoolsafe.vocab import Role

bp = Blueprint("concerns", __name__, url_prefix="/staff/concerns")
gate(bp, Role.STAFF, Role.DSL, Role.ADMIN)


def _areas() -> tuple[ModuleType, ...]:
    # Each area registers its routes on bp as it is imported, so bp must exist first.
    from . import views

    return (views,)


AREAS = _areas()
