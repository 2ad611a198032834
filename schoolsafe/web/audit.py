"""Audit rows for what the signed-in member of staff did in a view (never what a record says).

Each row is added to the session and committed with the change it describes.
"""

from __future__ import annotations

from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.models import Case, OnlineAccount, Referral, Report
from schoolsafe.services.audit import trail as audit
from schoolsafe.vocab import AuditAction, AuditRecordType

# What the audit trail calls each kind of school record a view works on.
RECORD_TYPES: dict[type, AuditRecordType] = {
    Report: AuditRecordType.REPORT, Case: AuditRecordType.CASE,
    Referral: AuditRecordType.REFERRAL, OnlineAccount: AuditRecordType.ACCOUNT}


def audited_as(action: AuditAction, record_type: AuditRecordType, record_id: object,
               school_id: int | None) -> None:
    """Record that the signed-in user did `action` to the record of that type and id."""
    audit.record(db.session, user_id=current_user.id, school_id=school_id, action=action,
                 record_type=record_type, record_id=str(record_id))


def audited(action: AuditAction, record: Report | Case | Referral | OnlineAccount) -> None:
    """Record that the signed-in user did `action` to a school's record, by its public id."""
    audited_as(action, RECORD_TYPES[type(record)], record.public_id, record.school_id)
