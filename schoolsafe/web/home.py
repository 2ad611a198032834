"""Where a signed-in member of staff starts: after signing in, choosing a school, or leaving
the pages a role change has taken away."""

from __future__ import annotations

from flask import url_for

from schoolsafe.models import User
from schoolsafe.security.access import lead_trust_ids
from schoolsafe.vocab import CASEWORK_ROLES, Role


def home_for(user: User) -> str:
    """Where a signed-in user starts: their main piece of work."""
    # A head teacher or chair of governors who is not a DSL works the reports sent to them.
    if user.school_ids_with(*CASEWORK_ROLES):
        return url_for("triage.queue")
    if user.school_ids_with(Role.ADMIN):
        return url_for("admin.overview")
    if lead_trust_ids(user):
        return url_for("insight.trust")
    return url_for("concerns.index")
