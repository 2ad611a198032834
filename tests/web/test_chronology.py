"""A case's chronology: everything on it in time order, with who and when; links stay inert."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Case, ReportMessage, TimelineEvent
from schoolsafe.models.base import utcnow


@pytest.fixture
def dsl(make, school):
    return make.user(school, "dsl", email="lead@oak.example")


def open_case(client, report) -> Case:
    response = client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    public_id = response.headers["Location"].rsplit("/", 1)[1]
    return db.session.scalar(select(Case).where(Case.public_id == public_id))


def chronology_html(client, case) -> str:
    page = client.get(f"/staff/triage/cases/{case.public_id}").get_data(as_text=True)
    return page.split('<ol class="chronology">')[1].split("</ol>")[0]


def entries(html: str) -> list[str]:
    """Each entry's heading line (kind - who), in the order shown."""
    return [" ".join(re.sub(r"<[^>]+>", "", m).split())
            for m in re.findall(r'<p class="entry-meta">(.*?)</time>', html, re.S)]


def test_everything_on_the_case_in_time_order_with_who(dsl_client, make, school, dsl):
    start = utcnow() - timedelta(days=2)
    report = make.report(school, narrative="They made a page about me.").report
    report.received_at = start
    db.session.add(ReportMessage(report_id=report.id, author="pupil", body="It is still up.",
                                 created_at=start + timedelta(hours=1)))
    db.session.commit()
    case = open_case(dsl_client, report)
    dsl_client.post(f"/staff/triage/reports/{report.public_id}/reply",
                    data={"body": "Thank you for telling us."})
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/notes",
                    data={"body": "Spoke to the pupil at break."})
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/people",
                    data={"label": "Pupil A", "role": "harmed"})
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/status", data={"status": "open"})
    html = chronology_html(dsl_client, case)
    assert entries(html)[:2] == [f"Report received - Pupil, {start:%d %b %Y %H:%M}",
                                 f"Message from the pupil - Pupil, "
                                 f"{start + timedelta(hours=1):%d %b %Y %H:%M}"]
    kinds = [line.split(" - ")[0] for line in entries(html)]
    # Opening the case also makes its containment checklist, which the chronology records.
    assert kinds == ["Report received", "Message from the pupil", "Action", "Checklist",
                     "Reply to the pupil", "Note", "People", "Status"]
    assert all(f"- {dsl.name}," in line for line in entries(html)[2:])
    for text in ("They made a page about me.", "It is still up.", "Thank you for telling us.",
                 "Spoke to the pupil at break.", "Added Pupil A as: Harmed.",
                 "Status changed from New to Open."):
        assert text in html


def test_entries_others_write_are_shown_generically_with_who_and_when(dsl_client, make, school,
                                                                     dsl):
    case = open_case(dsl_client, make.report(school).report)
    later = utcnow() + timedelta(minutes=5)
    db.session.add_all([
        TimelineEvent(school_id=school.id, case_id=case.id, kind="checklist",
                      text="Reported the page to the platform: done.", actor_id=dsl.id, at=later),
        TimelineEvent(school_id=school.id, case_id=case.id, kind="police_contact",
                      text="Officer called back.", actor_id=None,
                      at=later + timedelta(minutes=1)),
    ])
    db.session.commit()
    lines = entries(chronology_html(dsl_client, case))
    assert lines[-2] == f"Checklist - {dsl.name}, {later:%d %b %Y %H:%M}"
    assert lines[-1].startswith("Police contact - schoolsafe, ")


def test_messages_of_every_linked_report_are_in_the_chronology(dsl_client, make, school):
    first = make.report(school).report
    second = make.report(school).report
    db.session.add(ReportMessage(report_id=second.id, author="pupil", body="Me too, same page."))
    db.session.commit()
    case = open_case(dsl_client, first)
    dsl_client.post(f"/staff/triage/reports/{second.public_id}/add-to-case",
                    data={"case": case.public_id})
    html = chronology_html(dsl_client, case)
    assert "Me too, same page." in html
    assert html.count('class="entry entry-report"') == 2


def test_links_typed_by_pupils_are_inert_text_with_a_warning(dsl_client, make, school):
    report = make.report(school, narrative="Look at https://evil.example.com/page?x=1 and "
                                           "www.bait.example.org now").report
    db.session.add(ReportMessage(report_id=report.id, author="pupil",
                                 body="also tiktok.com/@fake_me"))
    db.session.commit()
    case = open_case(dsl_client, report)
    html = chronology_html(dsl_client, case)
    for link in ("https://evil.example.com/page?x=1", "www.bait.example.org",
                 "tiktok.com/@fake_me"):
        assert f'<span class="inert-url">{link.replace("&", "&amp;")}</span>' in html
    assert "<a href=\"https://evil" not in html and "href=\"www." not in html
    assert html.count("This has a link typed by a pupil.") == 2
    assert "don't open it on a school device" in html


def test_notes_are_plain_text(dsl_client, make, school):
    case = open_case(dsl_client, make.report(school).report)
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/notes",
                    data={"body": "<b>bold</b> <script>alert(1)</script>\nsecond line"})
    html = chronology_html(dsl_client, case)
    assert "&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;\nsecond line" in html
    assert "<script>" not in html


def test_an_empty_or_image_note_is_refused_and_kept(dsl_client, make, school):
    case = open_case(dsl_client, make.report(school).report)
    response = dsl_client.post(f"/staff/triage/cases/{case.public_id}/notes", data={"body": "  "})
    assert response.status_code == 400
    assert "Please type the note first." in response.get_data(as_text=True)
    pasted = "see data:image/png;base64,iVBORw0KGgo"
    response = dsl_client.post(f"/staff/triage/cases/{case.public_id}/notes",
                               data={"body": pasted})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "never copy images into the record" in page
    assert f">{pasted}</textarea>" in page
    assert db.session.scalars(select(TimelineEvent).where(
        TimelineEvent.kind == "note")).all() == []
