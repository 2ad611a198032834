"""What a service refuses is said on the staff page in the language of the person reading it:
their own choice on their account, over their school's. The catalogues are pretend ones in
which every marked string reads "SV:" + the English (none is translated yet)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Case, LookalikeFlag, TimelineEvent
from schoolsafe.models.base import utcnow
from schoolsafe.services.allegations import clock
from schoolsafe.services.cases import checklist as case_checklist
from schoolsafe.services.cases import opening as cases
from schoolsafe.services.cases import parent_contact, safety_plan
from schoolsafe.services.cases import people as case_people
from schoolsafe.services.cases import work as case_work
from schoolsafe.services.register import linking as register
from schoolsafe.services.register import lookalikes as register_lookalikes
from schoolsafe.services.register import status as register_status
from schoolsafe.services.register.linking import Place
from schoolsafe.vocab import ChecklistDoneWhen, EventKind
from tests.factories import Factory, sign_in
from tests.support.pretend_catalogue import pretend_app
from tests.unit.test_case_checklist_stories import EW
from tests.unit.test_register_linking import SARA_OTHER, case_for, entry, named, removed
from tests.web.test_case_entries import an_hour_ago, entry_form
from tests.web.test_pupils import upload

TOO_LONG = "Please keep this under 1000 characters."


@pytest.fixture
def swedish_app(database_url, tmp_path):
    yield from pretend_app(database_url, tmp_path, sv="SV:")


@pytest.fixture
def oak(swedish_app):
    """An English school with a DSL who reads Swedish, a colleague who doesn't, and a case."""
    make = Factory(swedish_app)
    school = make.school("oak")
    swede, colleague = make.user(school, "dsl"), make.user(school, "dsl")
    swede.language = "sv"
    db.session.commit()
    report = make.report(school).report
    return swedish_app, report, swede, colleague


def test_a_refused_entry_says_why_in_the_staff_members_own_language(oak):
    app, report, swede, colleague = oak
    client = app.test_client()
    sign_in(client, swede)
    case_url = client.post(f"/staff/triage/reports/{report.public_id}/open-case"
                           ).headers["Location"]

    typed = an_hour_ago(colleague, others="x" * 1001)
    refused = client.post(f"{case_url}/entries", data=entry_form(client, case_url, **typed))
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert f"SV:{TOO_LONG}" in page
    assert page.count(TOO_LONG) == page.count(f"SV:{TOO_LONG}")

    english = app.test_client()
    sign_in(english, colleague)
    refused = english.post(f"{case_url}/entries", data=entry_form(english, case_url, **typed))
    assert TOO_LONG in refused.get_data(as_text=True)
    assert f"SV:{TOO_LONG}" not in refused.get_data(as_text=True)


def test_a_refusal_flashed_on_the_next_page_is_in_the_staff_members_own_language(oak):
    app, report, swede, _colleague = oak
    client = app.test_client()
    sign_in(client, swede)
    client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    again = client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    assert "SV:This report is already part of a case." in again.get_data(as_text=True)


def test_the_chronology_is_written_in_the_schools_language_whoever_makes_the_change(
        swedish_app):
    make = Factory(swedish_app)
    school = make.school("ek", language="sv", languages=["sv", "en"])
    dsl = make.user(school, "dsl")
    dsl.language = "en"  # reads the pages in English; the case record stays in Swedish
    db.session.commit()
    report = make.report(school).report
    client = swedish_app.test_client()
    sign_in(client, dsl)
    case_url = client.post(f"/staff/triage/reports/{report.public_id}/open-case"
                           ).headers["Location"]
    client.post(f"{case_url}/status", data={"status": "monitoring"})
    client.post(f"{case_url}/assign", data={"assignee": dsl.public_id})

    written = db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.kind.in_((EventKind.STATUS, EventKind.ASSIGN)))).all()
    assert sorted(written) == sorted([
        "SV:Status changed from SV:New to SV:Monitoring.", f"SV:Assigned to {dsl.name}."])
    page = client.get(case_url).get_data(as_text=True)
    assert f"SV:Assigned to {dsl.name}." in page and '<html lang="en">' in page


