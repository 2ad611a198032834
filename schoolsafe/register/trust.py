"""The shared register for trust leads: accounts across the trust's schools, as counts only."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.services.register.queries import RegisterFilter, school_names
from schoolsafe.services.register.trust import (
    holdings,
    school_ids_in,
    shared_register,
    trust_ids_for,
)
from schoolsafe.vocab import AuditAction, AuditRecordType
from schoolsafe.web.audit import audited_as

from . import bp
from .common import labels


def _trust_school_ids() -> list[int]:
    """Schools of the trusts the user leads; anyone else may not see the shared register."""
    ids = school_ids_in(db.session, trust_ids_for(db.session, current_user.id))
    if not ids:
        abort(403)
    return ids


@bp.get("/trust")
def trust_index():
    """Accounts named across the trust, once each, with how many schools have them."""
    ids = _trust_school_ids()
    wanted = RegisterFilter.from_args(request.args.to_dict(), ids)
    rows, has_next = shared_register(db.session, ids, wanted)
    audited_as(AuditAction.VIEW_TRUST_LIST, AuditRecordType.ACCOUNT, "trust-register", None)
    db.session.commit()
    return render_template("register/trust_index.html", rows=rows, has_next=has_next,
                           wanted=wanted, schools=school_names(db.session, ids),
                           query_args={k: v for k, v in request.args.items() if k != "page"},
                           **labels())


@bp.get("/trust/entries/<public_id>")
def trust_entry(public_id: str):
    """One account across the trust: each school's status and counts, and who to contact."""
    found = holdings(db.session, _trust_school_ids(), public_id)
    if found is None:
        abort(404)
    entry, rows = found
    audited_as(AuditAction.VIEW_TRUST, AuditRecordType.ACCOUNT, entry.public_id, None)
    db.session.commit()
    return render_template("register/trust_entry.html", entry=entry, rows=rows, **labels())
