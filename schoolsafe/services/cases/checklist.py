"""A case's containment checklist: made when the case opens, grown as it changes, worked by the DSL.

Which steps apply is decided by services.checklist from the jurisdiction's rules; this module
reads the case's facts from the database, stores the items and records every change in the
case's chronology. Items are never removed: a step someone has worked on stays, with who
changed it and when, even if the facts that brought it in change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from schoolsafe.models import (
    Case,
    ChecklistItem,
    OnlineAccount,
    Report,
    Sighting,
    TimelineEvent,
    User,
)
from schoolsafe.models.base import utcnow
from schoolsafe.services.cases.checklist_rules import CaseFacts, rules_to_add
from schoolsafe.services.cases.chronology import school_words
from schoolsafe.services.errors import WordedError
from schoolsafe.services.jurisdictions.packs import ChecklistRule, Jurisdiction
from schoolsafe.services.words import Words
from schoolsafe.vocab import N_, ChecklistDoneWhen, ChecklistState, EventKind, Urgency

MAX_REASON = 1000
HEADLINE_LENGTH = 140


class ChecklistError(WordedError):
    """A checklist change that cannot be made as asked; the message is shown to the DSL."""


@dataclass(frozen=True)
class ChecklistRow:
    """One item as the DSL sees it, with the name of whoever last changed it."""

    item: ChecklistItem
    changed_by: str
    state_label: str


def case_reports(session: Session, case: Case) -> list[Report]:
    """The reports linked to a case, oldest first."""
    return list(session.scalars(select(Report).where(Report.case_id == case.id)
                                .order_by(Report.received_at, Report.id)))


def case_accounts(session: Session, case: Case) -> list[OnlineAccount]:
    """Register entries seen in the case or in any of its reports, first seen first."""
    linked = select(Sighting.account_id).where(or_(
        Sighting.case_id == case.id,
        Sighting.report_id.in_(select(Report.id).where(Report.case_id == case.id))))
    return list(session.scalars(select(OnlineAccount).where(OnlineAccount.id.in_(linked))
                                .order_by(OnlineAccount.first_seen, OnlineAccount.id)))


def case_facts(session: Session, case: Case) -> CaseFacts:
    """What the checklist rules may depend on: the case's own fields, its reports and accounts."""
    choices = {code for report in case_reports(session, case) for code in report.choices}
    return CaseFacts(categories=frozenset(case.categories or ()),
                     factors=frozenset(case.factors or ()),
                     urgency=case.urgency or Urgency.STANDARD,
                     choices=frozenset(choices), posted_by_known=case.posted_by_known,
                     platform_statuses=frozenset(a.status for a in case_accounts(session, case)))


def items(session: Session, case: Case) -> list[ChecklistItem]:
    """The case's items: the refer-now step first, then in the jurisdiction's order."""
    return list(session.scalars(
        select(ChecklistItem).where(ChecklistItem.case_id == case.id)
        .order_by(ChecklistItem.refer_now.desc(), ChecklistItem.position, ChecklistItem.id)))


def sync(session: Session, case: Case, jurisdiction: Jurisdiction,
         user_id: int | None = None) -> list[ChecklistItem]:
    """Add the steps the case now needs (all of them when it has none); never drop one."""
    existing = items(session, case)
    added = rules_to_add(jurisdiction, case_facts(session, case), {i.rule_id for i in existing})
    positions = {rule.id: number for number, rule in enumerate(jurisdiction.checklist)}
    for rule in added:
        session.add(ChecklistItem(case_id=case.id, rule_id=rule.id, text=rule.text,
                                  position=positions[rule.id], refer_now=rule.refer_now))
    words = school_words(session, case.school_id)  # the chronology is in the school's language
    for text in _added_texts(added, first=not existing, words=words):
        session.add(TimelineEvent(school_id=case.school_id, case_id=case.id,
                                  kind=EventKind.CHECKLIST, text=text, actor_id=user_id))
    session.flush()
    return items(session, case) if added else existing


def _added_texts(added: list[ChecklistRule], first: bool, words: Words) -> list[str]:
    if not added:
        return []
    if first:
        made = words.ngettext("Containment checklist made with %(num)d step.",
                              "Containment checklist made with %(num)d steps.", len(added))
        if added[0].refer_now:
            made += " " + words.gettext("It starts with a refer-now step.")
        return [made]
    # Later additions are named one by one, so the chronology shows what the change brought in.
    return [words.gettext("Checklist step added because the case changed: %(step)s",
                          step=headline(rule.text)) for rule in added]


