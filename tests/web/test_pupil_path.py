"""A pupil finds their school, tells someone, and gets a follow-up code."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import OnlineAccount, OutboxMessage, Report
from schoolsafe.services import followup_codes


def shown_code(response) -> str:
    match = re.search(r'class="code"[^>]*>([^<]+)<', response.get_data(as_text=True))
    assert match, "the confirmation shows a follow-up code"
    return match.group(1).strip()


def test_school_code_leads_to_the_schools_form(client, make):
    make.school("oak", code="OAK7")
    response = client.post("/", data={"code": " oak7 "})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tell/oak")


def test_unknown_school_code_says_so(client, make):
    response = client.post("/", data={"code": "NOPE"})
    assert "couldn&#39;t find a school" in response.get_data(as_text=True)


def test_submitting_stores_the_report_and_shows_the_code_in_the_post_response(client, make):
    school = make.school("oak")
    make.user(school, "dsl")
    response = client.post("/tell/oak", data={
        "about": "friend", "choices": ["bait_out_page"],
        "place1-platform": "instagram", "place1-text": "@Slags_of_Birmingham_xx",
        "narrative": "There is a page posting about girls in year 9.",
    })
    assert response.status_code == 200  # the code is in this response, not behind a redirect
    code = shown_code(response)
    assert len(code.split()) == 6
    report = db.session.scalar(select(Report))
    assert report.narrative == "There is a page posting about girls in year 9."
    assert report.followup_hash == followup_codes.code_hash(code, client.application.config["SECRET_KEY"])
    assert code not in str(db.session.scalars(select(Report.followup_hash)).all())
    assert db.session.scalar(select(OnlineAccount.canonical_key)) == "instagram:slags_of_birmingham_xx"


def test_pupil_pages_are_never_cached_and_leave_no_cookie_after_submit(client, make):
    make.school("oak")
    for path in ("/", "/tell/oak", "/follow-up"):
        assert client.get(path).headers["Cache-Control"] == "no-store"
    response = client.post("/tell/oak", data={"about": "self", "choices": ["rumours"]})
    assert response.headers["Cache-Control"] == "no-store"
    assert all("session=" not in c or "Expires=Thu, 01 Jan 1970" in c
               for c in response.headers.getlist("Set-Cookie"))


def test_new_report_alerts_the_dsl_without_any_content(client, make, app):
    school = make.school("oak")
    dsl = make.user(school, "dsl")
    client.post("/tell/oak", data={"about": "self", "choices": ["nude_shared"],
                                   "narrative": "Sam shared my photo", "reporter_name": "Alex"})
    alert = db.session.scalar(select(OutboxMessage))
    assert alert.to_addresses == dsl.email and alert.state == "sent"
    assert "Sam" not in alert.subject + alert.body and "Alex" not in alert.subject + alert.body
    assert "photo" not in alert.subject + alert.body
    report = db.session.scalar(select(Report))
    assert f"/staff/triage/reports/{report.public_id}" in alert.body
    eml = next((app.config["OUTBOX_DIR"] and __import__("pathlib").Path(app.config["OUTBOX_DIR"])).glob("*.eml"))
    assert dsl.email in eml.read_text()


def test_too_long_text_comes_back_with_a_message_and_nothing_is_saved(client, make):
    make.school("oak")
    long_text = "x" * 5001
    response = client.post("/tell/oak", data={"about": "self", "choices": ["rumours"],
                                              "narrative": long_text, "started": "last week"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "under 5000 characters" in page
    assert long_text in page and "last week" in page
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_html_typed_by_a_pupil_is_stored_as_text_and_shown_escaped(client, make):
    school = make.school("oak")
    dsl = make.user(school, "dsl")
    client.post("/tell/oak", data={"about": "self", "narrative": "<script>alert(1)</script>"})
    report = db.session.scalar(select(Report))
    assert report.narrative == "<script>alert(1)</script>"
    from tests.factories import sign_in

    sign_in(client, dsl)
    page = client.get(f"/staff/triage/reports/{report.public_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_pasted_image_data_is_refused_kindly_and_the_rest_is_kept(client, make):
    make.school("oak")
    response = client.post("/tell/oak", data={
        "about": "self", "narrative": "look data:image/png;base64,iVBORw0KGgo=",
        "reporter_name": "Jo"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "don&#39;t send pictures" in page
    assert 'value="Jo"' in page
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_unknown_school_link_is_not_found(client):
    assert client.get("/tell/nowhere").status_code == 404
