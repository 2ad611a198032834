"""Taking in a report: checking it, working out its urgency, storing it with its places."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from schoolsafe.models import Report, ReportCategory, School
from schoolsafe.models.base import utcnow
from schoolsafe.models.report import LIMITS
from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.services.allegations import contacts
from schoolsafe.services.errors import FieldError
from schoolsafe.services.register.linking import Place, link_places
from schoolsafe.services.reports import codes as followup_codes
from schoolsafe.services.reports import urgency
from schoolsafe.services.reports.categories import (
    CHOICES_BY_CODE,
    WANTS_TO_TALK,
    categories_for,
)
from schoolsafe.services.sanitize import contains_image_data
from schoolsafe.vocab import N_, About, EarlierWhen, Language, ReportSource

# Enough for a page, its back-up account and a few group chats; more goes in the free text.
MAX_PLACES = 10
ABOUT_STAFF = "about_staff"
IMAGE_REFUSED = N_("It looks like a picture or file was pasted in. Please don't send pictures - "
                   "just tell us where they are. Everything else you typed is still here.")


class ReportError(FieldError):
    """A report we can't accept as it stands; the message is shown to the person.

    `field` names the answer at fault; for a place, `position` says which one (from 0).
    """

    def __init__(self, field_name: str, message: str, position: int | None = None,
                 **params: object) -> None:
        super().__init__(field_name, message, **params)
        self.position = position


@dataclass(frozen=True)
class ReportInput:
    """What a pupil (or member of staff) told us, already cleaned of odd characters."""

    about: str
    choices: tuple[str, ...] = ()
    places: tuple[Place, ...] = ()
    started: str = ""
    last_happened: str = ""
    factors: frozenset[str] = field(default_factory=frozenset)
    narrative: str = ""
    reporter_name: str = ""
    reporter_year: str = ""
    friend_name: str = ""
    # A pupil who lost their code: this follows a report they made before, as remembered.
    follows_earlier: bool = False
    earlier_when: str = ""
    earlier_about: str = ""
    # About a member of staff: who, in the pupil's words, or the one chosen on a concern.
    accused_who: str = ""
    accused_staff_id: int | None = None

    @property
    def about_staff(self) -> bool:
        """Whether the person is an adult who works at the school."""
        return ABOUT_STAFF in self.factors


@dataclass(frozen=True)
class Submitted:
    """A stored report and the follow-up code to show once (never stored)."""

    report: Report
    code: str


def check(data: ReportInput) -> None:
    """Raise ReportError for the first thing that stops us accepting the report."""
    if data.about not in About.values():
        raise ReportError("about", N_("Please choose who this is about."))
    # A ticked urgency question alone is enough: someone in danger must never be turned away.
    if _nothing_told(data):
        raise ReportError("choices", N_("Please tick what happened or tell us in your own words."))
    unknown = [c for c in data.choices if c not in CHOICES_BY_CODE]
    if unknown or not data.factors <= set(urgency.FACTORS):
        raise ReportError("choices", N_("One of the choices wasn't recognised. Please try again."))
    _check_places(data.places)
    _check_about_staff(data)
    if data.earlier_when and data.earlier_when not in EarlierWhen.values():
        raise ReportError("earlier_when",
                          N_("Please choose roughly when you told us, or leave it."))
    for name, value, limit in _sized_answers(data):
        if len(value) > LIMITS[limit]:
            raise ReportError(name, N_("That is too long - please keep it under %(limit)d "
                                       "characters."), _position(name, data, value),
                              limit=LIMITS[limit])
        if contains_image_data(value):
            raise ReportError(name, IMAGE_REFUSED, _position(name, data, value))


def _check_about_staff(data: ReportInput) -> None:
    # Who works at the school decides who reads the report: never guess it from a name alone.
    if data.accused_who and not data.about_staff:
        raise ReportError("accused_who", N_("If this adult works at your school, please tick "
                                            "the box above. If not, please tell us who it is "
                                            "in your own words."))
    if data.accused_staff_id is not None and not data.about_staff:
        raise ReportError("accused_staff", N_("Tick that the adult works at this school, or "
                                              "choose nobody."))


def _nothing_told(data: ReportInput) -> bool:
    return not (data.choices or data.narrative or data.places or data.factors)


def _check_places(places: tuple[Place, ...]) -> None:
    if len(places) > MAX_PLACES:
        raise ReportError("places", N_("You can list up to %(most)d places. Please put any "
                                       "others in the box for your own words."), most=MAX_PLACES)
    for position, place in enumerate(places):
        if place.platform and place.platform not in PLATFORMS:
            raise ReportError("place_platform",
                              N_("Please choose the app or website from the list."), position)


def _sized_answers(data: ReportInput) -> list[tuple[str, str, str]]:
    """(field, value, LIMITS key) for every typed answer, in the order the form shows them."""
    return [*(("places", p.text, "place") for p in data.places),
            ("narrative", data.narrative, "narrative"), ("started", data.started, "when"),
            ("last_happened", data.last_happened, "when"),
            ("reporter_name", data.reporter_name, "name"),
            ("reporter_year", data.reporter_year, "year_group"),
            ("friend_name", data.friend_name, "name"),
            ("accused_who", data.accused_who, "accused_who"),
            ("earlier_about", data.earlier_about, "earlier_about")]


def _position(name: str, data: ReportInput, value: str) -> int | None:
    if name != "places":
        return None
    return next(i for i, place in enumerate(data.places) if place.text == value)


def assess(data: ReportInput) -> urgency.Assessment:
    """How urgent the report is, from the pupil's ticked choices and answers to the questions."""
    categories = categories_for(list(data.choices))
    return urgency.assess(set(data.factors), set(categories), set(data.choices))


