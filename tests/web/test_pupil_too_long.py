"""A post over the size limit (256 KB) is not a dead end: the pupil gets the form back with a
plain message, the first part of what they typed and the quick exit, and nothing is stored."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from schoolsafe.errors import render_error
from schoolsafe.extensions import db
from schoolsafe.models import Report, ReportMessage
from tests.conftest import empty_tables, make_app
from tests.factories import Factory

PUPIL = {"environ_base": {"REMOTE_ADDR": "192.0.2.10"}}
TOO_LONG = "That was too long to send. We kept the first part"
OPENING = "A boy in year 9 made a page called rate the girls and "
ONE_MB = OPENING + "he keeps posting more. " * (1024 * 1024 // 23)


def plain(page: str) -> str:
    return re.sub(r"\s+", " ", page)


def is_quick_exit_page(page: str) -> bool:
    return 'id="quick-exit"' in page and "Leave this site quickly" in page


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_one_megabyte_report_comes_back_as_the_form_with_its_first_part(client, make):
    make.school("oak")
    # In the page's order, as a browser sends it: the places come before the narrative.
    response = client.post("/tell/oak", data={
        "about": "self", "choices": ["rumours"], "place1-platform": "instagram",
        "place1-text": "@rate.the.girls", "narrative": ONE_MB}, **PUPIL)
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert TOO_LONG in plain(page)
    assert '<form method="post"' in page and 'name="narrative"' in page
    kept = re.search(r'<textarea[^>]*name="narrative"[^>]*>\s*(.*?)</textarea>', page, re.S)
    assert kept.group(1).startswith(OPENING)
    assert len(kept.group(1)) <= 5000  # short enough to send as it is
    assert 'value="@rate.the.girls"' in page
    assert is_quick_exit_page(page)
    assert "no-store" in response.headers["Cache-Control"]
    assert count(Report) == 0


def test_the_kept_first_part_can_then_be_sent(client, make):
    make.school("oak")
    page = client.post("/tell/oak", data={"about": "self", "choices": ["rumours"],
                                          "narrative": ONE_MB}, **PUPIL).get_data(as_text=True)
    kept = re.search(r'<textarea[^>]*name="narrative"[^>]*>\s*(.*?)</textarea>', page, re.S)
    narrative = kept.group(1).replace("&#39;", "'")
    sent = client.post("/tell/oak", data={"about": "self", "choices": ["rumours"],
                                          "narrative": narrative}, **PUPIL)
    assert sent.status_code == 200
    assert db.session.scalar(select(Report.narrative)).startswith(OPENING)


def test_a_one_megabyte_follow_up_message_comes_back_in_the_thread_unsaved(client, make):
    make.school("oak")
    confirmation = client.post("/tell/oak", data={"about": "self", "choices": ["rumours"]},
                               **PUPIL).get_data(as_text=True)
    code = re.search(r'<p class="code" id="code">([^<]+)</p>', confirmation).group(1)
    response = client.post("/follow-up", data={"code": code, "body": ONE_MB}, **PUPIL)
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert TOO_LONG in plain(page)
    assert "Your messages" in page
    kept = re.search(r'<textarea[^>]*name="body"[^>]*>\s*(.*?)</textarea>', page, re.S)
    assert kept.group(1).startswith(OPENING) and len(kept.group(1)) <= 3000
    assert is_quick_exit_page(page)
    assert "no-store" in response.headers["Cache-Control"]
    assert count(ReportMessage) == 0


def test_a_one_megabyte_message_with_a_wrong_code_keeps_its_first_part(client, make):
    make.school("oak")
    response = client.post("/follow-up", data={
        "code": "abandon ability able about above absent", "body": ONE_MB}, **PUPIL)
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert TOO_LONG in plain(page) and "find a report with those words" in page
    kept = re.search(r'<textarea[^>]*name="body"[^>]*>\s*(.*?)</textarea>', page, re.S)
    assert kept.group(1).startswith(OPENING)
    assert is_quick_exit_page(page)
    assert count(ReportMessage) == 0


@pytest.mark.parametrize(("method", "url", "status"), [
    ("post", "/", 413), ("get", "/no-such-page", 404), ("get", "/tell/no-such-school", 404),
    ("put", "/tell/oak", 405)])
def test_every_pupil_error_page_has_the_quick_exit(client, make, method, url, status):
    make.school("oak")
    data = {"code": "X" * (300 * 1024)} if status == 413 else None
    response = getattr(client, method)(url, data=data, **PUPIL)
    assert response.status_code == status
    assert is_quick_exit_page(response.get_data(as_text=True))


def test_the_pupil_500_page_has_the_quick_exit(app):
    with app.test_request_context("/tell/oak"):
        body, status = render_error(500)
    assert status == 500 and is_quick_exit_page(body)


@pytest.fixture
def csrf_app(database_url, tmp_path):
    application = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    with application.app_context():
        Factory(application).school("oak")
    yield application
    with application.app_context():
        db.session.rollback()
        empty_tables()
        db.engine.dispose()


def token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_with_csrf_on_the_form_comes_back_with_a_token_that_sends_it(csrf_app):
    client = csrf_app.test_client()
    form = client.get("/tell/oak").get_data(as_text=True)
    page = client.post("/tell/oak", data={"about": "self", "choices": ["rumours"],
                                          "narrative": ONE_MB, "csrf_token": token(form)}
                       ).get_data(as_text=True)
    assert TOO_LONG in plain(page)
    sent = client.post("/tell/oak", data={"about": "self", "choices": ["rumours"],
                                          "narrative": OPENING, "csrf_token": token(page)})
    assert sent.status_code == 200 and 'id="code"' in sent.get_data(as_text=True)
    with csrf_app.app_context():
        assert count(Report) == 1


def test_text_cut_in_the_middle_of_a_letter_keeps_whole_letters_only(client, make):
    make.school("oak")
    limit = client.application.config["MAX_CONTENT_LENGTH"]
    # The size limit falls between the two bytes of the second "ë" of the narrative.
    head = "about=self&started="
    tail = "&narrative=Zo%C3%AB%C3"
    body = head + "a" * (limit - len(head) - len(tail)) + tail + "%AB" + "x" * limit
    response = client.post("/tell/oak", data=body.encode(),
                           content_type="application/x-www-form-urlencoded", **PUPIL)
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    kept = re.search(r'<textarea[^>]*name="narrative"[^>]*>\s*(.*?)</textarea>', page, re.S)
    assert kept.group(1) == "Zoë"
    assert "\ufffd" not in page
    assert count(Report) == 0
