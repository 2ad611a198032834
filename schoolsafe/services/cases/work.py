"""Working a case: its details, status, assignee, review date, decisions and closing.

Each change is written to the chronology in plain words, by the person who made it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, CaseReader, Membership, User
from schoolsafe.models.base import utcnow
from schoolsafe.services.cases import chronology
from schoolsafe.services.cases.opening import (
    CaseError,
    close_reports,
    computed_urgency,
    linked_reports,
    refresh_urgency,
)
from schoolsafe.services.reports import urgency
from schoolsafe.services.reports.categories import CATEGORY_LABELS
from schoolsafe.services.sanitize import clean_text
from schoolsafe.services.words import Words
from schoolsafe.vocab import (
    N_,
    CaseOutcome,
    CaseStatus,
    EventKind,
    NotReferredTo,
    ReportStatus,
    Role,
    Urgency,
)

POSTED_BY = {"": None, "yes": True, "no": False}
REASON_LIMIT, TITLE_LIMIT = 3000, 200


def _reason(value: str, field: str, asked: str) -> str:
    text = clean_text(value)
    if not text:
        raise CaseError(field, asked)
    if len(text) > REASON_LIMIT:
        raise CaseError(field, N_("Please keep the reason under %(limit)s characters."),
                        limit=REASON_LIMIT)
    return text


def set_status(session: Session, case: Case, status: str, user_id: int) -> None:
    """Move the case to new, open, referred or monitoring (closing has its own step)."""
    if status == CaseStatus.CLOSED:
        raise CaseError("status", N_("To close a case, give the outcome and reason below."))
    if status not in CaseStatus.values():
        raise CaseError("status", N_("Please choose a status from the list."))
    if status == case.status:
        raise CaseError("status", N_("The case is already %(status)s."),
                        status=CaseStatus(status).label.lower())
    if case.status == CaseStatus.CLOSED:
        _reopen(session, case)
    was = CaseStatus(case.status)
    case.status = status
    chronology.record_said(session, case, EventKind.STATUS,
                           N_("Status changed from %(was)s to %(now)s."), user_id, was=was,
                           now=CaseStatus(status))


def _reopen(session: Session, case: Case) -> None:
    # The old outcome stays in the chronology; the case no longer shows it as current.
    case.closed_at, case.outcome, case.outcome_reason = None, "", ""
    for report in linked_reports(session, case):
        report.status = ReportStatus.ACKNOWLEDGED


def close(session: Session, case: Case, user_id: int, outcome: str, reason: str,
          now: datetime | None = None) -> None:
    """Close the case with an outcome and the reason for it (both required)."""
    if case.status == CaseStatus.CLOSED:
        raise CaseError("outcome", N_("This case is already closed."))
    if outcome not in CaseOutcome.values():
        raise CaseError("outcome", N_("Please choose the outcome."))
    text = _reason(reason, "outcome_reason", N_("Please say why the case is being closed."))
    case.status, case.outcome, case.outcome_reason = CaseStatus.CLOSED, outcome, text
    case.closed_at = now or utcnow()
    close_reports(session, case)
    chronology.record_said(session, case, EventKind.STATUS,
                           N_("Closed. Outcome: %(outcome)s. Reason: %(reason)s"), user_id,
                           outcome=CaseOutcome(outcome), reason=text)


def school_dsls(session: Session, school_id: int) -> list[User]:
    """Active DSLs of the school: the people a case can be assigned to."""
    return list(session.scalars(
        select(User).join(Membership).where(Membership.school_id == school_id,
                                            Membership.role == Role.DSL, User.active.is_(True))
        .order_by(User.name)))


def case_dsls(session: Session, case: Case) -> list[User]:
    """The DSLs this case can be assigned to: for a case about a member of staff, only its
    allegations contacts (DSLs or not) and DSLs added to it by name, never the person named."""
    dsls = school_dsls(session, case.school_id)
    if not case.restricted_to:
        return dsls
    contacts = list(session.scalars(
        select(User).join(Membership).where(Membership.school_id == case.school_id,
                                            Membership.role == case.restricted_to,
                                            User.active.is_(True))))
    added = set(session.scalars(select(CaseReader.user_id).where(CaseReader.case_id == case.id)))
    found = {u.id: u for u in [*contacts, *(u for u in dsls if u.id in added)]}
    return sorted((u for u in found.values() if u.id != case.accused_staff_id),
                  key=lambda u: (u.name, u.id))


def assign(session: Session, case: Case, assignee_public_id: str, user_id: int) -> None:
    """Assign the case to a DSL of its school, or to nobody when the id is empty."""
    if not assignee_public_id:
        if case.assigned_to_id is None:
            raise CaseError("assignee", N_("The case is not assigned to anyone."))
        case.assigned_to_id = None
        chronology.record_said(session, case, EventKind.ASSIGN,
                               N_("No longer assigned to anyone."), user_id)
        return
    dsl = next((u for u in case_dsls(session, case) if u.public_id == assignee_public_id), None)
    if dsl is None:
        raise CaseError("assignee", N_("Cases can only be assigned to a safeguarding lead of "
                        "this school."))
    if case.assigned_to_id == dsl.id:
        raise CaseError("assignee", N_("The case is already assigned to %(name)s."), name=dsl.name)
    case.assigned_to_id = dsl.id
    chronology.record_said(session, case, EventKind.ASSIGN, N_("Assigned to %(name)s."), user_id,
                           name=dsl.name)


def set_review_date(session: Session, case: Case, value: str, user_id: int) -> None:
    """Set or clear the date to look at the case again."""
    day = parse_date(value, "review_on", N_(
        "The review date wasn't understood. Please give it as year-month-day, for example "
        "2026-03-31.")) if value.strip() else None
    if day == case.review_on:
        raise CaseError("review_on", N_("That is already the review date."))
    case.review_on = day
    if day:
        chronology.record_said(session, case, EventKind.REVIEW, N_("Review date set to %(day)s."),
                               user_id, day=chronology.school_words(session, case.school_id)
                               .day(day))
    else:
        chronology.record_said(session, case, EventKind.REVIEW, N_("Review date removed."),
                               user_id)


def parse_date(value: str, field: str, not_understood: str) -> date:
    """A date typed as YYYY-MM-DD (what date inputs send), or a CaseError naming the field
    with the `not_understood` message (marked N_)."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CaseError(field, not_understood) from None