def test_the_insight_csv_says_its_own_words_in_the_readers_language(oak):
    app, _report, swede, _colleague = oak
    client = app.test_client()
    sign_in(client, swede)
    response = client.get("/staff/insight/export.csv", query_string={
        "from": "2025-01-01", "to": "2025-03-31", "numbers": "exact"})
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert lines[0] == ["SV:Figure", "SV:Group", "SV:Period", "SV:Count"]
    about = [line for line in lines if line[0] == "SV:About this export"]
    assert [line[1] for line in about][:2] == ["SV:Schools", "SV:Dates"]
    assert ["SV:About this export", "SV:Dates", "", "SV:2025-01-01 to 2025-03-31"] in lines


def test_a_refused_pupil_file_says_why_in_the_readers_language(oak):
    app, _report, swede, _colleague = oak
    client = app.test_client()
    sign_in(client, swede)
    refused = upload(client, "UPN,Förnamn\nA1,Åsa\n".encode("latin-1"))
    assert refused.status_code == 400
    assert "SV:This file is not saved as UTF-8 text" in refused.get_data(as_text=True)
    no_pupils = upload(client, b"UPN,Surname\n")
    assert "SV:This file has no pupils in it" in no_pupils.get_data(as_text=True)


def test_the_register_history_is_written_in_the_schools_language(swedish_app):
    make = Factory(swedish_app)
    school = make.school("ek", language="sv", languages=["sv", "en"])
    dsl = make.user(school, "dsl")
    dsl.language = "en"
    db.session.commit()
    named(make, school, ("instagram", "@brum_beef_100"))
    account = entry(SARA_OTHER)
    client = swedish_app.test_client()
    sign_in(client, dsl)
    client.post(f"/staff/register/entries/{account.public_id}/removed",
                data={"removed_date": "2025-01-10"})

    written = db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.account_id == account.id, TimelineEvent.case_id.is_(None))).all()
    # The date too is in Swedish (Babel's month names), as the chronology writes dates.
    assert "SV:Taken down on 10 jan. 2025." in written


def test_register_lines_of_lookalikes_links_and_reports_are_in_the_schools_language(
        swedish_app):
    make = Factory(swedish_app)
    school = make.school("ek", language="sv", languages=["sv", "en"])
    dsl = make.user(school, "dsl")
    dsl.language = "en"
    db.session.commit()
    first = named(make, school, ("instagram", "@owen_bums_mr_crane"))
    case = case_for(school, first)
    old = removed(entry("instagram:owen_bums_mr_crane"))
    named(make, school, ("instagram", "@0wen_bums_mr_crane2"),
          ("instagram", "@owen_bums_mr_crane3"))
    new, other = entry("instagram:0wen_bums_mr_crane2"), entry("instagram:owen_bums_mr_crane3")
    flags = {f.account_id: f for f in db.session.scalars(select(LookalikeFlag).where(
        LookalikeFlag.similar_id == old.id))}
    register_lookalikes.confirm(db.session, flags[new.id], dsl.id)
    register_lookalikes.dismiss(db.session, flags[other.id], dsl.id)
    register_status.report_to_platform(db.session, old, register_status.PlatformReportInput(
        "in_app", old.first_seen, "123"), dsl.id)
    register_status.report_to_platform(db.session, old, register_status.PlatformReportInput(
        "police", old.first_seen), dsl.id)
    register.add_to_case(db.session, case, Place("instagram", "@owen_bums_mr_crane3"), dsl.id)
    db.session.commit()

    def history(account):
        return db.session.scalars(select(TimelineEvent.text).where(
            TimelineEvent.account_id == account.id, TimelineEvent.case_id.is_(None))
            .order_by(TimelineEvent.id)).all()

    assert history(new)[0] == "SV:Added to the register."
    assert ("SV:May be the same as SV:Instagram @owen_bums_mr_crane (taken down - it may "
            "have come back).") in history(new)
    assert "SV:Confirmed as the same account as Instagram @owen_bums_mr_crane." in history(new)
    assert "SV:Checked: not the same account as Instagram @owen_bums_mr_crane." \
        in history(other)
    assert f"SV:Named in case {case.reference}." in history(other)
    said = history(old)
    assert "SV:A new entry, @0wen_bums_mr_crane2, may be this one come back." in said
    assert "SV:Confirmed as the same account as Instagram @0wen_bums_mr_crane2." in said
    assert ("SV:Reported to Instagram (SV:the report button in the app or on the site), "
            "reference 123.") in said
    assert "SV:Reported to SV:the police." in said
    assert not [line for line in said + history(new) + history(other)
                if not line.startswith("SV:")]



