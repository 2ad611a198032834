"""An allegations contact who is not a safeguarding lead: the chair of governors (and the head
teacher) opens and works the reports about staff routed to them, and finds nothing else.

A chair made a DSL just to read an allegation would see every pupil's reports; instead the
workspace lets them in for what is theirs - the queue, counts, search, the report and case
pages, the checklist, the LADO note - and answers 404 for any other record and 403 for the
pupil directory, the register, insight and files handed on.
"""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Case, CasePerson, OutboxMessage, Pupil, Referral, Report
from schoolsafe.services.cases.opening import open_case
from schoolsafe.services.register.linking import Place
from schoolsafe.vocab import AuditAction, ReferralState, Role
from tests.factories import PASSWORD, sign_in
from tests.web.test_staff_allegations import signed_in, staff

LADO = "lado@council.example.org"
# What each report says: the everyday one the DSL works, and one about each contact's colleague.
EVERYDAY_PLACE = "@oak_baitout"
ABOUT_HEAD = {"accused_who": "Mrs Whitfield", "place1-text": "whitfield_snap",
              "narrative": "She sends me messages at night"}
ABOUT_TEACHER = {"accused_who": "Mr Jones", "place1-text": "mr_jones_snap",
                 "narrative": "He keeps asking for photos"}


def tells(client, about: dict[str, str]) -> Report:
    response = client.post("/tell/oak", data={
        "about": "self", "choices": ["asked_for_nudes"], "about_staff": "y",
        "place1-platform": "snapchat", **about})
    assert response.status_code == 200
    return db.session.scalar(select(Report).order_by(Report.id.desc()))


@pytest.fixture
def oak(app, make, client):
    """Oak: a DSL with an everyday report, case and referral; a head teacher and a chair of
    governors who hold only their contact roles; one pupil report naming the head (the chair's)
    and one naming a teacher (the head's)."""
    school = make.school("oak")
    people = {"dsl": staff(make, school, "Dee Lead", Role.DSL),
              "head": staff(make, school, "Ann Whitfield", Role.CASE_MANAGER),
              "chair": staff(make, school, "Cal Chair", Role.CHAIR)}
    everyday = make.report(school, choices=("rumours",),
                           places=(Place("instagram", EVERYDAY_PLACE),)).report
    case = open_case(db.session, everyday, people["dsl"].id)
    referral = Referral(school_id=school.id, case_id=case.id, recipient_kind="police")
    db.session.add(referral)
    db.session.commit()
    theirs = {"chair": tells(client, ABOUT_HEAD), "head": tells(client, ABOUT_TEACHER)}
    assert (theirs["chair"].restricted_to, theirs["head"].restricted_to) == (
        Role.CHAIR, Role.CASE_MANAGER)
    others = {"report": everyday.public_id, "case": case.public_id,
              "referral": referral.public_id, "reference": case.reference}
    return school, people, theirs, others


def alerted(report: Report) -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.to_addresses)
                                   .where(OutboxMessage.report_id == report.id)))


def test_a_chair_who_is_not_a_dsl_opens_the_report_naming_the_head_and_sends_the_lado_note(
        app, oak):
    school, people, theirs, _others = oak
    chair, report = people["chair"], theirs["chair"]
    assert chair.roles_in(school.id) == {Role.CHAIR}
    assert alerted(report) == [chair.email]

    client = app.test_client()
    # The password alone is not enough: the role asks for the second factor.
    first = client.post("/staff/sign-in", data={"email": chair.email, "password": PASSWORD})
    assert first.headers["Location"].startswith("/staff/two-factor")
    assert client.get("/staff/triage/").status_code == 302
    client = app.test_client()
    # Signed in, they start at their reports (not at a page their roles refuse).
    assert sign_in(client, chair).headers["Location"] == "/staff/triage/"
    queue = client.get("/staff/triage/").get_data(as_text=True)
    assert report.public_id in queue and "<strong>1</strong> not yet acknowledged" in queue

    page = html.unescape(client.get(f"/staff/triage/reports/{report.public_id}")
                         .get_data(as_text=True))
    assert "In their words: Mrs Whitfield" in page and "whitfield_snap" in page
    assert "Only the chair of governors can see this." in page
    opened = client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    assert opened.status_code == 302
    case = db.session.scalar(select(Case).where(Case.id == report.case_id))
    pupil = Pupil(school_id=school.id, upn="A1", legal_first="Maisie", legal_last="Adebayo")
    db.session.add(pupil)
    db.session.flush()
    case.people.append(CasePerson(label="Pupil A", role="harmed", pupil_id=pupil.id))
    db.session.commit()
    case_page = client.get(f"/staff/triage/cases/{case.public_id}").get_data(as_text=True)
    assert "Whitfield" in case_page
    # No way into the pupil directory or the files handed on, which are the DSLs'.
    assert "Maisie Adebayo" in case_page
    for link in ("/staff/triage/pupils", "match=", "/people/left", "/transfer",
                 "Pupils who have left"):
        assert link not in case_page, link
    client.post(f"/staff/triage/cases/{case.public_id}/checklist")
    checklist = html.unescape(client.get(f"/staff/triage/cases/{case.public_id}/checklist")
                              .get_data(as_text=True))
    assert "Do not investigate" in checklist

    drafted = client.post(f"/staff/triage/cases/{case.public_id}/referrals", data={"kind": "lado"})
    assert drafted.status_code == 302
    note = db.session.scalar(select(Referral).where(Referral.case_id == case.id))
    page = html.unescape(client.get(f"/staff/triage/referrals/{note.public_id}")
                         .get_data(as_text=True))
    assert "The school has not investigated" in page and "whitfield_snap" in page
    sent = client.post(f"/staff/triage/referrals/{note.public_id}", data={
        "subject": note.subject, "body": note.body, "to": LADO, "action": "send"})
    assert sent.status_code == 302
    db.session.refresh(note)
    assert note.state == ReferralState.SENT
    assert LADO in db.session.scalar(select(OutboxMessage.to_addresses)
                                     .where(OutboxMessage.referral_id == note.id))


