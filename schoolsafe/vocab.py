"""Every stored state and kind, each with the words people see for it, in one place.

Members are `StrEnum`s, so they equal the strings stored in the database and compared in
templates: columns stay plain strings. Each label is an English string literal marked `N_(...)`
here, so `make translations` finds it; reading `.label` gives it in the page's language once the
web app has said how to translate (`translate_labels_with`), and in English anywhere else (the
CLI, jobs with no request). This module imports nothing from schoolsafe.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Self


def N_(label: str) -> str:  # noqa: N802 - the name the translation tools look for
    """Mark a label for translation where it is written; it is translated where it is read."""
    return label


_translate: Callable[[str], str] = str


def translate_labels_with(translate: Callable[[str], str]) -> None:
    """Read every label through `translate` (the web app passes Flask-Babel's gettext)."""
    global _translate
    _translate = translate


class Labels(dict):
    """Words for codes, each an English literal marked N_(...); read (by key, `.get`, `.items()`
    or `.values()`) in the page's language, like Term.label."""

    def __getitem__(self, key: object) -> str:
        return _translated(super().__getitem__(key))

    def get(self, key: object, default: str | None = None) -> str | None:
        return self[key] if key in self else default

    def items(self) -> list[tuple[object, str]]:  # type: ignore[override]
        return [(key, self[key]) for key in self]

    def values(self) -> list[str]:  # type: ignore[override]
        return [self[key] for key in self]

    def english_items(self) -> list[tuple[object, str]]:
        """Each code with its English words, as written (to translate later, when shown)."""
        return list(dict.items(self))


def _translated(english: str) -> str:
    return _translate(english) if english else ""


class Term(StrEnum):
    """A stored code with the words people see for it: `Member = "code", N_("Label")`."""

    english: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.english = label
        return member

    @property
    def label(self) -> str:
        """The words people see for this code, in the language of the page being made."""
        return _translated(self.english)

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Every code of this vocabulary with its label (in the page's language), in order."""
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

    @property
    def label(self) -> str:
        """The language's own name for itself, on every page."""
        return self.english


class Urgency(Term):
    """How soon a report or case needs someone; most urgent first."""

    IMMEDIATE = "immediate", N_("Immediate")
    HIGH = "high", N_("High")
    MEDIUM = "medium", N_("Medium")
    STANDARD = "standard", N_("Standard")

    @property
    def rank(self) -> int:
        """0 for immediate up to 3 for standard, so SQL and sorting can order by urgency."""
        return list(Urgency).index(self)


# What a routing entry hears about when this is the least urgency it asks for.
URGENCY_THRESHOLD_LABELS: Labels = Labels({
    Urgency.STANDARD: N_("Every report"),
    Urgency.MEDIUM: N_("Medium, high and immediate reports"),
    Urgency.HIGH: N_("High and immediate reports"),
    Urgency.IMMEDIATE: N_("Immediate reports only"),
})


class ReportStatus(Term):
    """Where a report is in the triage queue."""

    NEW = "new", N_("New")
    ACKNOWLEDGED = "acknowledged", N_("Acknowledged")
    CLOSED = "closed", N_("Closed")


class QueueFilter(Term):
    """The statuses the triage queue can show at once."""

    OPEN = "open", N_("New and acknowledged")
    NEW = "new", N_("New (not yet acknowledged)")
    ACKNOWLEDGED = "acknowledged", N_("Acknowledged")
    CLOSED = "closed", N_("Closed")
    ALL = "all", N_("All")


class ReportSource(Term):
    """Who made a report: a pupil, or a member of staff logging a concern."""

    PUPIL = "pupil", N_("Told by a pupil")
    STAFF_CONCERN = "staff", N_("Logged by staff as a concern")


class MessageAuthor(Term):
    """Who wrote a message in a report's thread."""

    PUPIL = "pupil", N_("Pupil")
    STAFF = "staff", N_("Staff")


class About(Term):
    """Who a report is about."""

    SELF = "self", N_("About themselves")
    FRIEND = "friend", N_("About a friend")
    WITNESSED = "witnessed", N_("Something they saw")


# The shorter words of the triage queue's "about" column.
ABOUT_QUEUE_LABELS: Labels = Labels({
    About.SELF: N_("Themselves"),
    About.FRIEND: N_("A friend"),
    About.WITNESSED: N_("Something seen"),
})
# The question as a pupil answers it on the report form.
ABOUT_PUPIL_CHOICES: Labels = Labels({
    About.SELF: N_("Me"),
    About.FRIEND: N_("A friend"),
    About.WITNESSED: N_("Someone else"),
})
class EarlierWhen(Term):
    """Roughly when a pupil who lost their code told us before, as they remember it."""

    TODAY = "today", N_("Today")
    THIS_WEEK = "this_week", N_("This week")
    EARLIER = "earlier", N_("Before this week")
    NOT_SURE = "not_sure", N_("Not sure")


# The question as staff answer it when logging a concern.
ABOUT_STAFF_CHOICES: Labels = Labels({
    About.SELF: N_("A pupil told me it is happening to them"),
    About.FRIEND: N_("Someone told me it is happening to another pupil"),
    About.WITNESSED: N_("I saw or found it myself"),
})


class CaseStatus(Term):
    """Where a case is."""

    NEW = "new", N_("New")
    OPEN = "open", N_("Open")
    REFERRED = "referred", N_("Referred")
    MONITORING = "monitoring", N_("Monitoring")
    CLOSED = "closed", N_("Closed")


class CaseFilter(Term):
    """The statuses the case list can show at once."""

    ACTIVE = "active", N_("Not closed")
    NEW = "new", N_("New")
    OPEN = "open", N_("Open")
    REFERRED = "referred", N_("Referred")
    MONITORING = "monitoring", N_("Monitoring")
    CLOSED = "closed", N_("Closed")
    ALL = "all", N_("All")


class CaseOutcome(Term):
    """Why a case was closed."""

    RESOLVED = "resolved", N_("Resolved in school")
    REFERRED = "referred", N_("Handed over after a referral")
    NO_FURTHER_ACTION = "no_further_action", N_("No further action needed")
    NOT_HARASSMENT = "not_harassment", N_("Not online sexual harassment")
    DUPLICATE = "duplicate", N_("Same as another case")
    OTHER = "other", N_("Other")


class PersonRole(Term):
    """A person's part in one case."""

    HARMED = "harmed", N_("Harmed")
    ALLEGED = "alleged", N_("Alleged to have done it")
    SHARED = "shared", N_("Shared it")
    BYSTANDER = "bystander", N_("Bystander")
    PAGE_ADMIN = "page_admin", N_("Page admin")


# How a referral note describes each person's part, mid-sentence.
PERSON_ROLE_REFERRAL_WORDS: Labels = Labels({
    PersonRole.HARMED: N_("harmed by this"),
    PersonRole.ALLEGED: N_("alleged to have done it"),
    PersonRole.SHARED: N_("shared it"),
    PersonRole.BYSTANDER: N_("saw it or knew about it"),
    PersonRole.PAGE_ADMIN: N_("runs or helps run the page"),
})


class NotReferredTo(Term):
    """Who a recorded decision not to refer is about, as the decision reads mid-sentence."""

    POLICE_AND_SOCIAL_CARE = "police_and_social_care", N_("the police or children's social care")
    POLICE = "police", N_("the police")
    SOCIAL_CARE = "social_care", N_("children's social care")
    CEOP = "ceop", N_("CEOP")


class EventKind(Term):
    """What an entry in a case's or report's chronology records."""

    # Entries made from the report itself and from its messages, not from stored events.
    REPORT = "report", N_("Report")
    MESSAGE = "message", N_("Message")
    NOTE = "note", N_("Note")
    ACTION = "action", N_("Action")
    STATUS = "status", N_("Status")
    PERSON = "person", N_("People")
    ASSIGN = "assign", N_("Assigned")
    REVIEW = "review", N_("Review date")
    FACTS = "facts", N_("Details")
    DECISION = "decision", N_("Decision")
    CHECKLIST = "checklist", N_("Checklist")
    REFERRAL = "referral", N_("Referral")
    EVIDENCE = "evidence", N_("Evidence")
    ESCALATION = "escalation", N_("Escalation")
    URGENCY_OVERRIDE = "urgency_override", N_("Urgency override")
    PARENT_CONTACT = "parent_contact", N_("Parents or carers")
    TASK = "task", N_("Task")
    SAFETY_PLAN = "safety_plan", N_("Safety and support plan")
    TRANSFER = "transfer", N_("File handed on")


class EntryKind(Term):
    """What a typed chronology entry records: something that happened, and when."""

    CONVERSATION = "conversation", N_("Conversation with a pupil")
    CALL = "call", N_("Phone call")
    MEETING = "meeting", N_("Meeting")
    PARENT_CONTACT = "parent_contact", N_("Contact with a parent or carer")
    AGENCY_CONTACT = "agency_contact", N_("Contact with an agency")
    DECISION = "decision", N_("Decision")


class TaskSource(Term):
    """Where a task on a case came from."""

    CASE = "case", N_("Set on the case")
    ENTRY = "entry", N_("From a chronology entry")
    CHECKLIST = "checklist", N_("From a checklist step")
    REVIEW = "review", N_("Review date")
    SAFETY_PLAN = "safety_plan", N_("Safety plan review")
    TRANSFER = "transfer", N_("File handed on: check it arrived")


class TransferState(Term):
    """How far a child's file handed on to their next school has got."""

    SENT = "sent", N_("Sent")
    OPENED = "opened", N_("Opened by the new school")
    ACCEPTED = "accepted", N_("Accepted by the new school")


class TaskFilter(Term):
    """Which of a person's tasks the "My tasks" list shows."""

    OPEN = "open", N_("Still to do")
    DONE = "done", N_("Done")


class AccountEventKind(Term):
    """What an entry in a register entry's history records."""

    ACCOUNT_CREATED = "account_created", N_("First named")
    ACCOUNT_KIND = "account_kind", N_("Kind changed")
    ACCOUNT_REPORTED = "account_reported", N_("Reported")
    ACCOUNT_ANSWER = "account_answer", N_("Answer recorded")
    ACCOUNT_REMOVED = "account_removed", N_("Removed")
    ACCOUNT_RESURFACED = "account_resurfaced", N_("Seen again after removal")
    ACCOUNT_LOOKALIKE = "account_lookalike", N_("Possible lookalike")
    ACCOUNT_ALIAS = "account_alias", N_("Confirmed as the same account")
    ACCOUNT_NOT_ALIAS = "account_not_alias", N_("Not the same account")
    ACCOUNT_CASE = "account_case", N_("Added to a case")


class OutboxState(Term):
    """How delivery of one stored email is going."""

    PENDING = "pending", N_("Waiting to be sent")
    SENDING = "sending", N_("Being sent")
    SENT = "sent", N_("Sent")
    CANCELLED = "cancelled", N_("Stopped: the report was acknowledged")


# How a report's alert history describes each state, mid-sentence.
OUTBOX_STATE_HISTORY_WORDS: Labels = Labels({
    OutboxState.PENDING: N_("waiting to be sent"),
    OutboxState.SENDING: N_("being sent"),
    OutboxState.SENT: N_("sent"),
    OutboxState.CANCELLED: N_("not sent: the report was acknowledged first"),
})


class OutboxPurpose(Term):
    """Why an email was sent."""

    ALERT = "alert", N_("New report alert")
    ESCALATION = "escalation", N_("Still-waiting alert")
    REFERRAL_DUE = "referral_due", N_("Overdue referral reminder")
    REFERRAL = "referral", N_("Referral note")
    PASSWORD_RESET = "password_reset", N_("Password reset")
    STAFF_ADDED = "staff_added", N_("Added to the staff: how to sign in")
    TWO_FACTOR_RESET = "two_factor_reset", N_("Two-factor sign-in reset")
    TWO_FACTOR_ON = "two_factor_on", N_("Two-factor sign-in set up")
    TASK_REMINDER = "task_reminder", N_("Task reminder")
    FILE_TRANSFER = "file_transfer", N_("A child's file handed on")


class ReferralState(Term):
    """Where a referral note is: editable draft, frozen and queued, or delivered."""

    DRAFT = "draft", N_("Draft")
    QUEUED = "queued", N_("Queued for sending")
    SENT = "sent", N_("Sent")
    FAILED = "failed", N_("Not sent yet - failed, will retry")


class AccountKind(Term):
    """What kind of thing a register entry is."""

    BAIT_OUT_PAGE = "bait_out_page", N_("Bait-out page")
    FAKE_PROFILE = "fake_profile", N_("Fake or impersonation profile")
    GROUP_CHAT = "group_chat", N_("Group chat")
    SENDER = "sender", N_("Account that sent or shared content")
    OTHER = "other", N_("Other")


# How a referral note describes each kind, mid-sentence.
ACCOUNT_KIND_REFERRAL_WORDS: Labels = Labels({
    AccountKind.BAIT_OUT_PAGE: N_("bait-out page"),
    AccountKind.FAKE_PROFILE: N_("fake or impersonation profile"),
    AccountKind.GROUP_CHAT: N_("group chat"),
    AccountKind.SENDER: N_("account that sent or shared content"),
    AccountKind.OTHER: N_("account of another kind"),
})


class AccountStatus(Term):
    """Where a register entry is: active -> reported -> removed, and back as resurfaced."""

    ACTIVE = "active", N_("Active")
    REPORTED = "reported", N_("Reported to platform")
    REMOVED = "removed", N_("Removed")
    RESURFACED = "resurfaced", N_("Resurfaced")


# How a referral note describes each status, mid-sentence.
ACCOUNT_STATUS_REFERRAL_WORDS: Labels = Labels({
    AccountStatus.ACTIVE: N_("still active"),
    AccountStatus.REPORTED: N_("reported to the platform"),
    AccountStatus.REMOVED: N_("removed"),
    AccountStatus.RESURFACED: N_("came back after being removed"),
})


class RegisterChange(Term):
    """A change to the register that insight counts in a period."""

    NEW = "new", N_("First seen")
    REPORTED = "reported", N_("Reported to a platform")
    REMOVED = "removed", N_("Removed")
    RESURFACED = "resurfaced", N_("Came back after removal")


class PlatformRoute(Term):
    """How a report about a register entry was made: to the platform, or escalated past it.

    Each label is how the route reads mid-sentence ("Reported to the police"), and is what a
    platform report stores, because referral notes quote it. The escalations share their codes
    with the recipient kinds that record them done.
    """

    IN_APP = "in_app", N_("the report button in the app or on the site")
    WEB_FORM = "web_form", N_("the platform's online form")
    EMAIL = "email", N_("email to the platform")
    POSH = "posh", N_("Professionals Online Safety Helpline (POSH)")
    REPORT_HARMFUL_CONTENT = "report_harmful_content", N_("Report Harmful Content")
    POLICE = "police", N_("the police")
    OTHER = "other", N_("another way")

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

    REMOVED = "removed", N_("Taken down")
    STILL_UP = "still_up", N_("Still up - the platform said no or did nothing")
    WAITING = "waiting", N_("Answered, but nothing decided yet")


class LookalikeState(Term):
    """A "may be the same account" flag, and the DSL's decision about it."""

    OPEN = "open", N_("Not decided")
    CONFIRMED = "confirmed", N_("The same account")
    DISMISSED = "dismissed", N_("Not the same account")


class ChecklistState(Term):
    """Where one containment checklist item is."""

    OPEN = "open", N_("To do")
    DONE = "done", N_("Done")
    NOT_APPLICABLE = "not_applicable", N_("Not applicable")


class Role(Term):
    """A role a member of staff holds in one school."""

    STAFF = "staff", N_("Staff")
    DSL = "dsl", N_("Safeguarding lead")
    ADMIN = "admin", N_("Administrator")
    # Allegations contacts: reports about a member of staff go to them and nobody else.
    CASE_MANAGER = "case_manager", N_("Head teacher (case manager for allegations about staff)")
    CHAIR = "chair", N_("Chair of governors (allegations about the head teacher)")

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
RESTRICTED_TO_WORDS: Labels = Labels({
    Role.CASE_MANAGER: N_("head teacher (the case manager)"),
    Role.CHAIR: N_("chair of governors"),
})


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
    VIEW = "view", N_("Viewed")
    VIEW_AUDIT = "view_audit", N_("Viewed the audit trail")
    ACKNOWLEDGE = "acknowledge", N_("Acknowledged")
    REPLY = "reply", N_("Replied to the pupil")
    OPEN_CASE = "open_case", N_("Opened the case")
    ADD_REPORT = "add_report", N_("Added a report")
    LINK_EARLIER = "link_earlier", N_("Linked a report to the earlier report it follows")
    ADD_PERSON = "add_person", N_("Added a person")
    PERSON_ROLE = "person_role", N_("Changed a person's role")
    REMOVE_PERSON = "remove_person", N_("Removed a person")
    DETAILS = "details", N_("Changed the details")
    NOTE = "note", N_("Added a note")
    STATUS = "status", N_("Changed the status")
    ASSIGN = "assign", N_("Changed who it is assigned to")
    REVIEW_DATE = "review_date", N_("Changed the review date")
    DECISION = "decision", N_("Recorded a decision not to refer")
    CLOSE = "close", N_("Closed the case")
    START_REFERRAL = "start_referral", N_("Start referral")
    ADD_EVIDENCE = "add_evidence", N_("Add evidence")
    VIEW_CHECKLIST = "view_checklist", N_("View checklist")
    UPDATE_CHECKLIST = "update_checklist", N_("Update checklist")
    PRINT_CHECKLIST = "print_checklist", N_("Print checklist")
    EXPORT = "export", N_("Export")
    ADD_ACCOUNT = "add_account", N_("Add account")
    URGENCY_OVERRIDE = "urgency_override", N_("Urgency override")
    LOG_CONCERN = "log_concern", N_("Log concern")
    PUPIL_SUBMITTED = "pupil_submitted", N_("Pupil submitted")
    PUPIL_VIEWED = "pupil_viewed", N_("Pupil viewed")
    PUPIL_ADDED = "pupil_added", N_("Pupil added")
    RETENTION_DELETE = "retention_delete", N_("Deleted at the end of its keeping time")
    ADD_READER = "add_reader", N_("Let a member of staff see a case about a member of staff")
    RESTRICTED_REFUSED = ("restricted_refused",
                          N_("Tried to open a report or case about a member of staff"))
    # A head teacher or chair who is not a DSL, at an everyday report or case of the school.
    CONTACT_REFUSED = ("contact_refused",
                       N_("Tried to open a report or case not sent to them as an allegations "
                          "contact"))
    ADD_ENTRY = "add_entry", N_("Recorded a chronology entry")
    CORRECT_ENTRY = "correct_entry", N_("Corrected a chronology entry")
    PARENT_CONTACT = "parent_contact", N_("Recorded contact with parents or carers")
    SET_TASK = "set_task", N_("Set a task")
    COMPLETE_TASK = "complete_task", N_("Completed a task")
    SAFETY_PLAN = "safety_plan", N_("Wrote a safety and support plan")
    VIEW_SAFETY_PLAN = "view_safety_plan", N_("Viewed the safety and support plans")
    PRINT_SAFETY_PLAN = "print_safety_plan", N_("Printed the safety and support plans")
    MARK_LEFT = "mark_left", N_("Marked a pupil as left")
    SEND_FILE = "send_file", N_("Handed a child's file on")
    OPEN_FILE = "open_file", N_("Opened a child's file handed on")
    ACCEPT_FILE = "accept_file", N_("Accepted a child's file handed on")
    # Referral notes.
    CREATE = "create", N_("Drafted the referral note")
    INCLUDE_ON_PURPOSE = "include_on_purpose", N_("Included details it leaves out, on purpose")
    EDIT = "edit", N_("Edited the referral note")
    SEND = "send", N_("Sent the referral note")
    REDRAFT = "redraft", N_("Redrafted the referral note")
    COPY = "copy", N_("Copied the referral note")
    PRINT = "print", N_("Printed the referral note")
    # The register of online accounts.
    VIEW_LIST = "view_list", N_("Viewed the register")
    VIEW_TRUST_LIST = "view_trust_list", N_("Viewed the trust's register")
    VIEW_TRUST = "view_trust", N_("Viewed an entry of the trust's register")
    ADD_TO_CASE = "add_to_case", N_("Added to a case")
    SET_KIND = "set_kind", N_("Changed the kind")
    PLATFORM_REPORT = "platform_report", N_("Recorded a report to the platform")
    PLATFORM_ANSWER = "platform_answer", N_("Recorded the platform's answer")
    REMOVED = "removed", N_("Recorded that it was taken down")
    SEEN_AGAIN = "seen_again", N_("Recorded that it is back up")
    LOOKALIKE_CONFIRM = "lookalike_confirm", N_("Confirmed as the same account")
    LOOKALIKE_DISMISS = "lookalike_dismiss", N_("Marked as not the same account")
    # Insight.
    EXPORT_EXACT = "export_exact", N_("Exported exact figures")
    EXPORT_GOVERNORS = "export_governors", N_("Exported figures for governors")
    # Administration.
    ROUTING_ADDED = "routing_added", N_("Added an alert route")
    ROUTING_REMOVED = "routing_removed", N_("Removed an alert route")
    FALLBACK_CHANGED = "fallback_changed", N_("Changed the fallback address")
    HOURS_CHANGED = "hours_changed", N_("Changed the school's hours")
    LANGUAGES_CHANGED = "languages_changed", N_("Changed the languages pupils can use")
    LANGUAGE_CHOSEN = "language_chosen", N_("Chose the language of their pages")
    CLOSED_DAYS_CHANGED = "closed_days_changed", N_("Changed the days the school is closed")
    EMAIL_RETRY = "email_retry", N_("Tried an email again")
    STAFF_ADDED = "staff_added", N_("Added a member of staff")
    STAFF_ROLES_CHANGED = "staff_roles_changed", N_("Changed a member of staff's roles")
    STAFF_REMOVED = "staff_removed", N_("Removed a member of staff")
    STAFF_UNPAUSED = "staff_unpaused", N_("Let a paused member of staff sign in again")
    TWO_FACTOR_RESET = "two_factor_reset", N_("Reset two-factor sign-in")
    # Signing in.
    SIGN_IN = "sign_in", N_("Signed in")
    SIGN_IN_RECOVERY_CODE = "sign_in_recovery_code", N_("Signed in with a recovery code")
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere", N_("Signed out everywhere")
    TWO_FACTOR_ON = "two_factor_on", N_("Turned on two-factor sign-in")
    RECOVERY_CODES_NEW = "recovery_codes_new", N_("Made new recovery codes")
    PASSWORD_RESET_SENT = "password_reset_sent", N_("Sent a password reset link")
    PASSWORD_RESET = "password_reset", N_("Reset the password")
    RECIPIENT_ADDRESSES_CHANGED = ("recipient_addresses_changed",
                                   N_("Changed where referral notes are sent"))
    # Single sign-on and passkeys.
    SSO_CHANGED = "sso_changed", N_("Changed the school's single sign-on")
    SIGN_IN_SSO = "sign_in_sso", N_("Signed in through the school's sign-in service")
    SIGN_IN_SSO_MFA = ("sign_in_sso_mfa",
                       N_("Signed in through the school's sign-in service, with its second check"))
    SIGN_IN_PASSKEY = "sign_in_passkey", N_("Signed in with a passkey")
    SIGN_IN_PASSWORD_PASSKEY = ("sign_in_password_passkey",
                                N_("Signed in with a password and passkey"))
    SIGN_IN_SSO_TOTP = ("sign_in_sso_totp",
                        N_("Signed in through the school's sign-in service and authenticator app"))
    SIGN_IN_SSO_PASSKEY = ("sign_in_sso_passkey",
                           N_("Signed in through the school's sign-in service and a passkey"))
    SSO_CONFIRMED = ("sso_confirmed",
                     N_("The school's sign-in service confirmed the member is still signed in"))
    SSO_NOT_CONFIRMED = ("sso_not_confirmed",
                         N_("Signed out everywhere: the school's sign-in service no longer "
                         "confirms the member"))
    # Refused sign-ins: the person trying gets one plain message, the trail says why.
    REFUSED_EXPIRED = ("refused_expired",
                       N_("Sign-in refused: it had expired or was already used"))
    REFUSED_BY_PROVIDER = ("refused_by_provider",
                           N_("Sign-in refused: the school's sign-in service said no"))
    REFUSED_BAD_TOKEN = ("refused_bad_token",
                         N_("Sign-in refused: the sign-in service's answer failed its checks"))
    REFUSED_UNKNOWN = ("refused_unknown",
                       N_("Sign-in refused: nobody on this school's staff matches"))
    REFUSED_SWITCHED_OFF = ("refused_switched_off",
                            N_("Sign-in refused: the account is switched off"))
    REFUSED_PASSKEY = "refused_passkey", N_("Sign-in refused: the passkey could not be checked")
    REFUSED_PASSWORD_OFF = ("refused_password_off",
                            N_("Sign-in refused: this school only allows its sign-in service"))
    PASSKEY_ADDED = "passkey_added", N_("Added a passkey")
    PASSKEY_REMOVED = "passkey_removed", N_("Removed a passkey")

    # The pupil directory.
    PUPILS_IMPORTED = "pupils_imported", N_("Imported the pupil directory")
    VIEW_PUPIL = "view_pupil", N_("Viewed a child's page")
    PRINT_PUPIL = "print_pupil", N_("Printed a child's page")
    SEARCH_PUPILS = "search_pupils", N_("Searched for a child")
    LINK_PUPIL = "link_pupil", N_("Linked a person to a pupil")
    UNLINK_PUPIL = "unlink_pupil", N_("Unlinked a person from a pupil")
    KEEP_NAME = "keep_name", N_("Left a name in a referral note on purpose")


class SsoMode(Term):
    """Whether a school's staff sign in through its own identity provider."""

    OFF = "off", N_("Off: staff sign in with a password")
    BOTH = "both", N_("Either: the school's sign-in service or a password")
    REQUIRED = "required", N_("Required: only the school's sign-in service (passwords off)")


class SsoPreset(Term):
    """Identity providers whose settings the admin page can fill in."""

    ENTRA = "entra", N_("Microsoft 365 (Entra ID)")
    GOOGLE = "google", N_("Google Workspace")
    OTHER = "other", N_("Another OpenID Connect provider")


class SignInMethod(Term):
    """How a member of staff last signed in, as the admin's staff list shows it."""

    PASSWORD = "password", N_("Password")
    PASSWORD_TOTP = "password_totp", N_("Password and authenticator app")
    PASSWORD_PASSKEY = "password_passkey", N_("Password and passkey")
    SSO = "sso", N_("School sign-in service")
    SSO_MFA = "sso_mfa", N_("School sign-in service with its second check")
    SSO_TOTP = "sso_totp", N_("School sign-in service and authenticator app")
    SSO_PASSKEY = "sso_passkey", N_("School sign-in service and passkey")
    PASSKEY = "passkey", N_("Passkey alone")
    RECOVERY_CODE = "recovery_code", N_("Recovery code")


class AuditRecordType(Term):
    """What kind of record an audit row is about."""

    REPORT = "report", N_("Report")
    CASE = "case", N_("Case")
    REFERRAL = "referral", N_("Referral note")
    ACCOUNT = "account", N_("Register entry")
    SCHOOL = "school", N_("School")
    TRUST = "trust", N_("Trust")
    STAFF_USER = "staff_user", N_("Member of staff")
    ALERT_ROUTE = "alert_route", N_("Alert route")
    OUTBOX = "outbox", N_("Email")
    AUDIT = "audit", N_("Audit trail")
    FILE_TRANSFER = "file_transfer", N_("Child's file handed on")
    RECEIVED_FILE = "received_file", N_("Child's file received from another school")
    PUPIL = "pupil", N_("Pupil")


class PlaceReading(Term):
    """How a place typed on a report was read, as the report page shows it to staff."""

    WAITING = "waiting", N_("Being added to the register")
    LINKED = "linked", N_("On the register")
    CHECK_NAME = "check_name", N_("On the register - check the name")
    UNRECOGNISED = "unrecognised", N_("Could not be recognised")
    KEPT_APART = "kept_apart", N_("Kept off the register: this report is about a member of staff")


class ChecklistDoneWhen(Term):
    """What happening on a case ticks a checklist step by itself (a pack rule's done_when)."""

    STATUTORY_REFERRAL_SENT = "statutory_referral_sent", N_("A statutory referral was sent")
    REVIEW_DATE_SET = "review_date_set", N_("A review date was set")


class PupilField(Term):
    """A field of the pupil directory, as a column of the school's export is mapped to it."""

    UPN = "upn", N_("Unique pupil number (or the school's own id)")
    LEGAL_FIRST = "legal_first", N_("Legal first name")
    LEGAL_LAST = "legal_last", N_("Legal surname")
    PREFERRED_FIRST = "preferred_first", N_("Preferred first name")
    OTHER_NAMES = "other_names", N_("Other known names (nicknames, former names)")
    DATE_OF_BIRTH = "date_of_birth", N_("Date of birth")
    YEAR_GROUP = "year_group", N_("Year group")
    REG_GROUP = "reg_group", N_("Registration group")
    FAMILY_ID = "family_id", N_("Family or household id")


class PupilHistoryKind(Term):
    """What an entry in a child's chronology is."""

    REPORT_MADE = "report_made", N_("Report they made")
    NAMED = "named", N_("On a case")
    REFERRAL = "referral", N_("Referral")
    NOTE = "note", N_("Note")
    PRESENT = "present", N_("Conversation, call or meeting they were at")
