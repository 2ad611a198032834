"""Every stored state and kind, each with the words people see for it, in one place.

Members are `StrEnum`s, so they equal the strings stored in the database and compared in
templates: columns stay plain strings. Each label is a string literal here, so it can be
marked for translation in this one file. This module imports nothing from schoolsafe.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Term(StrEnum):
    """A stored code with the words people see for it: `Member = "code", "Label"`."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Every code of this vocabulary with its label, in order."""
        return {member.value: member.label for member in cls}

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """Every code of this vocabulary, in order."""
        return tuple(member.value for member in cls)


class Language(Term):
    """A language pupils and staff can read the pages in; each label is in its own language, so
    a pupil finds theirs whatever page they are on (never translated)."""

    EN = "en", "English"
    CY = "cy", "Cymraeg"
    NL = "nl", "Nederlands"
    FR = "fr", "Français"
    SV = "sv", "Svenska"
    ES = "es", "Español"


class Urgency(Term):
    """How soon a report or case needs someone; most urgent first."""

    IMMEDIATE = "immediate", "Immediate"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    STANDARD = "standard", "Standard"

    @property
    def rank(self) -> int:
        """0 for immediate up to 3 for standard, so SQL and sorting can order by urgency."""
        return list(Urgency).index(self)


# What a routing entry hears about when this is the least urgency it asks for.
URGENCY_THRESHOLD_LABELS: dict[Urgency, str] = {
    Urgency.STANDARD: "Every report",
    Urgency.MEDIUM: "Medium, high and immediate reports",
    Urgency.HIGH: "High and immediate reports",
    Urgency.IMMEDIATE: "Immediate reports only",
}


class ReportStatus(Term):
    """Where a report is in the triage queue."""

    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CLOSED = "closed", "Closed"


class QueueFilter(Term):
    """The statuses the triage queue can show at once."""

    OPEN = "open", "New and acknowledged"
    NEW = "new", "New (not yet acknowledged)"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CLOSED = "closed", "Closed"
    ALL = "all", "All"


class ReportSource(Term):
    """Who made a report: a pupil, or a member of staff logging a concern."""

    PUPIL = "pupil", "Told by a pupil"
    STAFF_CONCERN = "staff", "Logged by staff as a concern"


class MessageAuthor(Term):
    """Who wrote a message in a report's thread."""

    PUPIL = "pupil", "Pupil"
    STAFF = "staff", "Staff"


class About(Term):
    """Who a report is about."""

    SELF = "self", "About themselves"
    FRIEND = "friend", "About a friend"
    WITNESSED = "witnessed", "Something they saw"


# The shorter words of the triage queue's "about" column.
ABOUT_QUEUE_LABELS: dict[About, str] = {
    About.SELF: "Themselves",
    About.FRIEND: "A friend",
    About.WITNESSED: "Something seen",
}
# The question as a pupil answers it on the report form.
ABOUT_PUPIL_CHOICES: dict[About, str] = {
    About.SELF: "Me",
    About.FRIEND: "A friend",
    About.WITNESSED: "Someone else",
}
class EarlierWhen(Term):
    """Roughly when a pupil who lost their code told us before, as they remember it."""

    TODAY = "today", "Today"
    THIS_WEEK = "this_week", "This week"
    EARLIER = "earlier", "Before this week"
    NOT_SURE = "not_sure", "Not sure"


# The question as staff answer it when logging a concern.
ABOUT_STAFF_CHOICES: dict[About, str] = {
    About.SELF: "A pupil told me it is happening to them",
    About.FRIEND: "Someone told me it is happening to another pupil",
    About.WITNESSED: "I saw or found it myself",
}


class CaseStatus(Term):
    """Where a case is."""

    NEW = "new", "New"
    OPEN = "open", "Open"
    REFERRED = "referred", "Referred"
    MONITORING = "monitoring", "Monitoring"
    CLOSED = "closed", "Closed"


class CaseFilter(Term):
    """The statuses the case list can show at once."""

    ACTIVE = "active", "Not closed"
    NEW = "new", "New"
    OPEN = "open", "Open"
    REFERRED = "referred", "Referred"
    MONITORING = "monitoring", "Monitoring"
    CLOSED = "closed", "Closed"
    ALL = "all", "All"