@pytest.mark.parametrize("who", ["chair", "head"])
def test_a_contact_who_is_not_a_dsl_finds_nothing_but_their_own(app, oak, who):
    school, people, theirs, others = oak
    assert people[who].roles_in(school.id).isdisjoint({Role.DSL, Role.STAFF})
    mine = theirs[who]
    colleague = theirs["head" if who == "chair" else "chair"]
    client = signed_in(app, people[who])
    hidden = (others["report"], others["case"], others["referral"], others["reference"],
              colleague.public_id, EVERYDAY_PLACE, ABOUT_HEAD["narrative"] if who == "head"
              else ABOUT_TEACHER["narrative"])
    for path in ("/staff/triage/", "/staff/triage/?status=all",
                 "/staff/triage/?status=all&q=snap", "/staff/triage/cases?status=all",
                 "/staff/triage/tasks", "/staff/triage/tasks?show=done"):
        response = client.get(path)
        assert response.status_code == 200, path
        text = html.unescape(response.get_data(as_text=True))
        for secret in hidden:
            assert secret not in text, (path, secret)
    queue = client.get("/staff/triage/?status=all").get_data(as_text=True)
    assert mine.public_id in queue
    # Counted alone, and not told of the others that exist.
    assert "<strong>1</strong> not yet acknowledged" in queue
    assert "about a member of staff. Only" not in queue

    for path in (f"/staff/triage/reports/{others['report']}",
                 f"/staff/triage/reports/{colleague.public_id}",
                 f"/staff/triage/cases/{others['case']}",
                 f"/staff/triage/cases/{others['case']}/checklist",
                 f"/staff/triage/cases/{others['case']}/export",
                 f"/staff/triage/referrals/{others['referral']}"):
        assert client.get(path).status_code == 404, path
    # Each try is in the audit trail, saying what was reached for.
    tried = set(db.session.execute(select(AuditEvent.action, AuditEvent.record_id).where(
        AuditEvent.user_id == people[who].id)).all())
    assert {(AuditAction.CONTACT_REFUSED, others["report"]),
            (AuditAction.CONTACT_REFUSED, others["case"]),
            (AuditAction.CONTACT_REFUSED, others["referral"]),
            (AuditAction.RESTRICTED_REFUSED, colleague.public_id)} <= tried
    for path in ("/staff/register/", "/staff/insight/", "/staff/insight/export.csv",
                 "/staff/triage/pupils", "/staff/triage/transfers", "/staff/concerns/",
                 "/staff/admin/"):
        assert client.get(path).status_code == 403, path

    # The navigation offers what they can use and nothing else.
    nav = client.get("/staff/triage/").get_data(as_text=True)
    for link in ("/staff/triage/", "/staff/triage/cases", "/staff/triage/tasks"):
        assert f'href="{link}"' in nav, link
    for link in ("/staff/triage/pupils", "/staff/register/", "/staff/insight/",
                 "/staff/triage/transfers", "/staff/concerns/"):
        assert f'href="{link}"' not in nav, link

    # The school's DSL still works the everyday report, and sees nothing of the contacts'.
    dsl = signed_in(app, people["dsl"])
    queue = dsl.get("/staff/triage/?status=all").get_data(as_text=True)
    assert others["report"] in queue and mine.public_id not in queue
    assert "2 reports are about a member of staff" in queue


def test_the_admin_is_not_asked_to_make_a_contact_a_safeguarding_lead(app, make, oak):
    school, _people, _theirs, _others = oak
    admin = signed_in(app, make.user(school, Role.ADMIN))
    overview = html.unescape(admin.get("/staff/admin/").get_data(as_text=True))
    assert "Cal Chair is an allegations contact" not in overview
    assert "not a safeguarding lead" not in overview


def test_the_head_who_is_not_a_dsl_takes_their_case_and_is_given_no_task_on_another(
        app, oak):
    _school, people, theirs, others = oak
    head = people["head"]
    client = signed_in(app, head)
    report = theirs["head"]
    client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    case = db.session.scalar(select(Case).where(Case.id == report.case_id))
    taken = client.post(f"/staff/triage/cases/{case.public_id}/assign",
                        data={"assignee": head.public_id})
    assert taken.status_code == 302
    db.session.refresh(case)
    assert case.assigned_to_id == head.id

    # The DSL is not offered the head for a task on an everyday case the head cannot open.
    dsl = signed_in(app, people["dsl"])
    page = dsl.get(f"/staff/triage/cases/{others['case']}").get_data(as_text=True)
    assert f'value="{head.public_id}"' not in page
    refused = dsl.post(f"/staff/triage/cases/{others['case']}/tasks", data={
        "task_what": "Ring the parent", "task_assignee": head.public_id,
        "task_due": "2030-01-31"})
    assert refused.status_code == 400
    assert "from this school's staff" in html.unescape(refused.get_data(as_text=True))
