"""A pupil who lost their code words tells us again, saying it follows an earlier report; the
DSL sees what they remembered and links the two reports, on both pages, audited, and never
across schools."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Membership, Report
from tests.factories import sign_in

PUPIL = {"environ_base": {"REMOTE_ADDR": "192.0.2.10"}}
REMEMBERED = "the page copying my netball photos"


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_code_page_says_exactly_what_to_do_when_the_code_is_lost(client, school):
    page = text_of(client.get("/follow-up").get_data(as_text=True))
    assert "Lost your code words?" in page
    assert "we can't look them up for you" in page
    assert "open Told us before?" in page
    assert "Say roughly when you told us and what it was about." in page
    assert 'href="/">Go to your school' in client.get("/follow-up").get_data(as_text=True)


def test_a_new_report_says_it_follows_an_earlier_one_with_what_the_pupil_remembers(
        client, school):
    form = client.get("/tell/oak").get_data(as_text=True)
    assert "Told us before?" in form
    assert "I told you about this before, but I lost my code words" in form
    sent = client.post("/tell/oak", data={
        "about": "self", "narrative": "It is back up again", "told_before": "y",
        "earlier_when": "this_week", "earlier_about": REMEMBERED}, **PUPIL)
    assert "Sent. Thank you." in sent.get_data(as_text=True)
    report = db.session.scalar(select(Report))
    assert (report.follows_earlier, report.earlier_when, report.earlier_about) == (
        True, "this_week", REMEMBERED)


def test_a_problem_keeps_what_the_pupil_remembered(client, school):
    page = client.post("/tell/oak", data={
        "narrative": "It is back up again", "told_before": "y", "earlier_when": "today",
        "earlier_about": REMEMBERED}, **PUPIL).get_data(as_text=True)
    assert "Please choose who this is about." in page
    assert f'value="{REMEMBERED}"' in page and 'checked id="earlier_when-0"' in page
    assert re.search(r'<details class="more" id="told-before" open>', page)
    assert db.session.scalar(select(Report)) is None


def lost_code_report(make, school, **remembered):
    earlier = make.report(school, narrative="A fake account of me").report
    later = make.report(school, narrative="It is back up again", follows_earlier=True,
                        earlier_when="this_week", earlier_about=REMEMBERED, **remembered).report
    later.received_at = earlier.received_at + timedelta(days=2)
    db.session.commit()
    return earlier, later


def report_page(client, report) -> str:
    return text_of(client.get(f"/staff/triage/reports/{report.public_id}").get_data(as_text=True))


def test_the_dsl_sees_the_note_and_links_it_to_the_earlier_report_shown_on_both(
        client, make, school, dsl):
    earlier, later = lost_code_report(make, school)
    sign_in(client, dsl)
    page = report_page(client, later)
    assert "The pupil says this follows a report they made before" in page
    assert "Roughly when they told us This week" in page
    assert f"What it was about, as they remember {REMEMBERED}" in page
    assert "Which earlier report does it follow?" in page

    linked = client.post(f"/staff/triage/reports/{later.public_id}/link-earlier",
                         data={"earlier": earlier.public_id})
    assert linked.status_code == 302
    db.session.refresh(later)
    assert later.follows_report_id == earlier.id
    after = client.get(f"/staff/triage/reports/{later.public_id}").get_data(as_text=True)
    assert "This report follows the earlier report" in text_of(after)
    assert f'href="/staff/triage/reports/{earlier.public_id}"' in after
    before = client.get(f"/staff/triage/reports/{earlier.public_id}").get_data(as_text=True)
    assert "A later report follows this one" in text_of(before)
    assert f'href="/staff/triage/reports/{later.public_id}"' in before
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "link_earlier")).all()
    assert sorted((r.record_id, r.user_id) for r in rows) == sorted(
        [(earlier.public_id, dsl.id), (later.public_id, dsl.id)])


def test_a_report_is_never_linked_to_another_schools_report(client, make, school, dsl):
    _, later = lost_code_report(make, school)
    elsewhere = make.report(make.school("elm"), narrative="Elm's report").report
    sign_in(client, dsl)
    refused = client.post(f"/staff/triage/reports/{later.public_id}/link-earlier",
                          data={"earlier": elsewhere.public_id})
    assert refused.status_code == 404
    # Even for a safeguarding lead of both schools.
    db.session.add(Membership(user_id=dsl.id, school_id=elsewhere.school_id, role="dsl"))
    db.session.commit()
    refused = client.post(f"/staff/triage/reports/{later.public_id}/link-earlier",
                          data={"earlier": elsewhere.public_id})
    assert refused.status_code == 404
    db.session.refresh(later)
    assert later.follows_report_id is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "link_earlier")) is None
    # The other school's report is not even offered.
    assert "Elm&#39;s report" not in client.get(
        f"/staff/triage/reports/{later.public_id}").get_data(as_text=True)


def test_a_report_can_only_follow_one_that_arrived_before_it(client, make, school, dsl):
    earlier, later = lost_code_report(make, school)
    sign_in(client, dsl)
    refused = client.post(f"/staff/triage/reports/{earlier.public_id}/link-earlier",
                          data={"earlier": later.public_id})
    assert refused.status_code == 400
    assert "Choose a report that arrived before this one." in refused.get_data(as_text=True)
    db.session.refresh(earlier)
    assert earlier.follows_report_id is None
