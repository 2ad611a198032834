"""What the sign-in, reset and account pages share: the network throttle and the audit row
about a user (who may not be signed in yet, so not web.audit's signed-in user)."""

from __future__ import annotations

from schoolsafe.extensions import db
from schoolsafe.models import User
from schoolsafe.security.ratelimit import hit_for_request
from schoolsafe.services.audit import trail as audit
from schoolsafe.vocab import AuditAction, AuditRecordType

# Tries per network address per window, whoever they are for: slows guessing across accounts
# without shutting out a whole school's staff, who may share one address.
ATTEMPT_LIMIT = 30
ATTEMPT_WINDOW = 600
TOO_MANY = "There have been too many tries from this network. Please wait ten minutes."


def audit_user(action: AuditAction, user: User) -> None:
    """Record a sign-in event about a user (who and what, nothing typed)."""
    audit.record(db.session, user_id=user.id, school_id=None, action=action,
                 record_type=AuditRecordType.STAFF_USER, record_id=user.public_id)


def throttled(purpose: str) -> bool:
    """True when this network address has used up its tries for now."""
    return not hit_for_request(purpose, ATTEMPT_LIMIT, ATTEMPT_WINDOW)
