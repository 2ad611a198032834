"""Retention classes, what falls due and when, legal hold, and what deleting takes with it."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import (
    AuditEvent,
    Case,
    CaseEntry,
    CasePerson,
    CaseReader,
    CaseTask,
    ChecklistItem,
    FileTransfer,
    OnlineAccount,
    OutboxMessage,
    ParentContact,
    Pupil,
    ReceivedFile,
    Referral,
    Report,
    ReportCategory,
    ReportMessage,
    SafetyPlan,
    Sighting,
    TimelineEvent,
)
from schoolsafe.services import retention
from schoolsafe.services.register.linking import Place

POLICY = retention.Policy(anonymous_days=365, child_years=25, no_dob_years=25)
CLOSED_AT = datetime(2025, 7, 18, 15, 0)
_refs = itertools.count(1)


def closed_report(make, school, **fields) -> Report:
    report = make.report(school, **fields).report
    report.status = "closed"
    db.session.commit()
    return report


def closed_case(school, *people: CasePerson, hold: bool = False, reports=()) -> Case:
    case = Case(school_id=school.id, reference=f"C-{next(_refs):04d}", status="closed",
                closed_at=CLOSED_AT, legal_hold=hold, people=list(people))
    db.session.add(case)
    db.session.flush()
    for report in reports:
        report.case_id = case.id
    db.session.commit()
    return case


def person(dob: date | None = None, label: str = "Pupil A") -> CasePerson:
    return CasePerson(label=label, role="harmed", date_of_birth=dob)


def due(now: datetime) -> retention.Plan:
    return retention.due_for_deletion(db.session, now, POLICY)


def test_an_anonymous_report_goes_a_year_after_it_was_last_worked_on(make):
    report = closed_report(make, make.school())
    closed = retention.last_activity(db.session, report)
    kept = retention.for_report(db.session, report, POLICY)
    assert kept.kind == retention.ANONYMOUS
    assert kept.delete_after == closed + timedelta(days=365)
    assert kept.label.startswith("Anonymous, no child identified: deleted 365 days after it is "
                                 "closed (on or after")
    assert due(closed + timedelta(days=365, seconds=-1)).reports == []
    assert [i.public_id for i in due(closed + timedelta(days=365)).reports] == [report.public_id]


def test_a_later_message_moves_the_date_on(make):
    report = closed_report(make, make.school())
    later = retention.last_activity(db.session, report) + timedelta(days=30)
    db.session.add(ReportMessage(report_id=report.id, author="staff", body="x", created_at=later))
    db.session.commit()
    assert retention.for_report(db.session, report, POLICY).delete_after == \
        later + timedelta(days=365)


@pytest.mark.parametrize("fields", [{"reporter_name": "Sam"}, {"friend_name": "Kai"}])
def test_a_pupil_who_gives_a_name_makes_it_a_child_protection_record(make, fields):
    report = closed_report(make, make.school(), **fields)
    kept = retention.for_report(db.session, report, POLICY)
    closed = retention.last_activity(db.session, report)
    assert kept.kind == retention.CHILD
    assert kept.delete_after == closed.replace(year=closed.year + 25)
    assert "25 years after it is closed" in kept.label


def test_a_staff_concern_is_a_child_protection_record(make):
    report = make.report(make.school()).report
    report.source = "staff"
    report.status = "closed"
    db.session.commit()
    assert retention.for_report(db.session, report, POLICY).kind == retention.CHILD


def test_an_open_report_is_never_due_but_still_shows_its_class(make):
    report = make.report(make.school()).report
    kept = retention.for_report(db.session, report, POLICY)
    assert kept.delete_after is None
    assert kept.label == "Anonymous, no child identified: deleted 365 days after it is closed."
    assert due(datetime(2200, 1, 1)).reports == []


def test_a_case_about_a_child_is_kept_until_their_date_of_birth_plus_25_years(make):
    school = make.school()
    case = closed_case(school, person(date(2011, 5, 1)), person(date(2012, 9, 3)))
    kept = retention.for_case(db.session, case, POLICY)
    assert kept.kind == retention.CHILD
    assert kept.delete_after == datetime(2037, 9, 3)  # the youngest child's
    assert kept.label == ("Child-protection record: kept until the youngest child's date of "
                          "birth plus 25 years (on or after 3 September 2037).")
    assert due(datetime(2037, 9, 2)).cases == []
    assert [i.public_id for i in due(datetime(2037, 9, 3)).cases] == [case.public_id]


def test_without_every_date_of_birth_a_case_is_kept_25_years_after_closing(make):
    case = closed_case(make.school(), person(date(2011, 5, 1)), person(None))
    assert retention.for_case(db.session, case, POLICY).delete_after == datetime(2050, 7, 18,
                                                                                 15, 0)


def test_a_child_linked_to_the_directory_follows_the_directorys_date_of_birth(make):
    school = make.school()
    pupil = Pupil(school_id=school.id, upn="A1", legal_first="Maisie", legal_last="Adebayo",
                  date_of_birth=date(2013, 3, 4))
    db.session.add(pupil)
    db.session.flush()
    linked = CasePerson(label="Mai", role="harmed", pupil_id=pupil.id)
    case = closed_case(school, person(date(2011, 5, 1)), linked)
    kept = retention.for_case(db.session, case, POLICY)
    assert kept.delete_after == datetime(2038, 3, 4)  # her date of birth + 25 years
    assert "youngest child's date of birth plus 25 years" in kept.label
    assert due(datetime(2038, 3, 3)).cases == []
    assert [i.public_id for i in due(datetime(2038, 3, 4)).cases] == [case.public_id]


def test_a_29_february_birthday_counts_on_1_march(make):
    case = closed_case(make.school(), person(date(2012, 2, 29)))
    assert retention.for_case(db.session, case, POLICY).delete_after == datetime(2037, 3, 1)


def test_a_case_with_only_anonymous_reports_is_anonymous(make):
    school = make.school()
    report = make.report(school).report
    case = closed_case(school, reports=[report])
    kept = retention.for_case(db.session, case, POLICY)
    assert (kept.kind, kept.delete_after) == (retention.ANONYMOUS,
                                              CLOSED_AT + timedelta(days=365))
    assert retention.retention_class(db.session, report, POLICY) == kept


def test_a_case_holding_a_named_pupils_report_is_about_a_child(make):
    school = make.school()
    case = closed_case(school, reports=[make.report(school, reporter_name="Sam").report])
    assert retention.for_case(db.session, case, POLICY).kind == retention.CHILD


def test_an_open_case_is_never_due(make):
    case = closed_case(make.school(), person(date(1990, 1, 1)))
    case.status = "open"
    db.session.commit()
    assert due(datetime(2200, 1, 1)).cases == []


def test_a_legal_hold_keeps_a_case_past_its_date(make):
    school = make.school()
    held = closed_case(school, hold=True)
    kept = retention.for_case(db.session, held, POLICY)
    assert kept.label.startswith("On legal hold: will not be deleted.")
    plan = retention.delete_due(db.session, datetime(2100, 1, 1), POLICY)
    db.session.commit()
    assert [i.public_id for i in plan.held] == [held.public_id] and plan.cases == []
    assert db.session.get(Case, held.id) is not None


def rich_case(make, school) -> tuple[Case, Report]:
    """A closed case with something in every table that hangs off it."""
    report = make.report(school, places=(Place("instagram", "@oak_baitout"),)).report
    case = closed_case(school, reports=[report])
    referral = Referral(school_id=school.id, case_id=case.id, recipient_kind="posh")
    db.session.add_all([
        ReportMessage(report_id=report.id, author="pupil", body="more"),
        TimelineEvent(school_id=school.id, case_id=case.id, kind="note", text="a note"),
        TimelineEvent(school_id=school.id, report_id=report.id, kind="note", text="a note"),
        ChecklistItem(case_id=case.id, rule_id="r1", text="do it"),
        Sighting(school_id=school.id, case_id=case.id, raw_text="@oak_baitout",
                 account_id=db.session.scalar(select(OnlineAccount.id))),
        OutboxMessage(purpose="alert", to_addresses="a@example.org", subject="s", body="b",
                      report_id=report.id), referral])
    db.session.flush()
    copy = Referral(school_id=school.id, case_id=case.id, recipient_kind="police",
                    copied_from_id=referral.id)
    db.session.add_all([copy, OutboxMessage(purpose="referral", to_addresses="p@example.org",
                                            subject="s", body="b", referral_id=referral.id)])
    casework(make, school, case)
    db.session.commit()
    return case, report


def casework(make, school, case: Case) -> None:
    """A typed entry and its correction, a task, parents told, a plan and a file handed on."""
    child = CasePerson(case_id=case.id, label="S.K.", role="harmed")
    entry = CaseEntry(school_id=school.id, case_id=case.id, kind="call", happened_at=CLOSED_AT,
                      said="Rang home.")
    db.session.add_all([child, entry])
    db.session.flush()
    plan = SafetyPlan(case_id=case.id, person_id=child.id, risks="r", measures="m",
                      responsible="x")
    sent = FileTransfer(school_id=school.id, case_id=case.id, person_id=child.id,
                        to_address="dsl@elsewhere.example.org", state="sent",
                        due_on=CLOSED_AT.date(), export={})
    db.session.add_all([plan, sent, ParentContact(case_id=case.id, person_id=child.id,
                                                  told=False, why_not="w"),
                        CaseEntry(school_id=school.id, case_id=case.id, kind="call",
                                  happened_at=CLOSED_AT, said="Rang home at 4.",
                                  first_id=entry.id, version=2)])
    db.session.flush()
    db.session.add(CaseTask(school_id=school.id, case_id=case.id, what="t", source="entry",
                            entry_id=entry.id, plan_id=plan.id, transfer_id=sent.id,
                            assignee_id=make.user(school, "staff").id, due_on=CLOSED_AT.date()))
    db.session.add(CaseReader(case_id=case.id, user_id=make.user(school, "dsl").id))


def counts() -> dict[str, int]:
    models = (Case, CasePerson, Report, ReportCategory, ReportMessage, Sighting, TimelineEvent,
              ChecklistItem, Referral, OutboxMessage, OnlineAccount, CaseEntry, CaseTask,
              ParentContact, SafetyPlan, FileTransfer, CaseReader)
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in models}


def test_deleting_a_case_takes_everything_that_hangs_off_it_and_nothing_else(make):
    school = make.school()
    keep_case, keep_report = rich_case(make, school)
    keep_case.status = "open"
    db.session.commit()
    before = counts()
    gone_case, gone_report = rich_case(make, school)
    gone_ids = (gone_case.public_id, gone_report.public_id)
    # Its casework names a child, so it is kept as a child's file: 25 years.
    plan = retention.delete_due(db.session, CLOSED_AT + timedelta(days=366 * 26), POLICY)
    db.session.commit()
    assert [i.public_id for i in plan.cases] == [gone_ids[0]]
    assert counts() == before  # the open case and the register entry are untouched
    deleted = db.session.execute(select(AuditEvent.action, AuditEvent.record_type,
                                        AuditEvent.record_id, AuditEvent.user_id)).all()
    assert sorted(deleted) == sorted([("retention_delete", "case", gone_ids[0], None),
                                      ("retention_delete", "report", gone_ids[1], None)])


def test_a_dry_run_deletes_nothing(make):
    report = closed_report(make, make.school())
    plan = due(datetime(2200, 1, 1))
    assert [i.public_id for i in plan.reports] == [report.public_id]
    assert db.session.get(Report, report.id) is not None


def test_a_later_report_that_follows_a_deleted_one_stays_without_the_link(make):
    school = make.school()
    earlier = closed_report(make, school)
    later = make.report(school, follows_earlier=True, earlier_about="the page").report
    later.follows_report_id = earlier.id
    db.session.commit()
    gone, later_id = earlier.public_id, later.id
    plan = retention.delete_due(db.session, datetime(2200, 1, 1), POLICY)
    db.session.commit()
    assert [i.public_id for i in plan.reports] == [gone]
    kept = db.session.get(Report, later_id)
    assert kept is not None and kept.follows_report_id is None and kept.follows_earlier


def test_every_link_to_a_deleted_record_is_handled():
    """A new table pointing at a report, case or referral must be added to the deletion."""
    targets = {"report", "case_file", "referral"}
    links = {(table.name, fk.parent.name) for table in db.metadata.tables.values()
             for fk in table.foreign_keys if fk.column.table.name in targets}
    assert links == retention.DELETED_WITH


def test_the_summary_names_counts_and_ids_only(make):
    school = make.school()
    report = closed_report(make, school, narrative="Alex was sent a picture")
    held = closed_case(school, person(date(2000, 1, 1), label="Alex Smith"), hold=True)
    summary = due(datetime(2200, 1, 1)).summary()
    assert summary == (f"cases: 0 (none); reports without a case: 1 ({report.public_id}); "
                       f"kept for legal hold: 1 ({held.public_id}); "
                       f"files received from other schools: 0 (none)")


def test_the_page_partial_shows_the_class_of_a_case_or_a_report(app, make):
    from flask import render_template_string

    school = make.school()
    case = closed_case(school, person(date(2011, 5, 1)), hold=True)
    report = make.report(school).report
    with app.test_request_context():
        shown = render_template_string('{% include "triage/_retention.html" %}', case=case)
        alone = render_template_string('{% include "triage/_retention.html" %}', report=report)
        chosen = render_template_string(
            '{% set retention_record = report %}{% include "triage/_retention.html" %}',
            case=case, report=report)
    assert shown == ('<p class="retention"><strong>Retention:</strong> On legal hold: will not '
                     'be deleted. Child-protection record: kept until the youngest child&#39;s '
                     'date of birth plus 25 years (on or after 1 May 2036).</p>')
    assert "Anonymous, no child identified: deleted 365 days after it is closed." in alone
    assert "Anonymous" in chosen


def received(school, born: str | None, accepted: datetime) -> ReceivedFile:
    kept = ReceivedFile(school_id=school.id, from_school="Oak Academy", sent_at=accepted,
                        accepted_at=accepted, accepted_by="Ms Elm",
                        export={"child": {"name": "S.K.", "date_of_birth": born}})
    db.session.add(kept)
    db.session.commit()
    return kept


def test_a_file_received_from_another_school_is_kept_as_a_child_protection_record(make):
    school = make.school()
    older = received(school, "2000-01-01", CLOSED_AT)   # 25 on 1 January 2025
    younger = received(school, "2012-05-01", CLOSED_AT)
    undated = received(school, None, CLOSED_AT)         # 25 years after it was accepted
    ids = older.public_id, younger.public_id, undated.public_id
    assert [k.public_id for k in due(datetime(2030, 1, 1)).received] == [ids[0]]
    assert [k.public_id for k in due(datetime(2050, 7, 19)).received] == list(ids)
    plan = retention.delete_due(db.session, datetime(2030, 1, 1), POLICY)
    db.session.commit()
    assert [k.public_id for k in plan.received] == [ids[0]]
    assert sorted(db.session.scalars(select(ReceivedFile.public_id))) == sorted(ids[1:])
    assert db.session.execute(select(AuditEvent.action, AuditEvent.record_type,
                                     AuditEvent.record_id)).all() == [
        ("retention_delete", "received_file", ids[0])]