def mark(session: Session, item: ChecklistItem, state: str, reason: str, user_id: int,
         now: datetime | None = None) -> bool:
    """Set an item open, done or not applicable (with a reason); False if nothing changed."""
    reason = _checked_reason(state, reason)
    if item.state == state and item.reason == reason:
        return False
    item.state, item.reason = state, reason
    item.changed_by_id, item.changed_at = user_id, now or utcnow()
    school_id = _school_id(session, item)
    session.add(TimelineEvent(school_id=school_id, case_id=item.case_id,
                              kind=EventKind.CHECKLIST,
                              text=change_text(item, school_words(session, school_id)),
                              actor_id=user_id, at=item.changed_at))
    session.flush()
    return True


def tick(session: Session, case: Case, jurisdiction: Jurisdiction, done_when: ChecklistDoneWhen,
         user_id: int) -> list[ChecklistItem]:
    """Mark done the open steps the pack says this event completes; the ones it ticked.

    A step someone already marked not applicable keeps their decision and its reason.
    """
    rule_ids = {rule.id for rule in jurisdiction.checklist if rule.done_when == done_when}
    ticked = [item for item in items(session, case)
              if item.rule_id in rule_ids and item.state == ChecklistState.OPEN]
    now = utcnow()
    words = school_words(session, case.school_id)  # the chronology is in the school's language
    for item in ticked:
        item.state, item.reason, item.changed_by_id, item.changed_at = (
            ChecklistState.DONE, "", user_id, now)
        session.add(TimelineEvent(school_id=case.school_id, case_id=case.id,
                                  kind=EventKind.CHECKLIST, actor_id=user_id, at=now,
                                  text=words.gettext(_TICKED_SAID[done_when],
                                                     step=headline(item.text))))
    session.flush()
    return ticked


def _checked_reason(state: str, reason: str) -> str:
    if state not in ChecklistState.values():
        raise ChecklistError(N_("Choose to do, done or not applicable."))
    reason = " ".join((reason or "").split())
    if state == ChecklistState.NOT_APPLICABLE and not reason:
        raise ChecklistError(N_("Say why this step does not apply to this case."))
    if len(reason) > MAX_REASON:
        raise ChecklistError(N_("Keep the reason to %(most)d characters or fewer (it is "
                                "%(length)d)."), most=MAX_REASON, length=len(reason))
    # A reason belongs to "not applicable" only; it would mislead next to "done".
    return reason if state == ChecklistState.NOT_APPLICABLE else ""


def _school_id(session: Session, item: ChecklistItem) -> int:
    return session.scalar(select(Case.school_id).where(Case.id == item.case_id))


# Each chronology line a change of state writes, whole, in English (translated when written).
_MARKED_SAID = {
    ChecklistState.OPEN: N_("Checklist step marked to do: %(step)s"),
    ChecklistState.DONE: N_("Checklist step marked done: %(step)s"),
    ChecklistState.NOT_APPLICABLE: N_("Checklist step marked not applicable: %(step)s"),
}
_NOT_APPLICABLE_BECAUSE = N_("Checklist step marked not applicable: %(step)s Reason: %(reason)s")
_TICKED_SAID = {
    ChecklistDoneWhen.STATUTORY_REFERRAL_SENT: N_(
        "Checklist step marked done: %(step)s Ticked by itself: a statutory referral was sent."),
    ChecklistDoneWhen.REVIEW_DATE_SET: N_(
        "Checklist step marked done: %(step)s Ticked by itself: a review date was set."),
}


def change_text(item: ChecklistItem, words: Words) -> str:
    """The chronology line for an item's new state, in `words`' language (the school's).

    Only "not applicable" has a reason (`_checked_reason`)."""
    if item.reason and item.state == ChecklistState.NOT_APPLICABLE:
        return words.gettext(_NOT_APPLICABLE_BECAUSE, step=headline(item.text),
                             reason=item.reason)
    return words.gettext(_MARKED_SAID[ChecklistState(item.state)], step=headline(item.text))


def headline(text: str) -> str:
    """The first clause of a step, short enough for one chronology line."""
    cut = min((i for i in (text.find(":"), text.find(".")) if i > 0), default=len(text))
    short = text[:cut].strip()
    if len(short) > HEADLINE_LENGTH:
        short = short[:HEADLINE_LENGTH].rsplit(" ", 1)[0] + "..."
    return f'"{short}".'


def rows(session: Session, case: Case) -> list[ChecklistRow]:
    """The case's items with who changed each, ready to show or print."""
    found = items(session, case)
    ids = {item.changed_by_id for item in found if item.changed_by_id}
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
    return [ChecklistRow(item, names.get(item.changed_by_id, ""), ChecklistState(item.state).label)
            for item in found]


def item_for_case(session: Session, case: Case, item_id: int) -> ChecklistItem | None:
    """One item of this case, or None if the id belongs to another case."""
    return session.scalar(select(ChecklistItem).where(ChecklistItem.id == item_id,
                                                      ChecklistItem.case_id == case.id))
