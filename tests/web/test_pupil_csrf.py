"""With CSRF checks on, as in production: a missing or stale token never loses a pupil's words."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import Report, School
from tests.conftest import empty_tables, make_app
from tests.factories import Factory


@pytest.fixture
def app(database_url, tmp_path):
    """The app with CSRF checks ON (the shared fixture turns them off).

    No app context stays open across requests here: the token is cached on `g`, and a shared
    context would hand every request the first request's token, as no real server does.
    """
    application = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    yield application
    with application.app_context():
        db.session.rollback()
        empty_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def school(app):
    with app.app_context():
        Factory(app).school("oak")


def token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def form_secret(page: str) -> str:
    return re.search(r'name="form_secret" value="([^"]+)"', page).group(1)


def count_reports(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Report))


ANSWERS = {"about": "self", "choices": ["rumours"], "narrative": "They wrote it on the page",
           "place1-text": "@the_page"}


def test_a_report_with_the_pages_token_is_accepted_and_the_cookie_is_then_removed(
        client, app, school):
    cookie = app.config["SESSION_COOKIE_NAME"]
    form = client.get("/tell/oak").get_data(as_text=True)
    assert client.get_cookie(cookie) is not None  # the token's only home
    response = client.post("/tell/oak", data={**ANSWERS, "csrf_token": token(form)})
    assert response.status_code == 200
    assert 'class="code"' in response.get_data(as_text=True)
    assert client.get_cookie(cookie) is None
    assert count_reports(app) == 1


@pytest.mark.parametrize("sent_token", [None, "made-up", "stale"])
def test_a_missing_or_stale_token_brings_the_form_back_with_everything_typed(
        client, app, school, sent_token):
    if sent_token == "stale":
        # A token from an earlier visit whose session has gone (e.g. after another report).
        other = app.test_client()
        sent_token = token(other.get("/tell/oak").get_data(as_text=True))
    data = {**ANSWERS, **({"csrf_token": sent_token} if sent_token else {})}
    response = client.post("/tell/oak", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "please press the button again" in page.lower()
    assert "Everything you typed is still here." in page
    assert 'value="@the_page"' in page and "They wrote it on the page" in page
    assert count_reports(app) == 0
    # The page that came back carries a good token: pressing Send again works.
    again = client.post("/tell/oak", data={**ANSWERS, "csrf_token": token(page)})
    assert again.status_code == 200 and count_reports(app) == 1


def test_add_another_place_needs_no_token_because_nothing_is_saved(client, app, school):
    response = client.post("/tell/oak", data={**ANSWERS, "add_place": "1"})
    assert response.status_code == 200
    assert 'id="place2"' in response.get_data(as_text=True)
    assert count_reports(app) == 0


def test_the_school_code_and_follow_up_forms_ask_again_instead_of_failing(client, school):
    home = client.post("/", data={"code": "SC1"})
    assert home.status_code == 400
    assert "please press the button again" in home.get_data(as_text=True).lower()
    follow = client.post("/follow-up", data={"code": "one two three four five six"})
    assert follow.status_code == 400
    page = follow.get_data(as_text=True)
    assert "please press the button again" in page.lower()
    assert 'value="one two three four five six"' in page


def test_adding_to_the_thread_without_a_token_keeps_the_message(client, school):
    form_token = token(client.get("/tell/oak").get_data(as_text=True))
    confirmation = client.post("/tell/oak", data={**ANSWERS, "csrf_token": form_token})
    code = re.search(r'class="code" id="code">([^<]+)<', confirmation.get_data(as_text=True))[1]
    follow_token = token(client.get("/follow-up").get_data(as_text=True))
    thread = client.post("/follow-up", data={"code": code, "csrf_token": follow_token})
    assert thread.status_code == 200
    response = client.post("/follow-up", data={"code": code, "body": "one more thing"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "please press the button again" in page.lower()
    assert "one more thing</textarea>" in page
    sent = client.post("/follow-up", data={"code": code, "body": "one more thing",
                                           "csrf_token": token(page)})
    assert "We have added that to your messages" in sent.get_data(as_text=True)


def test_every_visitor_gets_their_own_token_on_the_form_page_and_each_one_works(app, school):
    # The empty form is rendered once per school and kept; only the token, the secret and the
    # name of this showing differ.
    first, second = app.test_client(), app.test_client()
    first_page = first.get("/tell/oak").get_data(as_text=True)
    second_page = second.get("/tell/oak").get_data(as_text=True)
    assert token(first_page) != token(second_page)
    assert form_secret(first_page) != form_secret(second_page)

    def unique(page: str) -> str:
        step = re.search(r'name="form_step" value="([^"]+)"', page).group(1)
        return page.replace(token(page), "").replace(form_secret(page), "").replace(step, "")

    assert unique(first_page) == unique(second_page)
    for visitor, page in ((second, second_page), (first, first_page)):
        response = visitor.post("/tell/oak", data={**ANSWERS, "csrf_token": token(page)})
        assert response.status_code == 200, response.get_data(as_text=True)
    assert count_reports(app) == 2


def test_the_form_page_shows_the_schools_name_as_it_is_now(client, app, school):
    assert "Tell School" in client.get("/tell/oak").get_data(as_text=True)
    with app.app_context():
        oak = db.session.scalar(select(School).where(School.slug == "oak"))
        oak.name = "Oak Park Academy"
        db.session.commit()
    page = client.get("/tell/oak").get_data(as_text=True)
    assert "Tell Oak Park Academy" in page
    assert "Send to Oak Park Academy" in page


def test_sending_the_same_form_again_says_we_have_it_and_saves_nothing_more(client, app, school):
    # A refresh of the confirmation page sends the form again, after its session has gone.
    form = client.get("/tell/oak").get_data(as_text=True)
    answers = {**ANSWERS, "csrf_token": token(form), "form_secret": form_secret(form)}
    first = client.post("/tell/oak", data=answers).get_data(as_text=True)
    code = re.search(r'class="code" id="code">([^<]+)<', first)[1]

    # The server can't tell a refresh from a resend whose answer was lost: the same code once.
    again = client.post("/tell/oak", data=answers).get_data(as_text=True)
    assert "We already have this report" in again and code in again

    third = client.post("/tell/oak", data=answers)
    page = third.get_data(as_text=True)
    assert third.status_code == 200
    assert "We already have this report" in page and 'class="code"' not in page
    assert count_reports(app) == 1


def test_a_second_click_before_the_first_answer_is_caught_too(client, app, school):
    cookie = app.config["SESSION_COOKIE_NAME"]
    form = client.get("/tell/oak").get_data(as_text=True)
    session_cookie = client.get_cookie(cookie).value
    answers = {**ANSWERS, "csrf_token": token(form), "form_secret": form_secret(form)}
    client.post("/tell/oak", data=answers)
    client.set_cookie(cookie, session_cookie)  # the second click still carries the session
    page = client.post("/tell/oak", data=answers).get_data(as_text=True)
    assert "We already have this report" in page
    assert count_reports(app) == 1


def test_a_new_form_after_sending_one_makes_a_new_report(client, app, school):
    for _ in range(2):
        form = client.get("/tell/oak").get_data(as_text=True)
        page = client.post("/tell/oak", data={**ANSWERS, "csrf_token": token(form)})
        assert 'class="code"' in page.get_data(as_text=True)
    assert count_reports(app) == 2