def submit(session: Session, school: School, data: ReportInput, code_key: str, *,
           source: str = ReportSource.PUPIL, logged_by_id: int | None = None,
           link_later: bool = False, submission: str | None = None,
           form_secret: str | None = None, form_step: str | None = None,
           language: str = Language.EN) -> Submitted:
    """Store a report with its categories, urgency and places; return it with its code.

    With `link_later` the places are kept on the report as typed and `intake_pending` is set:
    `take_in` links them to the register afterwards, outside the pupil's request.
    `submission` is the form's submission_hash(), which a second copy of it will match.
    With `form_secret` (the pupil form's) the code is derived from it, so code_again() can
    give it once more; without one (staff concerns) the code is simply random. `form_step`
    names the showing of the form that was sent, so only a copy of that showing can.
    The code is in words of `language` (the page's).
    """
    if source == ReportSource.PUPIL and data.about in About.values() and _nothing_told(data):
        # Only the first question is required: a pupil may just ask to be talked to.
        data = replace(data, choices=(WANTS_TO_TALK.code,))
    check(data)
    categories = categories_for(list(data.choices))
    assessment = assess(data)
    code = (followup_codes.derived_code(form_secret, code_key, form_step, language)
            if form_secret else followup_codes.new_code(language))
    report = Report(
        school_id=school.id, source=source, logged_by_id=logged_by_id, about=data.about,
        choices=list(data.choices), factors=sorted(data.factors), narrative=data.narrative,
        started=data.started, last_happened=data.last_happened,
        reporter_name=data.reporter_name, reporter_year=data.reporter_year,
        friend_name=data.friend_name, urgency=assessment.level,
        # Saying roughly when or what about is saying it follows an earlier report.
        follows_earlier=bool(data.follows_earlier or data.earlier_when or data.earlier_about),
        earlier_when=data.earlier_when, earlier_about=data.earlier_about,
        urgency_rank=urgency.rank(assessment.level), urgency_reasons=list(assessment.reasons),
        followup_hash=followup_codes.code_hash(code, code_key, language),
        categories=[ReportCategory(category=c) for c in categories],
        intake_pending=link_later, submission_hash=submission,
        places_waiting=[{"platform": p.platform, "text": p.text} for p in data.places]
        if link_later else None,
    )
    if data.about_staff:
        restrict(session, report, data)
    session.add(report)
    session.flush()
    if not link_later and not report.restricted_to:
        link_places(session, school.id, list(data.places), report_id=report.id)
    return Submitted(report=report, code=code)


