"""A safeguarding lead's decision to change a report's urgency, with the reason written down.

The rules in services/urgency.py only see what a pupil ticked; the DSL may know more. The
override changes the level the queue sorts by and the escalation deadline, keeps the rules'
own reasons, and puts the old level, the new one and the written reason on the report's
history. Who made it is on the history and in the audit trail (recorded by the view).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from schoolsafe.models import Report, School, TimelineEvent
from schoolsafe.services.alerts import escalation
from schoolsafe.services.errors import FieldError
from schoolsafe.services.reports.urgency import rank
from schoolsafe.services.words import Words, words_in
from schoolsafe.vocab import N_, EventKind, Labels, Urgency

# A level as it reads inside the history's sentence (lower case, unlike Urgency's labels).
LEVEL_IN_A_SENTENCE = Labels({
    Urgency.IMMEDIATE: N_("immediate"),
    Urgency.HIGH: N_("high"),
    Urgency.MEDIUM: N_("medium"),
    Urgency.STANDARD: N_("standard"),
})

MAX_REASON = 2000


class OverrideError(FieldError):
    """An override we can't accept; the message is shown to the DSL."""


@dataclass(frozen=True)
class Override:
    """What the DSL chose and why."""

    level: str
    reason: str


def check(report: Report, choice: Override) -> str:
    """The reason, tidied; raise OverrideError if the override can't be accepted."""
    reason = choice.reason.strip()
    if choice.level not in Urgency.values():
        raise OverrideError("level", N_("Choose an urgency level."))
    if choice.level == report.urgency:
        raise OverrideError("level", N_("This report is already %(level)s. Choose a "
                            "different level."), level=LEVEL_IN_A_SENTENCE[choice.level])
    if not reason:
        raise OverrideError("reason", N_("Write down why you are changing the urgency. It goes "
                            "on the report's history."))
    if len(reason) > MAX_REASON:
        raise OverrideError("reason", N_("Please keep the reason under %(limit)s characters."),
                            limit=MAX_REASON)
    return reason


def override(session: Session, report: Report, school: School, choice: Override,
             user_id: int, now: datetime) -> TimelineEvent:
    """Set the report's urgency as the DSL decided, and restart or stop its escalation."""
    reason = check(report, choice)
    before = report.urgency
    report.urgency, report.urgency_rank = choice.level, rank(choice.level)
    report.urgency_override_reason = reason
    if report.acknowledged_at is None:
        report.next_escalation_at = escalation.due_at(choice.level, school, now)
    # The history keeps text, so it is written in the school's language, not the page's.
    words = words_in(school.language)
    text = words.gettext(N_("Urgency changed from %(before)s to %(after)s. Reason: %(reason)s"),
                         before=_level(words, before),
                         after=_level(words, choice.level), reason=reason)
    event = TimelineEvent(school_id=report.school_id, report_id=report.id,
                          case_id=report.case_id, kind=EventKind.URGENCY_OVERRIDE,
                          actor_id=user_id, at=now, text=text)
    session.add(event)
    return event


def _level(words: Words, level: str) -> str:
    """A stored level in the sentence's words (an unknown code as it is stored)."""
    english = dict.get(LEVEL_IN_A_SENTENCE, level)
    return words.gettext(english) if english else level
