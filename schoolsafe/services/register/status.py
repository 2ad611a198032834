"""What the DSL does with a register entry: its kind, platform reports, answers and removal.

Status runs active -> reported -> removed, and back to resurfaced when a removed entry (or
one confirmed as the same account) is seen again. Every change goes into the entry's history
and the chronology of its cases through `register_history.record`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import OnlineAccount, PlatformReport
from schoolsafe.models.base import utcnow
from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.services.errors import FieldError
from schoolsafe.services.register import history as register_history
from schoolsafe.vocab import (
    EARLIER_PLATFORM_ROUTES,
    N_,
    AccountEventKind,
    AccountKind,
    AccountStatus,
    PlatformAnswer,
    PlatformRoute,
)

# Reports store the route's words (PlatformRoute's labels), which referral notes quote.
_ROUTE_BY_WORDS = {words.lower(): code for code, words in PlatformRoute.labels().items()}
# A clock a few minutes fast on someone's laptop shouldn't make "now" look like the future.
CLOCK_SLACK = timedelta(minutes=10)
REFERENCE_LIMIT, ANSWER_LIMIT = 120, 2000


class StatusError(FieldError):
    """A change that can't be made as asked; `field` names the form field to mark."""


@dataclass(frozen=True)
class PlatformReportInput:
    """A report made to the platform (or an escalation), as entered by staff."""

    route: str
    reported_at: datetime | None
    reference: str = ""


@dataclass(frozen=True)
class AnswerInput:
    """The platform's answer to a report."""

    outcome: str
    answered_at: datetime | None
    answer: str = ""


def platform_name(account: OnlineAccount) -> str:
    """The platform as staff call it."""
    return PLATFORMS.get(account.platform, account.platform)


def set_kind(session: Session, account: OnlineAccount, kind: str, user_id: int,
             now: datetime | None = None) -> bool:
    """Set what sort of account this is; False when it already was that."""
    if kind not in AccountKind.values():
        raise StatusError("kind", N_("Please choose what sort of account this is."))
    if kind == account.kind and kind_was_set(session, account):
        return False
    account.kind = kind
    said = register_history.school_words(session, account).gettext(
        N_("Marked as: %(kind)s."), kind=AccountKind(kind))
    register_history.record(session, account, AccountEventKind.ACCOUNT_KIND, said,
                            actor_id=user_id, at=now)
    return True


def kind_was_set(session: Session, account: OnlineAccount) -> bool:
    """Whether staff chose the kind (otherwise it is only suggested from reports)."""
    return register_history.has_event(session, account.id, AccountEventKind.ACCOUNT_KIND)


def report_to_platform(session: Session, account: OnlineAccount, data: PlatformReportInput,
                       user_id: int, now: datetime | None = None) -> PlatformReport:
    """Record a report made to the platform or an escalation; the entry becomes reported."""
    now = now or utcnow()
    if data.route not in PlatformRoute.values():
        raise StatusError("route", N_("Please choose how it was reported."))
    reported_at = _checked_time(data.reported_at, now, "reported_at", _REPORT_DATE)
    if len(data.reference) > REFERENCE_LIMIT:
        raise StatusError("reference", N_("Please keep the reference under %(reference_limit)s "
                          "characters."), reference_limit=REFERENCE_LIMIT)
    route = PlatformRoute(data.route)
    report = PlatformReport(account_id=account.id, reported_at=reported_at, how=route.label,
                            reference=data.reference.strip(), reported_by_id=user_id,
                            created_at=now)
    session.add(report)
    if account.status in {AccountStatus.ACTIVE, AccountStatus.RESURFACED}:
        account.status = AccountStatus.REPORTED
    register_history.record(session, account, AccountEventKind.ACCOUNT_REPORTED,
                            _reported_words(session, account, data), actor_id=user_id, at=now)
    return report


def _reported_words(session: Session, account: OnlineAccount, data: PlatformReportInput,
                    ) -> str:
    """"Reported to Instagram (...), reference 123." in the school's words."""
    route, reference = PlatformRoute(data.route), data.reference.strip()
    words = register_history.school_words(session, account)
    if route.escalates:
        if reference:
            return words.gettext(N_("Reported to %(route)s, reference %(reference)s."),
                                 route=route, reference=reference)
        return words.gettext(N_("Reported to %(route)s."), route=route)
    if reference:
        return words.gettext(N_("Reported to %(platform)s (%(route)s), reference "
                                "%(reference)s."),
                             platform=platform_name(account), route=route, reference=reference)
    return words.gettext(N_("Reported to %(platform)s (%(route)s)."),
                         platform=platform_name(account), route=route)