class CaseOutcome(Term):
    """Why a case was closed."""

    RESOLVED = "resolved", "Resolved in school"
    REFERRED = "referred", "Handed over after a referral"
    NO_FURTHER_ACTION = "no_further_action", "No further action needed"
    NOT_HARASSMENT = "not_harassment", "Not online sexual harassment"
    DUPLICATE = "duplicate", "Same as another case"
    OTHER = "other", "Other"


class PersonRole(Term):
    """A person's part in one case."""

    HARMED = "harmed", "Harmed"
    ALLEGED = "alleged", "Alleged to have done it"
    SHARED = "shared", "Shared it"
    BYSTANDER = "bystander", "Bystander"
    PAGE_ADMIN = "page_admin", "Page admin"


# How a referral note describes each person's part, mid-sentence.
PERSON_ROLE_REFERRAL_WORDS: dict[PersonRole, str] = {
    PersonRole.HARMED: "harmed by this",
    PersonRole.ALLEGED: "alleged to have done it",
    PersonRole.SHARED: "shared it",
    PersonRole.BYSTANDER: "saw it or knew about it",
    PersonRole.PAGE_ADMIN: "runs or helps run the page",
}


class NotReferredTo(Term):
    """Who a recorded decision not to refer is about, as the decision reads mid-sentence."""

    POLICE_AND_SOCIAL_CARE = "police_and_social_care", "the police or children's social care"
    POLICE = "police", "the police"
    SOCIAL_CARE = "social_care", "children's social care"
    CEOP = "ceop", "CEOP"


class EventKind(Term):
    """What an entry in a case's or report's chronology records."""

    # Entries made from the report itself and from its messages, not from stored events.
    REPORT = "report", "Report"
    MESSAGE = "message", "Message"
    NOTE = "note", "Note"
    ACTION = "action", "Action"
    STATUS = "status", "Status"
    PERSON = "person", "People"
    ASSIGN = "assign", "Assigned"
    REVIEW = "review", "Review date"
    FACTS = "facts", "Details"
    DECISION = "decision", "Decision"
    CHECKLIST = "checklist", "Checklist"
    REFERRAL = "referral", "Referral"
    EVIDENCE = "evidence", "Evidence"
    ESCALATION = "escalation", "Escalation"
    URGENCY_OVERRIDE = "urgency_override", "Urgency override"
    PARENT_CONTACT = "parent_contact", "Parents or carers"
    TASK = "task", "Task"
    SAFETY_PLAN = "safety_plan", "Safety and support plan"
    TRANSFER = "transfer", "File handed on"


class EntryKind(Term):
    """What a typed chronology entry records: something that happened, and when."""

    CONVERSATION = "conversation", "Conversation with a pupil"
    CALL = "call", "Phone call"
    MEETING = "meeting", "Meeting"
    PARENT_CONTACT = "parent_contact", "Contact with a parent or carer"
    AGENCY_CONTACT = "agency_contact", "Contact with an agency"
    DECISION = "decision", "Decision"


class TaskSource(Term):
    """Where a task on a case came from."""

    CASE = "case", "Set on the case"
    ENTRY = "entry", "From a chronology entry"
    CHECKLIST = "checklist", "From a checklist step"
    REVIEW = "review", "Review date"
    SAFETY_PLAN = "safety_plan", "Safety plan review"
    TRANSFER = "transfer", "File handed on: check it arrived"


class TransferState(Term):
    """How far a child's file handed on to their next school has got."""

    SENT = "sent", "Sent"
    OPENED = "opened", "Opened by the new school"
    ACCEPTED = "accepted", "Accepted by the new school"


class TaskFilter(Term):
    """Which of a person's tasks the "My tasks" list shows."""

    OPEN = "open", "Still to do"
    DONE = "done", "Done"


