"""Referral notes as records: drafted from a case, edited, frozen and queued, copied.

services.referrals writes the note from plain facts; this module gathers those facts from the
database and keeps the Referral row honest. A referral is editable only while it is a draft;
the change to "queued" is a conditional UPDATE, so a double click or two tabs send it once.
Every step is written to the case's chronology. Emails are stored and sent by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from schoolsafe.models import (
    Case,
    ChecklistItem,
    OnlineAccount,
    OutboxMessage,
    PlatformReport,
    Referral,
    Report,
    School,
    TimelineEvent,
    User,
)
from schoolsafe.models.base import utcnow
from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.services.cases import checklist as case_checklist
from schoolsafe.services.cases.chronology import school_words
from schoolsafe.services.errors import WordedError
from schoolsafe.services.jurisdictions.packs import JURISDICTIONS_DIR, load_jurisdictions
from schoolsafe.services.local_time import to_zone
from schoolsafe.services.referrals import children
from schoolsafe.services.referrals import text as referral_text
from schoolsafe.services.referrals.rules import (
    OMITTABLE,
    AccountFact,
    AllegationFact,
    PlatformReportFact,
    RecipientInfo,
    ReferralError,
    ReferralFacts,
    draft_referral,
    is_no_address_warning,
    validate_addresses,
)
from schoolsafe.services.reports.urgency import immediate_referral_triggers
from schoolsafe.services.sanitize import clean_text, contains_image_data
from schoolsafe.services.words import Words, words_in
from schoolsafe.vocab import (
    CASEWORK_ROLES,
    N_,
    CaseStatus,
    ChecklistState,
    EventKind,
    OutboxState,
    ReferralState,
    Urgency,
)

# A referral draws on staff notes (the case pages) and evidence places (here) in the chronology.
MAX_SUBJECT, MAX_BODY, MAX_EVIDENCE = 300, 50_000, 500


class NotADraftError(ReferralError):
    """The referral has been queued or sent, so it can no longer be changed or sent again."""


class DraftTextError(ReferralError):
    """The subject or body cannot be saved as typed."""


class EvidenceError(WordedError):
    """A place where evidence is held cannot be recorded as typed."""


@dataclass(frozen=True)
class Delivery:
    """How sending is going, as shown on the case, with the email exactly as stored."""

    state: str
    error: str
    tries: int
    message: OutboxMessage | None


def may_refer(user: User, school_id: int) -> bool:
    """A DSL or allegations contact of the school (who refers what is routed to them), or a
    member of its staff given permission to refer."""
    return any(m.school_id == school_id and (m.role in CASEWORK_ROLES or m.can_refer)
               for m in user.memberships)


def facts_for_case(session: Session, case: Case, contact: User) -> ReferralFacts:
    """Everything a note may draw on, gathered from the case, its reports and the register."""
    reports = case_checklist.case_reports(session, case)
    factors = frozenset(case.factors or ())
    dsl = session.get(User, case.assigned_to_id) if case.assigned_to_id else contact
    school = session.get(School, case.school_id)
    zone = school.timezone  # the note gives every time in the school's own time
    words = words_in(school.language)  # and every word in the school's language
    narrative = _narrative(session, case, reports, zone, words)
    evidence = tuple(e.text for e in _events(session, case, EventKind.EVIDENCE))
    actions = _actions(session, case, zone, words)
    return ReferralFacts(
        case_reference=case.reference, school_name=school.name, dsl_name=dsl.name,
        dsl_email=dsl.email or school.contact_email,
        dsl_phone=dsl.phone or school.contact_phone,
        categories=frozenset(case.categories or ()), factors=factors,
        urgency=case.urgency or Urgency.STANDARD,
        started=_joined(report.started for report in reports),
        last_happened=_joined(report.last_happened for report in reversed(reports)),
        accounts=tuple(_account(session, a, zone)
                       for a in case_checklist.case_accounts(session, case)),
        people=children.people(session, case), narrative=narrative, evidence_held=evidence,
        actions_so_far=actions,
        safeguarding_concern=bool(immediate_referral_triggers(factors)
                                  or "known_vulnerable" in factors),
        allegation=(_allegation(session, case, reports, zone, words) if case.restricted_to
                    else None),
        names_to_hide=children.names_to_hide(session, case, (narrative, *evidence, *actions)),
        language=school.language, emergency_number=_emergency_number(school))


def _allegation(session: Session, case: Case, reports: list[Report], zone: str,
                words: Words) -> AllegationFact:
    named = session.get(User, case.accused_staff_id) if case.accused_staff_id else None
    said = [r.accused_who for r in reports if r.accused_who]
    who = "; ".join([*([named.name] if named else []),
                     *(words.gettext('"%(who)s" in their words', who=w) for w in said)])
    how = []
    for report in reports:
        received = referral_text.when(to_zone(report.received_at, zone), words)
        logged_by = session.get(User, report.logged_by_id) if report.logged_by_id else None
        how.append(words.gettext("Logged by %(name)s, a member of staff, on %(when)s.",
                                 name=logged_by.name, when=received) if logged_by
                   else words.gettext("Reported anonymously by a pupil through the school's "
                                      "reporting page on %(when)s.", when=received))
    places = [f"{PLATFORMS.get(p.get('platform', '')) or words.gettext('Place')}: "
              f"{p.get('text', '')}" for r in reports for p in r.places_waiting or ()]
    return AllegationFact(who, tuple(how), tuple(places))


def _joined(values) -> str:
    return "; ".join(dict.fromkeys(value.strip() for value in values if value.strip()))


def _account(session: Session, account: OnlineAccount, zone: str) -> AccountFact:
    reports = session.scalars(select(PlatformReport).where(PlatformReport.account_id == account.id)
                              .order_by(PlatformReport.reported_at, PlatformReport.id))
    return AccountFact(account.platform, account.display, account.url, account.kind,
                       account.status, to_zone(account.first_seen, zone),
                       to_zone(account.last_seen, zone),
                       tuple(PlatformReportFact(to_zone(r.reported_at, zone), r.how, r.reference,
                                                r.response, to_zone(r.response_at, zone))
                             for r in reports))


def _events(session: Session, case: Case, kind: str) -> list[TimelineEvent]:
    return list(session.scalars(select(TimelineEvent).where(
        TimelineEvent.case_id == case.id, TimelineEvent.kind == kind)
        .order_by(TimelineEvent.at, TimelineEvent.id)))


def _narrative(session: Session, case: Case, reports: list, zone: str, words: Words) -> str:
    # Each piece says where it came from, so the reader can tell a pupil's words from staff's.
    parts = [words.gettext("From a report received %(when)s:",
                           when=referral_text.when(to_zone(r.received_at, zone), words))
             + f"\n{r.narrative.strip()}" for r in reports if r.narrative.strip()]
    parts += [words.gettext("Staff note, %(when)s:",
                            when=referral_text.when(to_zone(n.at, zone), words))
              + f"\n{n.text.strip()}"
              for n in _events(session, case, EventKind.NOTE) if n.text.strip()]
    return "\n\n".join(parts)


def _actions(session: Session, case: Case, zone: str, words: Words) -> tuple[str, ...]:
    done = session.scalars(select(ChecklistItem).where(
        ChecklistItem.case_id == case.id, ChecklistItem.state == ChecklistState.DONE)
        .order_by(ChecklistItem.changed_at, ChecklistItem.id))
    return tuple(f"{referral_text.when(to_zone(item.changed_at, zone), words)}: {item.text}"
                 for item in done)


def record_evidence(session: Session, case: Case, user_id: int, text: str) -> None:
    """Note where evidence is held (a device, a place), never the evidence itself."""
    place = clean_text(text, keep_newlines=False)
    if not place:
        raise EvidenceError(N_("Say where the evidence is, for example \"still on the pupil's "
                            "phone\"."))
    if len(place) > MAX_EVIDENCE:
        raise EvidenceError(N_("Keep this to %(limit)s characters or fewer."), limit=MAX_EVIDENCE)
    if contains_image_data(place):
        raise EvidenceError(N_("That looks like a picture or file pasted in. Say where the "
                            "original is instead; never copy images into the record."))
    session.add(TimelineEvent(school_id=case.school_id, case_id=case.id, kind=EventKind.EVIDENCE,
                              text=place, actor_id=user_id))


def evidence_places(session: Session, case: Case) -> list[TimelineEvent]:
    """Where the case's evidence is held, as recorded, oldest first."""
    return _events(session, case, EventKind.EVIDENCE)


