"""Coming back with the code: the thread, the DSL's reply, adding more, and wrong-code limits."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Report, ReportMessage
from tests.factories import sign_in

PUPIL = {"environ_base": {"REMOTE_ADDR": "192.0.2.10"}}
OTHER_NETWORK = {"environ_base": {"REMOTE_ADDR": "192.0.2.99"}}
WRONG = "abandon ability able about above absent"


def submit(client, **answers) -> str:
    response = client.post("/tell/oak", data={"about": "self", "choices": ["rumours"],
                                              **answers}, **PUPIL)
    return re.search(r'<p class="code" id="code">([^<]+)</p>', response.get_data(as_text=True)
                     ).group(1)


def messages(page: str) -> list[tuple[str, str]]:
    return [(who, re.sub(r"\s+", " ", body).strip()) for who, body in re.findall(
        r'<li class="message message-(\w+)">.*?<p class="message-body">(.*?)</p>', page, re.S)]


def test_the_pupil_reads_the_dsls_reply_with_their_code_and_adds_more(client, make):
    school = make.school("oak")
    dsl = make.user(school, "dsl")
    code = submit(client, narrative="A page is posting about me.")
    first = client.post("/follow-up", data={"code": code}, **PUPIL).get_data(as_text=True)
    assert "No replies yet" in first

    staff = client.application.test_client()
    sign_in(staff, dsl)
    report = db.session.scalar(select(Report))
    staff.post(f"/staff/triage/reports/{report.public_id}/reply",
               data={"body": "Thank you. Can you come to room 4 at break?"})

    thread = client.post("/follow-up", data={"code": code}, **PUPIL)
    assert thread.status_code == 200
    assert messages(thread.get_data(as_text=True)) == [
        ("staff", "Thank you. Can you come to room 4 at break?")]
    added = client.post("/follow-up", data={"code": code, "body": "Yes, I will come."}, **PUPIL)
    page = added.get_data(as_text=True)
    assert "We have added that to your messages" in page
    assert messages(page)[-1] == ("pupil", "Yes, I will come.")
    stored = db.session.scalars(select(ReportMessage).order_by(ReportMessage.id)).all()
    assert [(m.author, m.body) for m in stored] == [
        ("staff", "Thank you. Can you come to room 4 at break?"), ("pupil", "Yes, I will come.")]


def test_the_code_is_forgiving_about_case_spaces_hyphens_and_short_words(client, make):
    make.school("oak")
    code = submit(client)
    words = code.split()
    for typed in (code.upper(), "  " + "-".join(words) + " ", " ".join(w[:4] for w in words),
                  "".join(words)):
        response = client.post("/follow-up", data={"code": typed}, **PUPIL)
        assert response.status_code == 200, typed
        assert "Your messages" in response.get_data(as_text=True)


def test_the_code_goes_only_in_post_bodies_never_a_url_or_a_cookie(client, make):
    make.school("oak")
    code = submit(client)
    response = client.post("/follow-up", data={"code": code}, **PUPIL)
    page = response.get_data(as_text=True)
    assert re.search(r'<form method="post" action="/follow-up"', page)
    assert f'<input id="code" name="code" type="hidden" value="{code}">' in page
    assert code.split()[0] not in " ".join(response.headers.getlist("Set-Cookie"))
    assert "Location" not in response.headers


def test_a_wrong_code_gets_a_kind_message_and_keeps_what_was_typed(client, make):
    make.school("oak")
    response = client.post("/follow-up", data={"code": WRONG}, **PUPIL)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "We couldn&#39;t find a report with those words" in page
    assert f'value="{WRONG}"' in page


def test_wrong_codes_are_limited_per_network_and_then_even_a_right_code_waits(
        client, make, app):
    make.school("oak")
    code = submit(client)
    limit = app.config["FOLLOWUP_LIMIT"]
    for _ in range(limit):
        assert client.post("/follow-up", data={"code": WRONG}, **PUPIL).status_code == 400
    blocked = client.post("/follow-up", data={"code": code}, **PUPIL)
    assert blocked.status_code == 429
    assert "too many tries from this network" in blocked.get_data(as_text=True)
    assert "Your messages" not in blocked.get_data(as_text=True)
    # Another network is not affected, and right codes never use up the limit.
    for _ in range(limit + 2):
        assert client.post("/follow-up", data={"code": code}, **OTHER_NETWORK).status_code == 200


def test_adding_with_a_code_that_no_longer_works_keeps_the_message_to_try_again(client, make):
    make.school("oak")
    code = submit(client)
    response = client.post("/follow-up", data={"code": WRONG, "body": "Please read this"},
                           **PUPIL)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'<textarea id="body" name="body"[^>]*>Please read this</textarea>', page)
    assert "We couldn&#39;t find a report with those words" in page
    fixed = client.post("/follow-up", data={"code": code, "body": "Please read this"}, **PUPIL)
    assert messages(fixed.get_data(as_text=True)) == [("pupil", "Please read this")]


def test_a_message_that_is_too_long_or_a_picture_comes_back_with_a_message(client, make):
    make.school("oak")
    code = submit(client)
    too_long = "w" * 3001
    page = client.post("/follow-up", data={"code": code, "body": too_long},
                       **PUPIL).get_data(as_text=True)
    assert "Please keep this under 3000 characters." in page and too_long in page
    picture = client.post("/follow-up", data={"code": code, "body": "data:image/png;base64,AA"},
                          **PUPIL)
    assert picture.status_code == 400
    assert "don&#39;t send pictures" in picture.get_data(as_text=True)
    assert db.session.scalars(select(ReportMessage)).all() == []


def test_html_in_the_thread_is_shown_as_text(client, make):
    make.school("oak")
    code = submit(client)
    client.post("/follow-up", data={"code": code, "body": "<b>bold</b><script>x()</script>"},
                **PUPIL)
    page = client.post("/follow-up", data={"code": code}, **PUPIL).get_data(as_text=True)
    assert "&lt;b&gt;bold&lt;/b&gt;&lt;script&gt;x()&lt;/script&gt;" in page
    assert "<script>x()" not in page


def test_submitting_reading_and_adding_are_audited_without_content(client, make):
    make.school("oak")
    code = submit(client, narrative="secret words")
    client.post("/follow-up", data={"code": code}, **PUPIL)
    client.post("/follow-up", data={"code": code, "body": "more secret words"}, **PUPIL)
    report = db.session.scalar(select(Report))
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.record_type, e.record_id, e.user_id) for e in events] == [
        ("pupil_submitted", "report", report.public_id, None),
        ("pupil_viewed", "report", report.public_id, None),
        ("pupil_added", "report", report.public_id, None),
    ]
    assert report.pupil_returns == 1


def test_times_in_the_thread_are_the_schools_local_time(client, make):
    make.school("oak")
    code = submit(client)
    report = db.session.scalar(select(Report))
    late_evening_utc = datetime(2025, 6, 11, 23, 30)  # 00:30 on Thursday in London (BST)
    report.received_at = late_evening_utc
    db.session.add(ReportMessage(report_id=report.id, author="staff", body="Hello",
                                 created_at=late_evening_utc))
    db.session.commit()
    page = client.post("/follow-up", data={"code": code}, **PUPIL).get_data(as_text=True)
    assert "You first told us on Thursday 12 June." in page
    assert "The safeguarding team, 12 June, 00:30" in page