class AccountEventKind(Term):
    """What an entry in a register entry's history records."""

    ACCOUNT_CREATED = "account_created", "First named"
    ACCOUNT_KIND = "account_kind", "Kind changed"
    ACCOUNT_REPORTED = "account_reported", "Reported"
    ACCOUNT_ANSWER = "account_answer", "Answer recorded"
    ACCOUNT_REMOVED = "account_removed", "Removed"
    ACCOUNT_RESURFACED = "account_resurfaced", "Seen again after removal"
    ACCOUNT_LOOKALIKE = "account_lookalike", "Possible lookalike"
    ACCOUNT_ALIAS = "account_alias", "Confirmed as the same account"
    ACCOUNT_NOT_ALIAS = "account_not_alias", "Not the same account"
    ACCOUNT_CASE = "account_case", "Added to a case"


class OutboxState(Term):
    """How delivery of one stored email is going."""

    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Stopped: the report was acknowledged"


# How a report's alert history describes each state, mid-sentence.
OUTBOX_STATE_HISTORY_WORDS: dict[OutboxState, str] = {
    OutboxState.PENDING: "waiting to be sent",
    OutboxState.SENDING: "being sent",
    OutboxState.SENT: "sent",
    OutboxState.CANCELLED: "not sent: the report was acknowledged first",
}


class OutboxPurpose(Term):
    """Why an email was sent."""

    ALERT = "alert", "New report alert"
    ESCALATION = "escalation", "Still-waiting alert"
    REFERRAL_DUE = "referral_due", "Overdue referral reminder"
    REFERRAL = "referral", "Referral note"
    PASSWORD_RESET = "password_reset", "Password reset"
    STAFF_ADDED = "staff_added", "Added to the staff: how to sign in"
    TWO_FACTOR_RESET = "two_factor_reset", "Two-factor sign-in reset"
    TWO_FACTOR_ON = "two_factor_on", "Two-factor sign-in set up"
    TASK_REMINDER = "task_reminder", "Task reminder"
    FILE_TRANSFER = "file_transfer", "A child's file handed on"


class ReferralState(Term):
    """Where a referral note is: editable draft, frozen and queued, or delivered."""

    DRAFT = "draft", "Draft"
    QUEUED = "queued", "Queued for sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not sent yet - failed, will retry"


class AccountKind(Term):
    """What kind of thing a register entry is."""

    BAIT_OUT_PAGE = "bait_out_page", "Bait-out page"
    FAKE_PROFILE = "fake_profile", "Fake or impersonation profile"
    GROUP_CHAT = "group_chat", "Group chat"
    SENDER = "sender", "Account that sent or shared content"
    OTHER = "other", "Other"


# How a referral note describes each kind, mid-sentence.
ACCOUNT_KIND_REFERRAL_WORDS: dict[AccountKind, str] = {
    AccountKind.BAIT_OUT_PAGE: "bait-out page",
    AccountKind.FAKE_PROFILE: "fake or impersonation profile",
    AccountKind.GROUP_CHAT: "group chat",
    AccountKind.SENDER: "account that sent or shared content",
    AccountKind.OTHER: "account of another kind",
}


class AccountStatus(Term):
    """Where a register entry is: active -> reported -> removed, and back as resurfaced."""

    ACTIVE = "active", "Active"
    REPORTED = "reported", "Reported to platform"
    REMOVED = "removed", "Removed"
    RESURFACED = "resurfaced", "Resurfaced"


# How a referral note describes each status, mid-sentence.
ACCOUNT_STATUS_REFERRAL_WORDS: dict[AccountStatus, str] = {
    AccountStatus.ACTIVE: "still active",
    AccountStatus.REPORTED: "reported to the platform",
    AccountStatus.REMOVED: "removed",
    AccountStatus.RESURFACED: "came back after being removed",
}


class RegisterChange(Term):
    """A change to the register that insight counts in a period."""

    NEW = "new", "First seen"
    REPORTED = "reported", "Reported to a platform"
    REMOVED = "removed", "Removed"
    RESURFACED = "resurfaced", "Came back after removal"


