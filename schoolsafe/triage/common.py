"""What the triage pages share: the report page, a school's jurisdiction, the case page link,
and keeping a case's checklist in step with its facts and with what is done on the case."""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.models import Case, ChecklistItem, Report, School, User
from schoolsafe.services.cases import checklist as case_checklist
from schoolsafe.services.cases import opening as cases
from schoolsafe.services.jurisdictions.packs import Jurisdiction
from schoolsafe.services.reports import earlier as earlier_reports
from schoolsafe.vocab import RESTRICTED_TO_WORDS, ChecklistDoneWhen, ReportSource
from schoolsafe.web.packs import page_pack, school_pack_for

# The case page's endpoint; its include of the checklist sends people back there.
CASE_ENDPOINT = "triage.case"


def report_page(record: Report, status: int = 200, **extra: object):
    """One report as the DSL sees it, with its case or the cases it could join."""
    case = db.session.get(Case, record.case_id) if record.case_id else None
    logged_by = db.session.get(User, record.logged_by_id) if record.logged_by_id else None
    accused = db.session.get(User, record.accused_staff_id) if record.accused_staff_id else None
    follows = earlier_reports.follows(db.session, record)
    return render_template(
        "triage/report.html", report=record, case=case, logged_by=logged_by,
        accused_name=accused.name if accused else "",
        restricted_label=RESTRICTED_TO_WORDS.get(record.restricted_to, ""),
        follows=follows, followed_by=earlier_reports.followed_by(db.session, record),
        earlier_candidates=earlier_reports.earlier_candidates(db.session, record)
        # Linked already (to a report this reader may not see, even): never offered again.
        if record.follows_earlier and record.follows_report_id is None else [],
        staff_concern=record.source == ReportSource.STAFF_CONCERN,
        suggestions=[] if case else [s for s in cases.suggestions(db.session, record)
                                     if _same_restriction(s.case, record)],
        open_cases=[] if case else [c for c in cases.open_cases(db.session, record.school_id)
                                    if _same_restriction(c, record)],
        **extra), status


def _same_restriction(case: Case, report: Report) -> bool:
    # A report about staff joins only a case about the same person (services refuse others).
    return (case.restricted_to, case.accused_staff_id) == (report.restricted_to,
                                                           report.accused_staff_id)


def jurisdiction_for(school_id: int) -> Jurisdiction:
    """The jurisdiction pack of a school (validated at start-up, so always present), with its
    texts in the school's language: for checklist steps written into a case, referral notes."""
    return school_pack_for(school_id)


def page_jurisdiction(school_id: int) -> Jurisdiction:
    """The school's pack with its texts in the language this member of staff reads."""
    return page_pack(db.session.get(School, school_id).jurisdiction)


def step_text(case: Case, item: ChecklistItem) -> str:
    """A checklist step's text in the reader's language: a case keeps its steps as written, in
    the school's language, and a colleague reading in another sees the pack's words in theirs."""
    pack = page_jurisdiction(case.school_id)
    if pack.language == jurisdiction_for(case.school_id).language:
        return item.text
    return next((rule.text for rule in pack.checklist if rule.id == item.rule_id), item.text)


def case_page_url(case: Case) -> str | None:
    """The case page, once the case pages exist; None until then."""
    if CASE_ENDPOINT not in current_app.view_functions:
        return None
    return url_for(CASE_ENDPOINT, public_id=case.public_id)


def statutory_kinds(school_id: int) -> frozenset[str]:
    """The recipient kinds of the school's pack that take statutory referrals."""
    return frozenset(kind for kind, recipient in jurisdiction_for(school_id).recipients.items()
                     if recipient.statutory)


def tick_checklist(case: Case, done_when: ChecklistDoneWhen) -> None:
    """Mark done the open steps that what just happened completes (the pack says which)."""
    case_checklist.tick(db.session, case, jurisdiction_for(case.school_id), done_when,
                        current_user.id)


def sync_checklist(case: Case) -> None:
    """Give the case the containment steps its facts now call for (never dropping one)."""
    case_checklist.sync(db.session, case, jurisdiction_for(case.school_id), current_user.id)