def record_answer(session: Session, account: OnlineAccount, report: PlatformReport,
                  data: AnswerInput, user_id: int, now: datetime | None = None) -> None:
    """Record the platform's answer; "taken down" also marks the entry removed."""
    now = now or utcnow()
    if data.outcome not in PlatformAnswer.values():
        raise StatusError("outcome", N_("Please choose what the platform did."))
    answered_at = _checked_time(data.answered_at, now, "answered_at", _ANSWER_DATE)
    if len(data.answer) > ANSWER_LIMIT:
        raise StatusError("answer", N_("Please keep the answer under %(answer_limit)s characters."),
                          answer_limit=ANSWER_LIMIT)
    # A day's slack: an answer given as a date only may fall "before" a report timed that day.
    if answered_at + timedelta(days=1) <= report.reported_at:
        raise StatusError("answered_at", N_("The answer can't come before the report was made."))
    report.response = f"{PlatformAnswer(data.outcome).label}. {data.answer.strip()}".strip()
    report.response_at = answered_at
    words = register_history.school_words(session, account)
    said = words.gettext(N_("Answer to the report made %(day)s: %(answer)s."),
                         day=words.day(report.reported_at.date()),
                         answer=words.gettext(PlatformAnswer(data.outcome).english).lower())
    register_history.record(session, account, AccountEventKind.ACCOUNT_ANSWER, said,
                            actor_id=user_id, at=now)
    if data.outcome == PlatformAnswer.REMOVED:
        mark_removed(session, account, answered_at, user_id, now)


def mark_removed(session: Session, account: OnlineAccount, removed_at: datetime | None,
                 user_id: int, now: datetime | None = None) -> None:
    """The account or page has gone; watch for it coming back."""
    now = now or utcnow()
    removed_at = _checked_time(removed_at, now, "removed_at", _REMOVED_DATE)
    if account.status == AccountStatus.REMOVED:
        raise StatusError("removed_at", N_("This is already marked as taken down."))
    account.status, account.removed_at = AccountStatus.REMOVED, removed_at
    words = register_history.school_words(session, account)
    register_history.record(session, account, AccountEventKind.ACCOUNT_REMOVED,
                            words.gettext(N_("Taken down on %(day)s."),
                                          day=words.day(removed_at.date())),
                            actor_id=user_id, at=now)


def mark_seen_again(session: Session, account: OnlineAccount, user_id: int,
                    now: datetime | None = None) -> None:
    """Staff saw a taken-down account back up."""
    if account.status != AccountStatus.REMOVED:
        raise StatusError("status", N_("Only an account marked as taken down can come back."))
    resurface(session, account, N_("Staff saw it back up."), actor_id=user_id, now=now)


def resurface(session: Session, account: OnlineAccount, why: str, *,
              actor_id: int | None = None, now: datetime | None = None) -> None:
    """A removed account (or its twin) is back: it needs reporting again (`why` marked N_)."""
    account.status = AccountStatus.RESURFACED
    words = register_history.school_words(session, account)
    register_history.record(session, account, AccountEventKind.ACCOUNT_RESURFACED,
                            words.gettext(N_("Back after being taken down. %(why)s"),
                                          why=words.gettext(why)),
                            actor_id=actor_id, at=now)


def route_of(how: str) -> PlatformRoute:
    """The route of a stored report, whether it holds our words, a bare code, or what an
    earlier version stored."""
    if how in PlatformRoute.values():
        return PlatformRoute(how)
    words = how.strip().lower()
    return (EARLIER_PLATFORM_ROUTES.get(how) or EARLIER_PLATFORM_ROUTES.get(words)
            or PlatformRoute(_ROUTE_BY_WORDS.get(words, PlatformRoute.OTHER)))


def platform_report(session: Session, account_id: int, number: int) -> PlatformReport | None:
    """One report made about the entry by its number (1 is the first made), or None."""
    if number < 1:
        return None
    return session.scalar(select(PlatformReport)
                          .where(PlatformReport.account_id == account_id)
                          .order_by(PlatformReport.reported_at, PlatformReport.id)
                          .offset(number - 1).limit(1))


def current_platform_reports(session: Session, account: OnlineAccount) -> list[PlatformReport]:
    """Reports made since the entry last came back (all of them if never taken down), oldest
    first: the ones its next steps depend on."""
    query = select(PlatformReport).where(PlatformReport.account_id == account.id)
    if account.removed_at is not None:
        query = query.where(PlatformReport.reported_at >= account.removed_at)
    return list(session.scalars(query.order_by(PlatformReport.reported_at, PlatformReport.id)))


# What to say when a date is missing or in the future, for each date recorded (whole
# sentences, so each language can word them its own way).
_REPORT_DATE = (N_("Please give the date of the report."),
                N_("The date of the report can't be in the future."))
_ANSWER_DATE = (N_("Please give the date of the answer."),
                N_("The date of the answer can't be in the future."))
_REMOVED_DATE = (N_("Please give the date of the take-down."),
                 N_("The date of the take-down can't be in the future."))


def _checked_time(value: datetime | None, now: datetime, field_name: str,
                  said: tuple[str, str]) -> datetime:
    """A date that is given and not in the future."""
    if value is None:
        raise StatusError(field_name, said[0])
    if value > now + CLOCK_SLACK:
        raise StatusError(field_name, said[1])
    return value