class PlatformRoute(Term):
    """How a report about a register entry was made: to the platform, or escalated past it.

    Each label is how the route reads mid-sentence ("Reported to the police"), and is what a
    platform report stores, because referral notes quote it. The escalations share their codes
    with the recipient kinds that record them done.
    """

    IN_APP = "in_app", "the report button in the app or on the site"
    WEB_FORM = "web_form", "the platform's online form"
    EMAIL = "email", "email to the platform"
    POSH = "posh", "Professionals Online Safety Helpline (POSH)"
    REPORT_HARMFUL_CONTENT = "report_harmful_content", "Report Harmful Content"
    POLICE = "police", "the police"
    OTHER = "other", "another way"

    @property
    def escalates(self) -> bool:
        """Whether this route goes past the platform to a body that can act on it."""
        return self in (PlatformRoute.POSH, PlatformRoute.REPORT_HARMFUL_CONTENT,
                        PlatformRoute.POLICE)


# What older versions stored for a route, read back as today's route.
EARLIER_PLATFORM_ROUTES: dict[str, PlatformRoute] = {
    "rhc": PlatformRoute.REPORT_HARMFUL_CONTENT,
    "posh (professionals online safety helpline)": PlatformRoute.POSH,
}


class PlatformAnswer(Term):
    """What a platform did about a report made to it."""

    REMOVED = "removed", "Taken down"
    STILL_UP = "still_up", "Still up - the platform said no or did nothing"
    WAITING = "waiting", "Answered, but nothing decided yet"


class LookalikeState(Term):
    """A "may be the same account" flag, and the DSL's decision about it."""

    OPEN = "open", "Not decided"
    CONFIRMED = "confirmed", "The same account"
    DISMISSED = "dismissed", "Not the same account"


class ChecklistState(Term):
    """Where one containment checklist item is."""

    OPEN = "open", "To do"
    DONE = "done", "Done"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Role(Term):
    """A role a member of staff holds in one school."""

    STAFF = "staff", "Staff"
    DSL = "dsl", "Safeguarding lead"
    ADMIN = "admin", "Administrator"
    # Allegations contacts: reports about a member of staff go to them and nobody else.
    CASE_MANAGER = "case_manager", "Head teacher (case manager for allegations about staff)"
    CHAIR = "chair", "Chair of governors (allegations about the head teacher)"

    @property
    def needs_two_factor(self) -> bool:
        """Whether holding this role means signing in with a second factor."""
        # These roles can read or change safeguarding records or staff.
        return self in (Role.DSL, Role.ADMIN, Role.CASE_MANAGER, Role.CHAIR)


# Who a report about a member of staff goes to: the case manager first, the chair of
# governors when the case manager is (or may be) the person named.
ALLEGATIONS_CONTACTS: tuple[Role, ...] = (Role.CASE_MANAGER, Role.CHAIR)
# Who works reports and cases in the triage workspace: the DSLs, and the allegations contacts
# (who, without the dsl role, find there only the records routed to them).
CASEWORK_ROLES: tuple[Role, ...] = (Role.DSL, *ALLEGATIONS_CONTACTS)
# Who may see a report about staff, as a sentence on its page says it.
RESTRICTED_TO_WORDS: dict[Role, str] = {
    Role.CASE_MANAGER: "head teacher (the case manager)",
    Role.CHAIR: "chair of governors",
}


class RecipientKind(StrEnum):
    """The referral recipient kinds the code treats specially.

    The set of kinds is open: each jurisdiction pack lists its recipients, with their labels
    and rules, and may add kinds of its own, so their labels come from the packs, not from here.
    """

    POLICE = "police"
    SOCIAL_CARE = "social_care"
    OTHER_SCHOOL = "other_school"
    POSH = "posh"
    REPORT_HARMFUL_CONTENT = "report_harmful_content"
    # The local authority's designated officer for allegations about people who work with
    # children (England's LADO); only for cases about a member of staff.
    LADO = "lado"