def create(session: Session, case: Case, recipient: RecipientInfo, user: User,
           include: frozenset[str] = frozenset(), now: datetime | None = None) -> Referral:
    """Draft a new referral for one recipient and store it as an editable draft."""
    draft = draft_referral(recipient, facts_for_case(session, case, user), include, now)
    referral = Referral(school_id=case.school_id, case_id=case.id, recipient_kind=recipient.kind,
                        created_by_id=user.id, **_drafted_fields(draft))
    session.add(referral)
    _event(session, case, user.id, N_("Referral to %(recipient)s drafted."),
           recipient=recipient.name)
    _record_included(session, case, user.id, recipient, frozenset(),
                     frozenset(referral.included_on_purpose))
    session.flush()
    return referral


def _drafted_fields(draft) -> dict[str, object]:
    return {"subject": draft.subject, "body": normalised_body(draft.body),
            "to_addresses": ", ".join(draft.to),
            "left_out": [item.code for item in draft.left_out],
            "included_on_purpose": [item.code for item in draft.included_on_purpose],
            "warnings": list(draft.warnings),
            "names_removed": [{"name": r.name, "where": r.where} for r in draft.names_removed]}


def redraft(session: Session, referral: Referral, recipient: RecipientInfo, user: User,
            include: frozenset[str], now: datetime | None = None) -> Referral:
    """Write the draft again from the case with a new choice of what to include."""
    _require_draft(referral)
    case = session.get(Case, referral.case_id)
    before = frozenset(referral.included_on_purpose or ())
    to = tuple(a for a in referral.to_addresses.split(", ") if a)
    draft = draft_referral(recipient, facts_for_case(session, case, user), include, now,
                           to_override=to, keep_names=frozenset(referral.names_kept or ()))
    _conditional_update(session, referral, _drafted_fields(draft))
    _record_included(session, case, user.id, recipient, before,
                     frozenset(referral.included_on_purpose))
    return referral


