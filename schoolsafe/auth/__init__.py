"""The auth blueprint: staff sign-in and the two-factor step, password reset, own account.

No gate: signing in has to be open to someone not yet signed in. The account pages and
signing out everywhere narrow to a fully signed-in user with require().
"""

from __future__ import annotations

from types import ModuleType

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/staff")


def _areas() -> tuple[ModuleType, ...]:
    # Each area registers its routes on bp as it is imported, so bp must exist first.
    from . import account, reset, views

    return views, reset, account


AREAS = _areas()