class AuditAction(Term):
    """What a member of staff, a pupil or the system did, as stored in the audit trail.

    A case's audit trail shows these labels for its own and its reports' rows; actions that
    only ever appear there under their tidied code keep that wording, so the page reads as it
    always has.
    """

    # Cases and reports (shown on a case's audit trail).
    VIEW = "view", "Viewed"
    VIEW_AUDIT = "view_audit", "Viewed the audit trail"
    ACKNOWLEDGE = "acknowledge", "Acknowledged"
    REPLY = "reply", "Replied to the pupil"
    OPEN_CASE = "open_case", "Opened the case"
    ADD_REPORT = "add_report", "Added a report"
    LINK_EARLIER = "link_earlier", "Linked a report to the earlier report it follows"
    ADD_PERSON = "add_person", "Added a person"
    PERSON_ROLE = "person_role", "Changed a person's role"
    REMOVE_PERSON = "remove_person", "Removed a person"
    DETAILS = "details", "Changed the details"
    NOTE = "note", "Added a note"
    STATUS = "status", "Changed the status"
    ASSIGN = "assign", "Changed who it is assigned to"
    REVIEW_DATE = "review_date", "Changed the review date"
    DECISION = "decision", "Recorded a decision not to refer"
    CLOSE = "close", "Closed the case"
    START_REFERRAL = "start_referral", "Start referral"
    ADD_EVIDENCE = "add_evidence", "Add evidence"
    VIEW_CHECKLIST = "view_checklist", "View checklist"
    UPDATE_CHECKLIST = "update_checklist", "Update checklist"
    PRINT_CHECKLIST = "print_checklist", "Print checklist"
    EXPORT = "export", "Export"
    ADD_ACCOUNT = "add_account", "Add account"
    URGENCY_OVERRIDE = "urgency_override", "Urgency override"
    LOG_CONCERN = "log_concern", "Log concern"
    PUPIL_SUBMITTED = "pupil_submitted", "Pupil submitted"
    PUPIL_VIEWED = "pupil_viewed", "Pupil viewed"
    PUPIL_ADDED = "pupil_added", "Pupil added"
    RETENTION_DELETE = "retention_delete", "Deleted at the end of its keeping time"
    ADD_READER = "add_reader", "Let a member of staff see a case about a member of staff"
    RESTRICTED_REFUSED = ("restricted_refused",
                          "Tried to open a report or case about a member of staff")
    # A head teacher or chair who is not a DSL, at an everyday report or case of the school.
    CONTACT_REFUSED = ("contact_refused",
                       "Tried to open a report or case not sent to them as an allegations contact")
    ADD_ENTRY = "add_entry", "Recorded a chronology entry"
    CORRECT_ENTRY = "correct_entry", "Corrected a chronology entry"
    PARENT_CONTACT = "parent_contact", "Recorded contact with parents or carers"
    SET_TASK = "set_task", "Set a task"
    COMPLETE_TASK = "complete_task", "Completed a task"
    SAFETY_PLAN = "safety_plan", "Wrote a safety and support plan"
    VIEW_SAFETY_PLAN = "view_safety_plan", "Viewed the safety and support plans"
    PRINT_SAFETY_PLAN = "print_safety_plan", "Printed the safety and support plans"
    MARK_LEFT = "mark_left", "Marked a pupil as left"
    SEND_FILE = "send_file", "Handed a child's file on"
    OPEN_FILE = "open_file", "Opened a child's file handed on"
    ACCEPT_FILE = "accept_file", "Accepted a child's file handed on"
    # Referral notes.
    CREATE = "create", "Drafted the referral note"
    INCLUDE_ON_PURPOSE = "include_on_purpose", "Included details it leaves out, on purpose"
    EDIT = "edit", "Edited the referral note"
    SEND = "send", "Sent the referral note"
    REDRAFT = "redraft", "Redrafted the referral note"
    COPY = "copy", "Copied the referral note"
    PRINT = "print", "Printed the referral note"
    # The register of online accounts.
    VIEW_LIST = "view_list", "Viewed the register"
    VIEW_TRUST_LIST = "view_trust_list", "Viewed the trust's register"
    VIEW_TRUST = "view_trust", "Viewed an entry of the trust's register"
    ADD_TO_CASE = "add_to_case", "Added to a case"
    SET_KIND = "set_kind", "Changed the kind"
    PLATFORM_REPORT = "platform_report", "Recorded a report to the platform"
    PLATFORM_ANSWER = "platform_answer", "Recorded the platform's answer"
    REMOVED = "removed", "Recorded that it was taken down"
    SEEN_AGAIN = "seen_again", "Recorded that it is back up"
    LOOKALIKE_CONFIRM = "lookalike_confirm", "Confirmed as the same account"
    LOOKALIKE_DISMISS = "lookalike_dismiss", "Marked as not the same account"
    # Insight.
    EXPORT_EXACT = "export_exact", "Exported exact figures"
    EXPORT_GOVERNORS = "export_governors", "Exported figures for governors"
    # Administration.
    ROUTING_ADDED = "routing_added", "Added an alert route"
    ROUTING_REMOVED = "routing_removed", "Removed an alert route"
    FALLBACK_CHANGED = "fallback_changed", "Changed the fallback address"
    HOURS_CHANGED = "hours_changed", "Changed the school's hours"
    LANGUAGES_CHANGED = "languages_changed", "Changed the languages pupils can use"
    LANGUAGE_CHOSEN = "language_chosen", "Chose the language of their pages"
    CLOSED_DAYS_CHANGED = "closed_days_changed", "Changed the days the school is closed"
    EMAIL_RETRY = "email_retry", "Tried an email again"
    STAFF_ADDED = "staff_added", "Added a member of staff"
    STAFF_ROLES_CHANGED = "staff_roles_changed", "Changed a member of staff's roles"
    STAFF_REMOVED = "staff_removed", "Removed a member of staff"
    STAFF_UNPAUSED = "staff_unpaused", "Let a paused member of staff sign in again"
    TWO_FACTOR_RESET = "two_factor_reset", "Reset two-factor sign-in"
    # Signing in.
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_RECOVERY_CODE = "sign_in_recovery_code", "Signed in with a recovery code"
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere", "Signed out everywhere"
    TWO_FACTOR_ON = "two_factor_on", "Turned on two-factor sign-in"
    RECOVERY_CODES_NEW = "recovery_codes_new", "Made new recovery codes"
    PASSWORD_RESET_SENT = "password_reset_sent", "Sent a password reset link"
    PASSWORD_RESET = "password_reset", "Reset the password"
    RECIPIENT_ADDRESSES_CHANGED = ("recipient_addresses_changed",
                                   "Changed where referral notes are sent")
    # Single sign-on and passkeys.
    SSO_CHANGED = "sso_changed", "Changed the school's single sign-on"
    SIGN_IN_SSO = "sign_in_sso", "Signed in through the school's sign-in service"
    SIGN_IN_SSO_MFA = ("sign_in_sso_mfa",
                       "Signed in through the school's sign-in service, with its second check")
    SIGN_IN_PASSKEY = "sign_in_passkey", "Signed in with a passkey"
    SIGN_IN_PASSWORD_PASSKEY = "sign_in_password_passkey", "Signed in with a password and passkey"
    SIGN_IN_SSO_TOTP = ("sign_in_sso_totp",
                        "Signed in through the school's sign-in service and authenticator app")
    SIGN_IN_SSO_PASSKEY = ("sign_in_sso_passkey",
                           "Signed in through the school's sign-in service and a passkey")
    SSO_CONFIRMED = ("sso_confirmed",
                     "The school's sign-in service confirmed the member is still signed in")
    SSO_NOT_CONFIRMED = ("sso_not_confirmed",
                         "Signed out everywhere: the school's sign-in service no longer "
                         "confirms the member")
    # Refused sign-ins: the person trying gets one plain message, the trail says why.
    REFUSED_EXPIRED = ("refused_expired",
                       "Sign-in refused: it had expired or was already used")
    REFUSED_BY_PROVIDER = ("refused_by_provider",
                           "Sign-in refused: the school's sign-in service said no")
    REFUSED_BAD_TOKEN = ("refused_bad_token",
                         "Sign-in refused: the sign-in service's answer failed its checks")
    REFUSED_UNKNOWN = ("refused_unknown",
                       "Sign-in refused: nobody on this school's staff matches")
    REFUSED_SWITCHED_OFF = "refused_switched_off", "Sign-in refused: the account is switched off"
    REFUSED_PASSKEY = "refused_passkey", "Sign-in refused: the passkey could not be checked"
    REFUSED_PASSWORD_OFF = ("refused_password_off",
                            "Sign-in refused: this school only allows its sign-in service")
    PASSKEY_ADDED = "passkey_added", "Added a passkey"
    PASSKEY_REMOVED = "passkey_removed", "Removed a passkey"

    # The pupil directory.
    PUPILS_IMPORTED = "pupils_imported", "Imported the pupil directory"
    VIEW_PUPIL = "view_pupil", "Viewed a child's page"
    PRINT_PUPIL = "print_pupil", "Printed a child's page"
    SEARCH_PUPILS = "search_pupils", "Searched for a child"
    LINK_PUPIL = "link_pupil", "Linked a person to a pupil"
    UNLINK_PUPIL = "unlink_pupil", "Unlinked a person from a pupil"
    KEEP_NAME = "keep_name", "Left a name in a referral note on purpose"


