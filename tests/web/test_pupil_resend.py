"""A pupil whose first answer never arrived sends the form again and gets their code once.

With CSRF checks on, as in production. The first response is thrown away, as when the
connection drops after the report is saved; the browser's retry is the same form again.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from schoolsafe.extensions import db
from schoolsafe.models import Report
from schoolsafe.services.reports.submit import RESHOW_WITHIN
from tests.conftest import empty_tables, make_app
from tests.factories import Factory

ANSWERS = {"about": "self", "choices": ["rumours"], "narrative": "They wrote it on the page",
           "place1-text": "@the_page"}


@pytest.fixture
def app(database_url, tmp_path):
    """The app with CSRF checks ON; no app context held open across requests."""
    application = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    with application.app_context():
        Factory(application).school("oak")
    yield application
    with application.app_context():
        db.session.rollback()
        empty_tables()
        db.engine.dispose()


def hidden_fields(page: str) -> dict[str, str]:
    """Every hidden field of the page, by name: what a browser sends with the typed answers."""
    fields = {}
    for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', page):
        fields[re.search(r'name="([^"]+)"', tag)[1]] = re.search(r'value="([^"]*)"', tag)[1]
    return fields


def shown_code(page: str) -> str | None:
    match = re.search(r'class="code" id="code">([^<]+)<', page)
    return match[1] if match else None


def filled_form(client) -> dict[str, object]:
    """The form page's hidden fields with the pupil's answers: what Send posts."""
    page = client.get("/tell/oak").get_data(as_text=True)
    return {**ANSWERS, **hidden_fields(page)}


def opens_the_thread(app, code: str) -> bool:
    """Whether the code opens the pupil's messages on the follow-up page (a fresh visitor)."""
    visitor = app.test_client()
    page = visitor.get("/follow-up").get_data(as_text=True)
    thread = visitor.post("/follow-up", data={"code": code,
                                              "csrf_token": hidden_fields(page)["csrf_token"]})
    return thread.status_code == 200 and "Your messages" in thread.get_data(as_text=True)


def headings(page: str) -> list[str]:
    return re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S)


def count_reports(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Report))


@pytest.mark.parametrize("session", ["kept", "gone"])
def test_a_resend_after_a_lost_answer_shows_the_code_once_and_it_opens_the_thread(app, session):
    # "kept": the answer (and its cookie removal) never arrived, so the retry carries the
    # session; "gone": the session cookie was lost too, so the retry's CSRF token is stale.
    client = app.test_client()
    sent = filled_form(client)
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(cookie_name).value
    first = client.post("/tell/oak", data=sent)
    assert first.status_code == 200  # ...but the pupil never sees it
    client.delete_cookie(cookie_name)
    if session == "kept":
        client.set_cookie(cookie_name, cookie)

    again = client.post("/tell/oak", data=sent)
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert "We already have this report" in page
    code = shown_code(page)
    assert code is not None and code == shown_code(first.get_data(as_text=True))
    assert "This is the last time we can show them" in page
    assert headings(page) == headings(first.get_data(as_text=True))  # the same help too
    assert client.get_cookie(cookie_name) is None
    assert opens_the_thread(app, code)

    third = client.post("/tell/oak", data=sent).get_data(as_text=True)
    assert "We already have this report" in third
    assert 'class="code"' not in third and code not in third
    assert "We can't show the code words for this report again" in third
    assert count_reports(app) == 1


def test_the_stored_row_holds_no_code_nor_the_secret_or_seed_it_comes_from(app):
    client = app.test_client()
    sent = filled_form(client)
    client.post("/tell/oak", data=sent)
    code = shown_code(client.post("/tell/oak", data=sent).get_data(as_text=True))
    assert code is not None

    key = app.config["SECRET_KEY"].encode()
    secret = str(sent["form_secret"])
    seed = hmac.new(key, b"followup-code|" + secret.encode(), hashlib.sha256).digest()
    forbidden = [code, code.replace(" ", ""), secret, seed.hex(), str(int.from_bytes(seed))]
    with app.app_context():
        # The whole row as the database holds it, every column.
        row = db.session.execute(text("SELECT * FROM report")).mappings().one()
        stored = " ".join(str(value) for value in row.values())
        reshown_at = row["code_reshown_at"]
    for value in forbidden:
        assert value not in stored
    assert reshown_at is not None  # only *that* it was shown again


def test_a_changed_form_secret_is_not_given_the_code(app):
    # Someone who has the report's CSRF token but not its page's secret learns nothing.
    client = app.test_client()
    sent = filled_form(client)
    client.post("/tell/oak", data=sent)
    other = filled_form(app.test_client())["form_secret"]
    page = client.post("/tell/oak", data={**sent, "form_secret": other}).get_data(as_text=True)
    assert 'class="code"' not in page
    # A different secret is a different form: the pupil is asked to press Send again.
    assert "please press the button again" in page.lower()
    again = client.post("/tell/oak", data=sent).get_data(as_text=True)
    assert shown_code(again) is not None and count_reports(app) == 1



def test_a_copy_sent_long_after_the_report_is_not_given_the_code(app):
    # Back and Send on a shared device an hour later is someone else, not a lost answer.
    client = app.test_client()
    sent = filled_form(client)
    client.post("/tell/oak", data=sent)
    with app.app_context():
        report = db.session.scalar(select(Report))
        report.received_at -= RESHOW_WITHIN + timedelta(minutes=1)
        db.session.commit()
    page = client.post("/tell/oak", data=sent).get_data(as_text=True)
    assert "We already have this report" in page
    assert 'class="code"' not in page
    assert count_reports(app) == 1
    with app.app_context():
        assert db.session.scalar(select(Report.code_reshown_at)) is None
