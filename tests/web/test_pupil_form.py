"""The report form without JavaScript: places, optional parts, and bad input that loses nothing."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import Report, Sighting
from schoolsafe.services.reports.submit import MAX_PLACES


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def field_value(page: str, name: str) -> str | None:
    """The value the page shows in the text box or text area with this name."""
    box = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    if box:
        value = re.search(r'value="([^"]*)"', box.group(0))
        return html.unescape(value.group(1)) if value else ""
    area = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)
    return html.unescape(area.group(1)) if area else None


def place_rows(page: str) -> list[str]:
    return re.findall(r'<div class="place" id="(place\d+)"', page)


def test_the_form_starts_with_one_place_and_an_add_another_place_button(client, make):
    make.school("oak")
    page = client.get("/tell/oak").get_data(as_text=True)
    assert place_rows(page) == ["place1"]
    assert re.search(r'<button type="submit" name="add_place"[^>]*formaction="/tell/oak#place2"',
                     page)


def test_add_another_place_without_javascript_keeps_everything_typed(client, make):
    make.school("oak")
    typed = {"about": "friend", "choices": ["bait_out_page", "rumours"], "threats": "y",
             "place1-platform": "instagram", "place1-text": "@year9_rates",
             "narrative": "They post about us\nevery night", "started": "in May",
             "reporter_name": "Sam", "friend_name": "Jo"}
    response = client.post("/tell/oak", data={**typed, "add_place": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert place_rows(page) == ["place1", "place2"]
    assert re.search(r'<select[^>]*autofocus[^>]*name="place2-platform"', page)
    for name in ("place1-text", "narrative", "started", "reporter_name", "friend_name"):
        assert field_value(page, name) == typed[name], name
    assert field_value(page, "place2-text") == ""
    assert '<option selected value="instagram">' in page
    assert re.search(r'<input checked[^>]*id="about-1"', page)
    assert re.search(r'<input checked[^>]*value="bait_out_page"', page)
    assert re.search(r'<input checked[^>]*name="threats"', page)
    assert "There is a problem" not in page
    assert count(Report) == 0  # nothing is sent until the pupil presses Send


def test_more_than_three_places_can_be_added_and_are_all_stored(client, make):
    make.school("oak")
    data = {"about": "self"}
    for n in range(1, 5):
        data.update({f"place{n}-platform": "snapchat", f"place{n}-text": f"sender_{n}"})
        page = client.post("/tell/oak", data={**data, "add_place": "1"}).get_data(as_text=True)
        assert len(place_rows(page)) == n + 1
    response = client.post("/tell/oak", data=data)
    assert response.status_code == 200
    sightings = db.session.scalars(select(Sighting.raw_text).order_by(Sighting.id)).all()
    assert sightings == ["sender_1", "sender_2", "sender_3", "sender_4"]


def test_empty_place_rows_are_skipped_and_a_gap_is_fine(client, make):
    make.school("oak")
    client.post("/tell/oak", data={"about": "self", "place1-platform": "tiktok",
                                   "place3-text": "@only_this_one"})
    assert db.session.scalars(select(Sighting.raw_text)).all() == ["@only_this_one"]


def test_places_stop_at_the_most_we_take_and_say_where_to_put_more(client, make):
    make.school("oak")
    data = {"about": "self", f"place{MAX_PLACES}-text": "@last"}
    page = client.post("/tell/oak", data={**data, "add_place": "1"}).get_data(as_text=True)
    assert len(place_rows(page)) == MAX_PLACES
    assert 'name="add_place"' not in page
    assert "You can name any others in your own words" in page
    # A made-up row number can't make the page build hundreds of rows.
    crafted = client.post("/tell/oak", data={"about": "self", "place999-text": "@x",
                                             "add_place": "1"})
    assert len(place_rows(crafted.get_data(as_text=True))) == MAX_PLACES


LONG = [
    ("place1-text", 500), ("narrative", 5000), ("started", 100), ("last_happened", 100),
    ("reporter_name", 100), ("reporter_year", 40), ("friend_name", 100),
]


@pytest.mark.parametrize(("name", "limit"), LONG, ids=[n for n, _ in LONG])
def test_every_field_has_a_length_limit_with_a_clear_message_and_nothing_is_lost(
        client, make, name, limit):
    make.school("oak")
    answers = {"about": "friend", "choices": ["rumours"], "narrative": "It started at camp.",
               "started": "June", "reporter_name": "Ali", "place1-text": "@camp_page"}
    answers[name] = "y" * (limit + 1)
    response = client.post("/tell/oak", data=answers)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    message = f"Please keep this under {limit} characters."
    assert f'id="{name}-error"' in page and message in page
    assert f'<a href="#{name}">{message}</a>' in page  # the summary links to the field
    for other, value in answers.items():
        if other not in ("about", "choices"):
            assert field_value(page, other) == value, other
    assert count(Report) == 0


def test_no_box_cuts_typing_short_without_saying_so(client, make):
    make.school("oak")
    for path in ("/", "/tell/oak", "/follow-up"):
        assert "maxlength" not in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize("name", ["narrative", "place1-text", "reporter_name", "started"])
def test_a_pasted_picture_in_any_field_is_refused_kindly_next_to_that_field(client, make, name):
    make.school("oak")
    answers = {"about": "self", "choices": ["nude_shared"], "reporter_year": "Year 8",
               name: "here it is data:image/jpeg;base64,/9j/4AAQSkZJRg=="}
    response = client.post("/tell/oak", data=answers)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(rf'id="{name}-error">(.*?)</p>', page, re.S).group(1)
    assert "Please don&#39;t send pictures - just tell us where they are" in error
    assert field_value(page, "reporter_year") == "Year 8"
    assert count(Report) == 0


def test_a_long_base64_blob_is_refused_as_a_file(client, make):
    make.school("oak")
    blob = "iVBORw0KGgoAAAANSUhEUgAA" * 20
    response = client.post("/tell/oak", data={"about": "self", "narrative": f"see {blob}"})
    assert response.status_code == 400
    assert "looks like a picture or file was pasted in" in response.get_data(as_text=True)


@pytest.mark.parametrize(("answers", "field", "message"), [
    pytest.param({"choices": ["rumours"]}, "about", "Please choose who this is about.",
                 id="who missing"),
    pytest.param({"about": "the moon", "choices": ["rumours"]}, "about",
                 "Please choose who this is about.", id="who unknown"),
    pytest.param({"about": "self", "choices": ["made_up"]}, "choices",
                 "One of the choices wasn&#39;t recognised.", id="unknown choice"),
    pytest.param({"about": "self", "place1-platform": "myspace", "place1-text": "@x"},
                 "place1-platform", "Please choose the app or website from the list.",
                 id="unknown platform"),
])
def test_answers_we_cant_take_get_a_plain_message_next_to_the_question(
        client, make, answers, field, message):
    make.school("oak")
    response = client.post("/tell/oak", data={**answers, "narrative": "" if field == "choices"
                                              else "kept words"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(rf'id="{field}-error">.*?{re.escape(message)}', page, re.S)
    assert "Not a valid choice" not in page
    if field != "choices":
        assert field_value(page, "narrative") == "kept words"
    assert count(Report) == 0


def test_html_typed_into_any_field_comes_back_as_text_not_markup(client, make):
    make.school("oak")
    markup = '<img src=x onerror="alert(1)">'
    response = client.post("/tell/oak", data={
        "about": "self", "place1-text": markup, "narrative": markup, "reporter_name": markup,
        "started": "x" * 101})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<img src=x" not in page
    assert field_value(page, "place1-text") == markup
    assert field_value(page, "narrative") == markup


def test_optional_parts_are_folded_away_until_they_hold_something(client, make):
    make.school("oak")
    page = client.get("/tell/oak").get_data(as_text=True)
    assert page.count('<details class="more">') == 2
    with_name = client.post("/tell/oak", data={"about": "self", "reporter_name": "Ali",
                                               "add_place": "1"}).get_data(as_text=True)
    assert '<details class="more" open>' in with_name  # who you are: open, it has a name
    assert '<details class="more">' in with_name  # when: still folded
    too_long = client.post("/tell/oak", data={"about": "self", "choices": ["rumours"],
                                              "last_happened": "z" * 101})
    when = too_long.get_data(as_text=True)
    assert when.index('<details class="more" open>') < when.index('id="last_happened-error"')


def test_the_urgency_questions_are_asked_on_the_form_and_set_the_urgency(client, make):
    make.school("oak")
    page = client.get("/tell/oak").get_data(as_text=True)
    for question in ("Someone&#39;s in danger now", "Someone may hurt themselves",
                     "Threats, or asking for money or pictures", "An adult is involved",
                     "Someone&#39;s under 13", "Someone hurt on video or photo"):
        assert question in page
    client.post("/tell/oak", data={"about": "friend", "choices": ["rumours"], "self_harm": "y"})
    report = db.session.scalar(select(Report))
    assert (report.urgency, report.factors) == ("immediate", ["self_harm"])


def test_ticking_only_someone_is_in_danger_is_enough_to_send(client, make):
    make.school("oak")
    response = client.post("/tell/oak", data={"about": "witnessed", "danger_now": "y"})
    assert response.status_code == 200
    assert "If someone is in danger right now" in response.get_data(as_text=True)
    assert db.session.scalar(select(Report.urgency)) == "immediate"


def test_answering_only_who_it_is_about_sends_a_report_the_dsl_sees_as_wants_to_talk(
        client, make):
    from tests.factories import sign_in

    school = make.school("oak")
    lead = make.user(school, "dsl")
    response = client.post("/tell/oak", data={"about": "self"})
    assert response.status_code == 200
    assert "There is a problem" not in response.get_data(as_text=True)
    report = db.session.scalar(select(Report))
    assert report.choices == ["wants_to_talk"]
    sign_in(client, lead)
    queue = client.get("/staff/triage/").get_data(as_text=True)
    assert re.search(r'data-label="What">Wants to talk<', queue)
    page = client.get(f"/staff/triage/reports/{report.public_id}").get_data(as_text=True)
    assert "<li>Wants to talk</li>" in page


def test_a_refused_answer_is_said_once_in_the_problem_box(client, make):
    make.school("oak")
    page = client.post("/tell/oak", data={"choices": ["rumours"]}).get_data(as_text=True)
    box = page[page.index('id="problem"'):page.index("</div>", page.index('id="problem"'))]
    assert box.count("Please choose who this is about.") == 1
    page = client.post("/tell/oak", data={"about": "self", "choices": ["made_up"]}
                       ).get_data(as_text=True)
    box = page[page.index('id="problem"'):page.index("</div>", page.index('id="problem"'))]
    assert box.count("One of the choices wasn&#39;t recognised.") == 1


@pytest.mark.parametrize(("jurisdiction", "emergency", "line", "phone"), [
    ("england-wales", "999", "Childline", "0800 1111"),
    ("belgium", "112", "Tele-Onthaal", "106"),
    ("sweden", "112", "BRIS", "116 111"),
    ("united-states", "911", "988 Suicide &amp; Crisis Lifeline", "988"),
])
def test_the_form_shows_the_schools_emergency_number_and_crisis_line_before_send(
        client, make, jurisdiction, emergency, line, phone):
    make.school("oak", jurisdiction=jurisdiction)
    for _ in range(2):  # the blank form is kept per school after the first showing
        page = client.get("/tell/oak").get_data(as_text=True)
        help_line = re.search(r'<p class="help-now">(.*?)</p>', page, re.S).group(1)
        assert f"<strong>{line}</strong>" in help_line
        assert f">{phone}</a>" in help_line
        assert f'href="tel:{emergency}">{emergency}</a>' in help_line


def test_the_start_page_shows_an_emergency_number_and_a_crisis_line(client):
    page = client.get("/").get_data(as_text=True)
    help_line = re.search(r'<p class="help-now">(.*?)</p>', page, re.S).group(1)
    assert "Childline" in help_line and "0800 1111" in help_line and ">999</a>" in help_line


def test_the_pupils_cookie_names_neither_the_site_nor_staff(client, make):
    make.school("oak")
    response = client.get("/tell/oak")
    names = [header.split("=", 1)[0] for header in response.headers.getlist("Set-Cookie")]
    assert names
    assert not [n for n in names if "schoolsafe" in n.lower() or "staff" in n.lower()]
