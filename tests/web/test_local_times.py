"""Staff and pupils read every time in their school's own time zone, not in UTC.

Times are stored as naive UTC. Each test makes its records through the app, then moves every
timestamp to one fixed instant, so the hour each page shows can be checked exactly.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

import pytest
from sqlalchemy import select, update

from schoolsafe.extensions import db
from schoolsafe.models import (
    AuditEvent,
    Case,
    OnlineAccount,
    OutboxMessage,
    Referral,
    Report,
    ReportMessage,
    TimelineEvent,
)
from schoolsafe.services.register.linking import Place
from schoolsafe.services.reports import followup
from tests.factories import sign_in

SUMMER = datetime(2025, 6, 11, 10, 0)   # 11:00 in London (BST), 12:00 in Stockholm (CEST)
WINTER = datetime(2025, 1, 15, 10, 0)   # 10:00 in London (GMT)
PUPIL = {"environ_base": {"REMOTE_ADDR": "192.0.2.10"}}


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def every_time_at(instant: datetime) -> None:
    """Move every stored time of the test's records to one instant (audit rows can't be
    changed, so the tests add one at the instant instead)."""
    for model, columns in ((Report, ("received_at",)), (Case, ("opened_at",)),
                           (TimelineEvent, ("at",)),
                           (ReportMessage, ("created_at",)),
                           (OutboxMessage, ("created_at", "next_attempt_at")),
                           (OnlineAccount, ("first_seen", "last_seen")),
                           (Referral, ("created_at",))):
        db.session.execute(update(model).values({column: instant for column in columns}))
    db.session.commit()


@pytest.fixture
def world(client, make):
    """A school's DSL (also its admin) with a report that names an account, made into a case
    with a note, and a reply to the pupil; returns a function that sets the school's zone."""
    school = make.school("oak")
    dsl = make.user(school, "dsl")
    make.user(school, "admin", email=dsl.email)  # the same person, also the school's admin
    submitted = make.report(school, narrative="A page is posting about me.",
                            places=(Place("instagram", "@oak_gossip_page"),))
    report = submitted.report
    followup.add_staff_reply(db.session, report, dsl.id, "Thank you for telling us.")
    db.session.add(OutboxMessage(school_id=school.id, purpose="new_report", report_id=report.id,
                                 to_addresses=dsl.email, subject="A new report is waiting",
                                 body="Sign in to read it."))
    db.session.commit()
    sign_in(client, dsl)
    opened = client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    case = db.session.scalar(select(Case).where(
        Case.public_id == opened.headers["Location"].rsplit("/", 1)[1]))
    client.post(f"/staff/triage/cases/{case.public_id}/notes", data={"body": "Spoke to her."})

    def at(instant: datetime, timezone: str = "Europe/London"):
        school.timezone = timezone
        every_time_at(instant)
        return school, report, case, submitted.code

    return at


def test_a_summer_report_reads_in_british_summer_time_on_every_staff_page(client, world):
    school, report, case, _ = world(SUMMER)
    queue = text(client.get("/staff/triage/"))
    assert "11 Jun 2025 11:00" in queue and "2025 10:00" not in queue
    page = text(client.get(f"/staff/triage/reports/{report.public_id}"))
    assert "Report received 11 Jun 2025 at 11:00" in page
    assert "Staff, 11 Jun 2025 11:00" in page  # the reply to the pupil
    chronology = text(client.get(f"/staff/triage/cases/{case.public_id}"))
    assert "Opened 11 Jun 2025 11:00" in chronology
    assert "Spoke to her." in chronology and "2025 10:00" not in chronology
    db.session.add(AuditEvent(at=SUMMER, school_id=school.id, action="close",
                              record_type="case", record_id=case.public_id))
    db.session.commit()
    audit = text(client.get(f"/staff/triage/cases/{case.public_id}/audit"))
    assert "11 Jun 2025 11:00 Unknown user Closed the case" in audit
    assert "Report received 11 Jun 2025 11:00" in audit and "2025 10:00" not in audit


def test_the_case_page_keeps_a_machine_readable_utc_time(client, world):
    _, _, case, _ = world(SUMMER)
    page = client.get(f"/staff/triage/cases/{case.public_id}").get_data(as_text=True)
    assert '<time datetime="2025-06-11T10:00:00Z">11 Jun 2025 11:00</time>' in page


def test_the_register_entry_and_the_email_list_show_the_schools_time(client, world):
    school, _, _, _ = world(SUMMER)
    account = db.session.scalar(select(OnlineAccount).where(OnlineAccount.school_id == school.id))
    entry = text(client.get(f"/staff/register/entries/{account.public_id}"))
    assert "First named 11 Jun 2025, 11:00" in entry and "2025, 10:00" not in entry
    emails = text(client.get("/staff/admin/email"))
    assert "11 Jun 11:00:00" in emails and "Jun 10:00:00" not in emails
    assert "Times are in the school's time (Europe/London)" in emails and "UTC" not in emails


def test_a_referral_and_its_note_give_the_schools_time(client, world):
    _, _, case, _ = world(SUMMER)
    client.post(f"/staff/triage/cases/{case.public_id}/referrals", data={"kind": "posh"})
    referral = db.session.scalar(select(Referral).order_by(Referral.id.desc()))
    assert "First seen: 11 June 2025, 11:00 BST." in referral.body
    every_time_at(SUMMER)
    page = text(client.get(f"/staff/triage/referrals/{referral.public_id}"))
    assert re.search(r"Drafted .*?, 11 Jun 2025 11:00", page)


def test_a_school_in_stockholm_reads_the_same_instant_as_noon(client, world):
    _, report, case, _ = world(SUMMER, "Europe/Stockholm")
    assert "11 Jun 2025 12:00" in text(client.get("/staff/triage/"))
    assert "Report received 11 Jun 2025 at 12:00" in text(
        client.get(f"/staff/triage/reports/{report.public_id}"))
    assert "Opened 11 Jun 2025 12:00" in text(client.get(f"/staff/triage/cases/{case.public_id}"))


def test_in_winter_london_time_is_the_same_hour_as_utc(client, world):
    _, report, case, _ = world(WINTER)
    assert "15 Jan 2025 10:00" in text(client.get("/staff/triage/"))
    assert "Report received 15 Jan 2025 at 10:00" in text(
        client.get(f"/staff/triage/reports/{report.public_id}"))
    assert "Opened 15 Jan 2025 10:00" in text(client.get(f"/staff/triage/cases/{case.public_id}"))


def test_the_pupil_reads_their_thread_in_the_schools_time(client, world):
    _, _, _, code = world(SUMMER, "Europe/Stockholm")
    client.post("/staff/sign-out")
    thread = text(client.post("/follow-up", data={"code": code}, **PUPIL))
    assert "You first told us on Wednesday 11 June." in thread
    assert "The safeguarding team, 11 June, 12:00" in thread


def test_opening_a_case_writes_the_reports_time_in_school_time_into_the_chronology(app, make):
    from schoolsafe.services.cases import opening as cases

    school = make.school("oak")
    dsl = make.user(school, "dsl")
    report = make.report(school).report
    report.received_at = datetime(2025, 6, 11, 10, 0)
    db.session.commit()
    case = cases.open_case(db.session, report, dsl.id)
    db.session.commit()
    texts = db.session.scalars(select(TimelineEvent.text).where(TimelineEvent.case_id == case.id))
    assert any("received 11 Jun 2025 11:00" in text for text in texts)