def test_a_reports_history_and_an_overdue_reminder_are_written_in_the_schools_language(
        swedish_app):
    make = Factory(swedish_app)
    school = make.school("ek", language="sv", languages=["sv", "en"])
    dsl = make.user(school, "dsl")
    dsl.language = "en"  # reads the pages in English; what is kept stays in Swedish
    db.session.commit()
    report = make.report(school).report
    client = swedish_app.test_client()
    sign_in(client, dsl)
    client.post(f"/staff/triage/reports/{report.public_id}/urgency",
                data={"level": "immediate", "reason": "Not come home."})
    case_url = client.post(f"/staff/triage/reports/{report.public_id}/open-case"
                           ).headers["Location"]
    case = db.session.get(Case, report.case_id)
    clock.record_reminder(db.session, case, [], utcnow())
    clock.record_reminder(db.session, case, ["head@ek.example"], utcnow())
    db.session.commit()

    written = db.session.scalars(select(TimelineEvent.text).where(TimelineEvent.kind.in_(
        (EventKind.URGENCY_OVERRIDE, EventKind.ESCALATION)))).all()
    assert sorted(written) == sorted([
        "SV:Urgency changed from SV:standard to SV:immediate. Reason: Not come home.",
        "SV:The referral to the designated officer is overdue, and nobody holds the "
        "allegations contact role to remind. An administrator needs to set one.",
        "SV:The referral to the designated officer is overdue. Reminded: head@ek.example."])
    assert '<html lang="en">' in client.get(case_url).get_data(as_text=True)


def test_the_case_workings_chronology_lines_are_written_in_the_schools_language(swedish_app):
    """Details, people, parents told, a safety plan and checklist steps: each line the case
    writes is in the school's language (its dates in Babel's Swedish month names too)."""
    make = Factory(swedish_app)
    school = make.school("ek", language="sv", languages=["sv", "en"])
    dsl = make.user(school, "dsl")
    report = make.report(school).report
    report.received_at = datetime(2025, 6, 11, 10, 0)
    case = cases.open_case(db.session, report, dsl.id)
    case_work.set_details(db.session, case, dsl.id, title="Bilder",
                          categories=["sexualised_bullying", "coercion"],
                          factors=["adult_involved"],
                          posted_by="no")
    kim = case_people.add_person(db.session, case, dsl.id, label="Kim", year_group="",
                                 role="harmed")
    db.session.flush()
    case_people.change_role(db.session, case, kim, "bystander", dsl.id)
    parent_contact.record(db.session, case, kim, dsl.id, told="yes", told_by="Mentorn",
                          told_on="2025-03-05", why_not="")
    safety_plan.write(db.session, case, kim, dsl.id, safety_plan.PlanInput(
        risks="R", measures="M", responsible="Eva", review_on="2026-03-05",
        reviewer=dsl.public_id))
    steps = case_checklist.sync(db.session, case, EW, dsl.id)
    watch = next(step for step in steps if step.rule_id == "watch-return")
    case_checklist.mark(db.session, watch, "not_applicable", "Kontot finns inte", dsl.id)
    case_checklist.tick(db.session, case, EW, ChecklistDoneWhen.REVIEW_DATE_SET, dsl.id)
    db.session.commit()

    written = db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.case_id == case.id)).all()
    assert all(text.startswith("SV:") for text in written), written
    for line in (
            "SV:Opened case ", "11 juni 2025 11:00",
            "SV:Title: Bilder. SV:Categories: SV:Exploitation, coercion and threats; "
            "SV:Sexualised bullying. SV:Factors: SV:An adult is involved. SV:Who posted it: not "
            "known. SV:Urgency now ",
            "SV:Kim: role changed from SV:Harmed to SV:Bystander.",
            "SV:Kim: parents or carers told by Mentorn on 05 mars 2025.",
            "SV:Safety and support plan for Kim, version 1, review on 05 mars 2026.",
            "SV:Review the safety and support plan for Kim.",
            'SV:Checklist step marked not applicable: "Watch for the content or account coming '
            'back". Reason: Kontot finns inte',
            'SV:Checklist step marked done: "Set a review date for this case". Ticked by itself: '
            "a review date was set."):
        assert any(line in text for text in written), (line, written)