def set_details(session: Session, case: Case, user_id: int, *, title: str,
                categories: list[str], factors: list[str], posted_by: str) -> None:
    """Title, categories, aggravating factors and whether the poster is known."""
    title = clean_text(title, keep_newlines=False)
    if len(title) > TITLE_LIMIT:
        raise CaseError("title", N_("Please keep the title under %(limit)s characters."),
                        limit=TITLE_LIMIT)
    if set(categories) - set(CATEGORY_LABELS) or set(factors) - set(urgency.FACTORS):
        raise CaseError("categories", N_("One of the choices wasn't recognised. Please try again."))
    if posted_by not in POSTED_BY:
        raise CaseError("posted_by", N_("Please choose whether the person who posted is known."))
    words = chronology.school_words(session, case.school_id)  # the chronology's language
    changes = _detail_changes(words, case, title, categories, factors, POSTED_BY[posted_by])
    if not changes:
        raise CaseError("title", N_("Nothing was changed."))
    case.title, case.posted_by_known = title, POSTED_BY[posted_by]
    case.categories = [c for c in CATEGORY_LABELS if c in categories]
    case.factors = sorted(set(factors))
    refresh_urgency(session, case, user_id)
    changes.append(words.gettext(N_("Urgency now %(level)s."), level=str(case.urgency)))
    chronology.record(session, case, EventKind.FACTS, " ".join(changes), user_id)


