"""The trust overview: counts per school for a trust lead, and nothing that names a pupil."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.security.access import TRUST_LEAD, lead_trust_ids, require
from schoolsafe.services.insight import tenancy

from . import bp


@bp.get("/trust")
@require(TRUST_LEAD)
def trust():
    """Reports, cases and register entries per school of the trusts the user leads."""
    trust_ids = lead_trust_ids(current_user)
    hide_below = current_app.config["SUPPRESS_BELOW"]
    return render_template("insight/trust.html", trusts=tenancy.trusts(db.session, trust_ids),
                           rows=tenancy.trust_counts(db.session, trust_ids, hide_below),
                           hide_below=hide_below)