def keep_name(session: Session, referral: Referral, recipient: RecipientInfo, user: User,
              name: str) -> Referral:
    """Leave one name the draft took out in the note, on purpose; recorded on the case."""
    _require_draft(referral)
    removed = {r["name"] for r in referral.names_removed or ()}
    if name not in removed:
        raise DraftTextError(N_("That name is not one this note left out."))
    _conditional_update(session, referral, {"names_kept": [*(referral.names_kept or ()), name]})
    case = session.get(Case, referral.case_id)
    redraft(session, referral, recipient, user, frozenset(referral.included_on_purpose or ()))
    _event(session, case, user.id, N_('Chose to leave the name "%(name)s" in the referral to '
                                      "%(recipient)s."), name=name, recipient=recipient.name)
    return referral


def _record_included(session: Session, case: Case, user_id: int, recipient: RecipientInfo,
                     before: frozenset[str], after: frozenset[str]) -> None:
    # A deliberate choice to give a recipient more than it needs is a safeguarding decision.
    words = school_words(session, case.school_id)
    added = [words.gettext(OMITTABLE[code]) for code in OMITTABLE if code in after - before]
    removed = [words.gettext(OMITTABLE[code]) for code in OMITTABLE if code in before - after]
    if added:
        _event(session, case, user_id, N_("Chose to include in the referral to %(recipient)s: "
                                          "%(what)s."),
               recipient=recipient.name, what="; ".join(added))
    if removed:
        _event(session, case, user_id, N_("Left out again of the referral to %(recipient)s: "
                                          "%(what)s."),
               recipient=recipient.name, what="; ".join(removed))