def restrict(session: Session, report: Report, data: ReportInput) -> None:
    """Mark a report about a member of staff for its allegations contacts only.

    Its places stay on the report as typed and never reach the register, which every DSL and
    trust lead reads: the accused's accounts would show there.
    """
    named = contacts.named_staff(session, report.school_id, data.accused_staff_id)
    if data.accused_staff_id is not None and named is None:
        raise ReportError("accused_staff", N_("Choose a member of staff at this school."))
    report.accused_staff_id = named.id if named else None
    report.accused_who = data.accused_who
    report.restricted_to = contacts.route_for(session, report.school_id, report.accused_staff_id,
                                              data.accused_who)
    report.places_waiting = [{"platform": p.platform, "text": p.text} for p in data.places]


def submission_hash(form_token: str, key: str) -> str | None:
    """A keyed hash naming one filled-in form by its secret, or by its CSRF token for a page
    without one (None without either)."""
    if not form_token:
        return None
    return hmac.new(key.encode(), b"submission|" + form_token.encode(),
                    hashlib.sha256).hexdigest()


def already_received(session: Session, school_id: int, submission: str | None) -> bool:
    """Whether this school already has the report sent with this form."""
    if submission is None:
        return False
    return session.scalar(select(Report.id).where(Report.submission_hash == submission,
                                                  Report.school_id == school_id)) is not None


# A lost answer is retried within moments; a copy of the form sent later is more likely
# someone else on a shared device pressing Back, who must not be handed the code.
RESHOW_WITHIN = timedelta(minutes=10)


def code_again(session: Session, school_id: int, submission: str | None,
               form_secret: str | None, code_key: str,
               form_step: str | None = None,
               language: str = Language.EN) -> Submitted | None:
    """The code of an already saved form, re-derived from its secret, the first time only.

    For a pupil whose first answer never arrived (a dropped connection, a server stopped after
    saving). The report keeps only when the code was shown again, never the code; any later
    copy of the form, one sent more than RESHOW_WITHIN after the report, or one whose code no
    longer matches (the key changed, or it is an earlier showing of the form than the one that
    was sent: another `form_step`), gets None. The words are those of the language the code
    was made in: `language` (the page's) is tried first, then the others.
    """
    if submission is None or form_secret is None:
        return None
    report = session.scalar(select(Report).where(Report.submission_hash == submission,
                                                 Report.school_id == school_id))
    if report is None or report.followup_hash is None:
        return None
    if utcnow() - report.received_at > RESHOW_WITHIN:
        return None
    code = _made_code(report.followup_hash, form_secret, code_key, form_step, language)
    if code is None:
        return None
    # One UPDATE that only an unshown report matches: of two copies arriving together, one wins.
    claimed = session.execute(
        update(Report).where(Report.id == report.id, Report.code_reshown_at.is_(None))
        .values(code_reshown_at=utcnow()).execution_options(synchronize_session=False))
    return Submitted(report=report, code=code) if claimed.rowcount == 1 else None


def _made_code(followup_hash: str, form_secret: str, code_key: str, form_step: str | None,
               language: str) -> str | None:
    """The code derived from the form's secret in whichever language gives the stored hash."""
    for tried in (language, *(other for other in Language.values() if other != language)):
        code = followup_codes.derived_code(form_secret, code_key, form_step, tried)
        if hmac.compare_digest(followup_codes.code_hash(code, code_key, tried), followup_hash):
            return code
    return None


def places_waiting(report: Report) -> list[Place]:
    """The places of a report not yet linked to the register, as the pupil typed them."""
    return [Place(p.get("platform", ""), p.get("text", "")) for p in report.places_waiting or ()]


def link_waiting_places(session: Session, report: Report) -> None:
    """Link a report's waiting places to the register (the intake job's first step); a
    report about staff keeps them to itself."""
    if report.restricted_to:
        return
    link_places(session, report.school_id, places_waiting(report), report_id=report.id)
    report.places_waiting = None