class SsoMode(Term):
    """Whether a school's staff sign in through its own identity provider."""

    OFF = "off", "Off: staff sign in with a password"
    BOTH = "both", "Either: the school's sign-in service or a password"
    REQUIRED = "required", "Required: only the school's sign-in service (passwords off)"


class SsoPreset(Term):
    """Identity providers whose settings the admin page can fill in."""

    ENTRA = "entra", "Microsoft 365 (Entra ID)"
    GOOGLE = "google", "Google Workspace"
    OTHER = "other", "Another OpenID Connect provider"


class SignInMethod(Term):
    """How a member of staff last signed in, as the admin's staff list shows it."""

    PASSWORD = "password", "Password"
    PASSWORD_TOTP = "password_totp", "Password and authenticator app"
    PASSWORD_PASSKEY = "password_passkey", "Password and passkey"
    SSO = "sso", "School sign-in service"
    SSO_MFA = "sso_mfa", "School sign-in service with its second check"
    SSO_TOTP = "sso_totp", "School sign-in service and authenticator app"
    SSO_PASSKEY = "sso_passkey", "School sign-in service and passkey"
    PASSKEY = "passkey", "Passkey alone"
    RECOVERY_CODE = "recovery_code", "Recovery code"


class AuditRecordType(Term):
    """What kind of record an audit row is about."""

    REPORT = "report", "Report"
    CASE = "case", "Case"
    REFERRAL = "referral", "Referral note"
    ACCOUNT = "account", "Register entry"
    SCHOOL = "school", "School"
    TRUST = "trust", "Trust"
    STAFF_USER = "staff_user", "Member of staff"
    ALERT_ROUTE = "alert_route", "Alert route"
    OUTBOX = "outbox", "Email"
    AUDIT = "audit", "Audit trail"
    FILE_TRANSFER = "file_transfer", "Child's file handed on"
    RECEIVED_FILE = "received_file", "Child's file received from another school"
    PUPIL = "pupil", "Pupil"