def save(session: Session, referral: Referral, subject: str, body: str, to_text: str) -> Referral:
    """Keep the DSL's edits to a draft; addresses are checked, and may be left empty for now."""
    _require_draft(referral)
    subject = _checked_subject(subject)
    body = _checked_body(body)
    to = validate_addresses(to_text) if (to_text or "").strip(" ,;\r\n\t") else ()
    _conditional_update(session, referral, {"subject": subject, "body": body,
                                            "to_addresses": ", ".join(to),
                                            "warnings": _current_warnings(session, referral,
                                                                          to)})
    return referral


def _emergency_number(school: School) -> str:
    # The shipped packs, read once and kept (load_jurisdictions caches by the files' stamps).
    pack = load_jurisdictions(JURISDICTIONS_DIR).get(school.jurisdiction)
    return pack.emergency_number if pack is not None else "999"


def _current_warnings(session: Session, referral: Referral, to: tuple[str, ...]) -> list[str]:
    # Every other warning is about the case; only this one is answered by typing an address.
    words = school_words(session, referral.school_id)
    return [w for w in referral.warnings or ()
            if not (to and is_no_address_warning(w, words))]


def _checked_subject(subject: str) -> str:
    subject = " ".join((subject or "").split())
    if not subject:
        raise DraftTextError(N_("Give the email a subject."))
    if len(subject) > MAX_SUBJECT:
        raise DraftTextError(f"Keep the subject to {MAX_SUBJECT} characters or fewer.")
    return subject


def _checked_body(body: str) -> str:
    body = normalised_body(body or "")
    if not body.strip():
        raise DraftTextError(N_("The note is empty. Write the referral, or draft it again."))
    if len(body) > MAX_BODY:
        raise DraftTextError(f"Keep the note to {MAX_BODY} characters or fewer.")
    return body


