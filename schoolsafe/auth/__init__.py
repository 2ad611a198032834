"""The auth blueprint: staff sign-in and the two-factor step, password reset, own account.

No gate: signing in has to be open to someone not yet signed in. The account pages and
signing out everywhere narrow to a fully signed-in user with require().
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/staff")


# The modules that add their pages to bp, in order. The app factory imports them once bp
# exists (schoolsafe.register_blueprints), so this package never imports its own areas.
AREAS = ("views", "reset", "account", "sso", "passkeys")
