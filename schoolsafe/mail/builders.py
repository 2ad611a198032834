"""Build emails from templates and store them as outbox rows, exact text and all.

Storing is all a builder does: whoever owns the transaction queues the sending after it. Each
email is written in its reader's language: a member of staff's own, when they chose one on their
account, or else their school's (`school.language`); English when neither is known.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import Case, CaseTask, FileTransfer, OutboxMessage, Report, School, User
from schoolsafe.services.alerts.escalation import waited_text
from schoolsafe.services.words import words_in
from schoolsafe.vocab import Language, OutboxPurpose, Urgency


def store(purpose: str, to: str, template: str, *, school_id: int | None = None,
          report_id: int | None = None, referral_id: int | None = None,
          language: str | None = None, **context: object) -> OutboxMessage:
    """Render templates/emails/<template>.txt and store it, unsent, as an outbox row, in
    `language` or else the reader's (reader_language)."""
    with force_locale(language or reader_language(to, school_id)):
        text = render_template(f"emails/{template}.txt", **context)
    subject, _, body = text.partition("\n\n")
    message = OutboxMessage(
        purpose=purpose, to_addresses=to, subject=subject.removeprefix("Subject: ").strip(),
        body=body.strip() + "\n", school_id=school_id, report_id=report_id,
        referral_id=referral_id,
    )
    db.session.add(message)
    db.session.flush()
    return message


def reader_language(to: str, school_id: int | None) -> str:
    """The language to write to `to` in: a member of staff's own choice, else the school's."""
    chosen = db.session.scalar(select(User.language).where(
        func.lower(User.email) == to.strip().lower())) if "," not in to else None
    school = db.session.get(School, school_id) if school_id is not None else None
    language = chosen or (school.language if school is not None else None)
    return language if language in Language.values() else Language.EN.value


def report_link(report: Report) -> str:
    """Absolute link to a report for staff; opened only after signing in."""
    # Built from the URL map rather than url_for so a worker, with no request, can build it.
    adapter = current_app.url_map.bind("schoolsafe.invalid")
    path = adapter.build("triage.report", {"public_id": report.public_id})
    return current_app.config["BASE_URL"] + path


def case_link(case: Case) -> str:
    """Absolute link to a case for staff; opened only after signing in."""
    adapter = current_app.url_map.bind("schoolsafe.invalid")
    return current_app.config["BASE_URL"] + adapter.build("triage.case",
                                                          {"public_id": case.public_id})


def referral_due_alert(case: Case, address: str) -> OutboxMessage:
    """A content-free reminder that a case's referral to the designated officer is overdue."""
    return store(OutboxPurpose.REFERRAL_DUE, address, "referral_due", school_id=case.school_id,
                 link=case_link(case))


def new_report_alert(report: Report, address: str, tier: int = 1) -> OutboxMessage:
    """A content-free alert: the urgency and a link, nothing a reader of the inbox could use."""
    return store(
        OutboxPurpose.ALERT, address, "new_report", school_id=report.school_id, report_id=report.id,
        link=report_link(report), urgency=Urgency(report.urgency), tier=tier,
    )


def escalation_alert(report: Report, address: str, *, waited: timedelta,
                     reminder: bool = False) -> OutboxMessage:
    """A content-free "still waiting" alert: how long, the urgency and a link."""
    language = reader_language(address, report.school_id)
    return store(
        OutboxPurpose.ESCALATION, address, "escalation", school_id=report.school_id,
        report_id=report.id, language=language, link=report_link(report),
        urgency=Urgency(report.urgency), waited=waited_text(waited, words_in(language)),
        reminder=reminder,
    )


def staff_link(endpoint: str) -> str:
    """Absolute link to a staff page with no record in it; opened only after signing in."""
    adapter = current_app.url_map.bind("schoolsafe.invalid")
    return current_app.config["BASE_URL"] + adapter.build(endpoint, {})


def task_reminder(task: CaseTask, address: str, *, overdue: bool) -> OutboxMessage:
    """A content-free task reminder: due or overdue and a link to "My tasks", nothing else."""
    return store(OutboxPurpose.TASK_REMINDER, address, "task_reminder", school_id=task.school_id,
                 link=staff_link("triage.my_tasks"), overdue=overdue)


def file_transfer_email(transfer: FileTransfer, from_school: str, code: str) -> OutboxMessage:
    """To a school elsewhere: a child's file waits for them. The link holds no secret and the
    email nothing about the child; the single-use code is typed on the page."""
    return store(OutboxPurpose.FILE_TRANSFER, transfer.to_address, "file_transfer",
                 school_id=transfer.school_id, link=staff_link("receipt.file_receipt"),
                 from_school=from_school, code=code, due_on=transfer.due_on)