def normalised_body(body: str) -> str:
    """Line endings and the final newline as the email will carry them, so shown = sent."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def queue_for_sending(session: Session, referral: Referral, recipient: RecipientInfo,
                      user_id: int, now: datetime | None = None) -> Referral:
    """Freeze the draft as it stands; only the first call wins.

    Only a statutory referral (police, CEOP, children's social care) makes the case
    "Referred"; a note asking POSH or another school for help leaves its status alone.
    """
    _require_draft(referral)
    to = validate_addresses(referral.to_addresses)
    _checked_subject(referral.subject)
    _checked_body(referral.body)
    now = now or utcnow()
    _conditional_update(session, referral, {"state": ReferralState.QUEUED, "queued_at": now,
                                            "sent_by_id": user_id,
                                            "to_addresses": ", ".join(to)})
    case = session.get(Case, referral.case_id)
    if recipient.statutory:
        case.status = CaseStatus.REFERRED
    _event(session, case, user_id, _queued_text(session, referral, recipient, to, case), now)
    return referral


def _queued_text(session: Session, referral: Referral, recipient: RecipientInfo,
                 to: tuple[str, ...], case: Case) -> str:
    # The chronology says what went, to whom, and what it did to the case.
    words = school_words(session, case.school_id)
    parts = [words.gettext('Referral to %(recipient)s queued to send by email to %(to)s. '
                           'Subject: "%(subject)s".', recipient=recipient.name,
                           to=", ".join(to), subject=referral.subject)]
    left_out = [words.gettext(OMITTABLE[code]) for code in OMITTABLE
                if code in (referral.left_out or ())]
    if left_out:
        parts.append(words.gettext("Left out: %(what)s.", what="; ".join(left_out)))
    if recipient.statutory:
        parts.append(words.gettext("This is a statutory referral: the case is now referred."))
    else:
        parts.append(words.gettext("This is not a statutory referral, so the case stays "
                                   "%(status)s.",
                                   status=words.gettext(CaseStatus(case.status).english).lower()))
    return " ".join(parts)


def statutory_referrals(session: Session, case: Case,
                        statutory_kinds: frozenset[str]) -> list[Referral]:
    """The case's referrals to statutory recipients that have been sent or are on their way."""
    return list(session.scalars(select(Referral).where(
        Referral.case_id == case.id, Referral.recipient_kind.in_(statutory_kinds),
        Referral.state.in_((ReferralState.QUEUED, ReferralState.SENT)))
        .order_by(Referral.queued_at, Referral.id)))


def copy_to_draft(session: Session, referral: Referral, recipient: RecipientInfo,
                  user_id: int) -> Referral:
    """Start a new draft from any referral's text; the original stays exactly as it was."""
    copied = Referral(school_id=referral.school_id, case_id=referral.case_id,
                      recipient_kind=referral.recipient_kind, to_addresses=referral.to_addresses,
                      subject=referral.subject, body=referral.body,
                      left_out=list(referral.left_out or ()),
                      included_on_purpose=list(referral.included_on_purpose or ()),
                      names_removed=list(referral.names_removed or ()),
                      names_kept=list(referral.names_kept or ()),
                      warnings=list(referral.warnings or ()), created_by_id=user_id,
                      copied_from_id=referral.id)
    session.add(copied)
    _event(session, session.get(Case, referral.case_id), user_id,
           N_("Referral to %(recipient)s copied to a new draft."), recipient=recipient.name)
    session.flush()
    return copied


def _require_draft(referral: Referral) -> None:
    if referral.state != ReferralState.DRAFT:
        raise NotADraftError(N_("This referral has already been sent, so it cannot be changed. "
                             "Copy it to a new draft to send it again."))


def _conditional_update(session: Session, referral: Referral, values: dict[str, object]) -> None:
    # WHERE state = 'draft': of two requests racing, the second changes nothing and is told so.
    changed = session.execute(update(Referral).where(Referral.id == referral.id,
                                                     Referral.state == ReferralState.DRAFT)
                              .values(**values)
                              .execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        session.refresh(referral)
        raise NotADraftError(N_("This referral has already been sent, so it cannot be changed. "
                             "Copy it to a new draft to send it again."))
    session.refresh(referral)


def _event(session: Session, case: Case, user_id: int, said: str, at: datetime | None = None,
           **params: object) -> None:
    """A chronology line in the school's language (`said` marked N_, its values named); a
    text already in it (`_queued_text`) is given with no values."""
    text = school_words(session, case.school_id).gettext(said, **params) if params else said
    session.add(TimelineEvent(school_id=case.school_id, case_id=case.id, kind=EventKind.REFERRAL,
                              text=text, actor_id=user_id, at=at or utcnow()))


def delivery(session: Session, referral: Referral) -> Delivery:
    """The state to show: a queued referral whose last try failed shows as failed, with why."""
    message = session.scalar(select(OutboxMessage).where(OutboxMessage.referral_id == referral.id)
                             .order_by(OutboxMessage.id.desc()))
    if (referral.state == ReferralState.QUEUED and message is not None
            and message.state != OutboxState.SENT and message.last_error):
        return Delivery(ReferralState.FAILED, message.last_error, message.tries, message)
    return Delivery(referral.state, "", message.tries if message else 0, message)


def for_case(session: Session, case: Case) -> list[Referral]:
    """The case's referrals, newest first."""
    return list(session.scalars(select(Referral).where(Referral.case_id == case.id)
                                .order_by(Referral.created_at.desc(), Referral.id.desc())))