class PlaceReading(Term):
    """How a place typed on a report was read, as the report page shows it to staff."""

    WAITING = "waiting", "Being added to the register"
    LINKED = "linked", "On the register"
    CHECK_NAME = "check_name", "On the register - check the name"
    UNRECOGNISED = "unrecognised", "Could not be recognised"
    KEPT_APART = "kept_apart", "Kept off the register: this report is about a member of staff"


class ChecklistDoneWhen(Term):
    """What happening on a case ticks a checklist step by itself (a pack rule's done_when)."""

    STATUTORY_REFERRAL_SENT = "statutory_referral_sent", "A statutory referral was sent"
    REVIEW_DATE_SET = "review_date_set", "A review date was set"


class PupilField(Term):
    """A field of the pupil directory, as a column of the school's export is mapped to it."""

    UPN = "upn", "Unique pupil number (or the school's own id)"
    LEGAL_FIRST = "legal_first", "Legal first name"
    LEGAL_LAST = "legal_last", "Legal surname"
    PREFERRED_FIRST = "preferred_first", "Preferred first name"
    OTHER_NAMES = "other_names", "Other known names (nicknames, former names)"
    DATE_OF_BIRTH = "date_of_birth", "Date of birth"
    YEAR_GROUP = "year_group", "Year group"
    REG_GROUP = "reg_group", "Registration group"
    FAMILY_ID = "family_id", "Family or household id"


class PupilHistoryKind(Term):
    """What an entry in a child's chronology is."""

    REPORT_MADE = "report_made", "Report they made"
    NAMED = "named", "On a case"
    REFERRAL = "referral", "Referral"
    NOTE = "note", "Note"
    PRESENT = "present", "Conversation, call or meeting they were at"
