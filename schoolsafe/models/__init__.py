"""All tables, imported here so Alembic and the app see the whole schema."""

from schoolsafe.models.account import (
    LookalikeFlag,
    LookalikeKey,
    OnlineAccount,
    PlatformReport,
    Sighting,
)
from schoolsafe.models.audit import AuditEvent
from schoolsafe.models.case import Case, CasePerson, CaseReader, TimelineEvent
from schoolsafe.models.casework import (
    CaseEntry,
    CaseEntryPupil,
    CaseTask,
    FileTransfer,
    ParentContact,
    ReceivedFile,
    SafetyPlan,
)
from schoolsafe.models.checklist import ChecklistItem
from schoolsafe.models.forms import FormSubmission, PendingForm, SpentPupilPage
from schoolsafe.models.outbox import OutboxMessage
from schoolsafe.models.pupil import Pupil, PupilImportMapping, PupilName
from schoolsafe.models.referral import Referral
from schoolsafe.models.report import Report, ReportCategory, ReportMessage
from schoolsafe.models.school import AlertRoute, RecipientAddress, School, Trust
from schoolsafe.models.sign_in import Passkey, PasskeyChallenge, SchoolSso, SsoLink
from schoolsafe.models.staff import Membership, RecoveryCode, TrustLead, User
from schoolsafe.models.staff_session import StaffSession

__all__ = [
    "AlertRoute", "AuditEvent", "Case", "CaseEntry", "CaseEntryPupil", "CasePerson", "CaseReader",
    "CaseTask", "ChecklistItem", "FileTransfer", "FormSubmission", "LookalikeFlag", "LookalikeKey",
    "Membership", "OnlineAccount", "OutboxMessage", "ParentContact", "Passkey", "PasskeyChallenge",
    "PendingForm", "PlatformReport", "Pupil", "PupilImportMapping", "PupilName", "ReceivedFile",
    "RecipientAddress", "RecoveryCode", "Referral", "Report", "ReportCategory", "ReportMessage",
    "SafetyPlan", "School", "SchoolSso", "Sighting", "SpentPupilPage", "SsoLink", "StaffSession",
    "TimelineEvent", "Trust", "TrustLead", "User",
]