# Whether the person who posted is known, each a whole sentence of the chronology.
_POSTED_BY_SAID = {None: N_("Who posted it: not yet known."), True: N_("Who posted it: known."),
                   False: N_("Who posted it: not known.")}


def _detail_changes(words: Words, case: Case, title: str, categories: list[str],
                    factors: list[str], posted_by: bool | None) -> list[str]:
    """One sentence per detail changed, in `words`' language (the school's); the English
    labels of the categories and factors are read as written and translated there."""
    changes = []
    if title != case.title:
        changes.append(words.gettext(N_("Title: %(title)s."), title=title) if title
                       else words.gettext(N_("Title: (none).")))
    if set(categories) != set(case.categories):
        names = [words.gettext(dict.get(CATEGORY_LABELS, c))
                 for c in CATEGORY_LABELS if c in categories]
        changes.append(words.gettext(N_("Categories: %(names)s."), names="; ".join(names))
                       if names else words.gettext(N_("Categories: (none).")))
    if set(factors) != set(case.factors):
        names = [words.gettext(dict.get(urgency.FACTORS, f))
                 for f in urgency.FACTORS if f in factors]
        changes.append(words.gettext(N_("Factors: %(names)s."), names="; ".join(names))
                       if names else words.gettext(N_("Factors: (none).")))
    if posted_by != case.posted_by_known:
        changes.append(words.gettext(_POSTED_BY_SAID[posted_by]))
    return changes


def override_urgency(session: Session, case: Case, user_id: int, level: str,
                     reason: str) -> None:
    """Set the case's urgency as a DSL decided, with the reason; "" lets its reports set it."""
    if not level:
        _follow_reports(session, case, user_id)
        return
    if level not in Urgency.values():
        raise CaseError("urgency_level", N_("Please choose an urgency level from the list."))
    if level == case.urgency:
        raise CaseError("urgency_level", N_("The case is already %(level)s. Choose a different "
                        "level."), level=level)
    text = _reason(reason, "urgency_reason", N_("Write down why you are setting the case's "
                                                    "urgency. It goes in the chronology."))
    computed = computed_urgency(session, case)
    case.urgency_override, case.urgency_override_reason = level, text
    case.urgency_override_from = computed
    case.urgency, case.urgency_rank = level, urgency.rank(level)
    chronology.record_said(session, case, EventKind.URGENCY_OVERRIDE,
                           N_("Case urgency set to %(level)s; its reports and facts call for "
                              "%(computed)s. Reason: %(reason)s"), user_id, level=str(level),
                           computed=str(computed), reason=text)


def _follow_reports(session: Session, case: Case, user_id: int) -> None:
    if not case.urgency_override:
        raise CaseError("urgency_level", N_("The case already follows its most urgent report."))
    case.urgency_override = case.urgency_override_reason = case.urgency_override_from = ""
    refresh_urgency(session, case, user_id)
    chronology.record_said(session, case, EventKind.URGENCY_OVERRIDE,
                           N_("Case urgency follows its reports again: now %(level)s."), user_id,
                           level=str(case.urgency))


def record_decision_not_to_refer(session: Session, case: Case, user_id: int, to: str,
                                 reason: str) -> None:
    """Record a decision not to refer, and why, as guidance asks schools to."""
    if to not in NotReferredTo.values():
        raise CaseError("not_referred_to",
                        N_("Please choose who the case is not being referred to."))
    text = _reason(reason, "decision_reason", N_("Please give the reason for not referring."))
    chronology.record_said(session, case, EventKind.DECISION,
                           N_("Decided not to refer to %(to)s. Reason: %(reason)s"), user_id,
                           to=NotReferredTo(to), reason=text)


def refer_now_reasons(case: Case) -> list[str]:
    """Factors on the case for which guidance says to refer at once, in plain words."""
    return [urgency.FACTORS[f] for f in urgency.immediate_referral_triggers(set(case.factors))]
