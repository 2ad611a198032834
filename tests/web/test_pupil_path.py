"""A pupil finds their school, tells someone, and gets a follow-up code."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import OnlineAccount, OutboxMessage, Report
from schoolsafe.services.reports import codes as followup_codes


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
    key = client.application.config["SECRET_KEY"]
    assert report.followup_hash == followup_codes.code_hash(code, key)
    assert code not in str(db.session.scalars(select(Report.followup_hash)).all())
    account_key = db.session.scalar(select(OnlineAccount.canonical_key))
    assert account_key == "instagram:slags_of_birmingham_xx"


def test_pupil_pages_are_never_cached_and_leave_no_cookie_after_submit(client, make):
    make.school("oak")
    for path in ("/", "/tell/oak", "/follow-up"):
        assert client.get(path).headers["Cache-Control"] == "no-store"
    response = client.post("/tell/oak", data={"about": "self", "choices": ["rumours"]})
    assert response.headers["Cache-Control"] == "no-store"
    assert shown_code(response)
    # Only ever a deletion (test_pupil_csrf.py checks the token's cookie really goes).
    assert all("Max-Age=0" in c for c in response.headers.getlist("Set-Cookie"))


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
    eml = next(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))
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


def test_the_start_page_and_the_form_reassure_before_asking_anything(client, make):
    make.school("oak", name="Oak Academy")
    start = client.get("/").get_data(as_text=True)
    for promise in ("won't be in trouble", "You can stay anonymous", "Nothing is too small",
                    "won't contact your family without talking to you first", "It takes about"):
        assert promise in start[:start.index("<form")], promise
    # The longer reassurance is one click away, above the first question, on both pages.
    for path in ("/", "/tell/oak"):
        page = client.get(path).get_data(as_text=True)
        before_form = page[:page.index("<form")]
        for promise in ("can't see who you are unless you tell us",
                        "if someone is in danger, we will act",
                        "whose job is to keep pupils safe"):
            assert promise in before_form, (path, promise)
    assert "Oak Academy" in client.get("/tell/oak").get_data(as_text=True)


def test_no_pupil_page_offers_a_file_upload_and_the_form_says_not_to_send_pictures(client, make):
    make.school("oak")
    pages = [client.get(path).get_data(as_text=True) for path in ("/", "/tell/oak", "/follow-up")]
    assert all('type="file"' not in page and "multipart" not in page for page in pages)
    assert "Don't send pictures or videos." in pages[1]


def test_every_text_box_on_the_form_asks_the_browser_not_to_remember_it(client, make):
    make.school("oak")
    page = client.get("/tell/oak").get_data(as_text=True)
    boxes = re.findall(r"<(?:input|textarea)\b[^>]*>", page)
    typed = [b for b in boxes if 'type="hidden"' not in b and 'type="checkbox"' not in b
             and 'type="radio"' not in b]
    assert len(typed) >= 7  # place, when x2, own words, name, year, friend
    assert all('autocomplete="off"' in box for box in typed), typed
    assert '<form method="post"' in page and 'autocomplete="off"' in page


def test_pupil_pages_have_a_neutral_title_and_the_quick_exit_link(client, make):
    make.school("oak", name="Oak Academy")
    make.report(make.school("elm"))
    for path in ("/", "/tell/oak", "/follow-up"):
        page = client.get(path).get_data(as_text=True)
        assert "<title>Help and support</title>" in page
        assert re.search(r'<a class="quick-exit" id="quick-exit" href="https://[^"]+"', page)
    confirmation = client.post("/tell/oak", data={"about": "self", "choices": ["rumours"]})
    assert "<title>Help and support</title>" in confirmation.get_data(as_text=True)
    assert 'id="quick-exit"' in confirmation.get_data(as_text=True)


def test_the_quick_exit_goes_to_a_neutral_site_of_the_schools_own_country(client, make):
    make.school("oak")
    make.school("ek", jurisdiction="sweden")
    packs = client.application.extensions["jurisdictions"]
    ek = client.get("/tell/ek").get_data(as_text=True)
    assert f'href="{packs["sweden"].quick_exit_url}"' in ek
    oak = client.get("/tell/oak").get_data(as_text=True)
    assert f'href="{packs["england-wales"].quick_exit_url}"' in oak
