"""Switching language mid-form: the language buttons belong to the form, so what was typed
goes with them; the server saves nothing, checks nothing and shows the same form again in the
new language, whose address every form on it then carries."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bench.pupil_time import count_words
from schoolsafe.extensions import db
from schoolsafe.models import Report, ReportMessage
from tests.web.test_languages import PUPIL, WELSH_SCHOOL, form_actions, lang_of, switch_links

WORDS = "They post about girls in our year."


def hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"',
                           html)
                + re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"',
                             html))


def reports() -> int:
    return db.session.scalar(select(func.count()).select_from(Report))


def test_the_report_form_offers_the_other_languages_as_its_own_buttons(client, make):
    make.school("oak", **WELSH_SCHOOL)
    page = client.get("/tell/oak", **PUPIL).get_data(as_text=True)
    nav = re.search(r'<nav class="languages".*?</nav>', page, re.S).group(0)
    # The page's own language is a link marked current; the other is a button of the form.
    assert 'aria-current="true">Cymraeg</a>' in nav
    assert re.search(r'<button type="submit" form="report-form" name="switch_language" '
                     r'value="en" formaction="/tell/oak\?lang=en" formnovalidate', nav)
    assert 'id="report-form"' in page
    # Enter in a text box sends the form: its first button in the page is a plain send.
    first = re.search(r'<button[^>]*form="report-form"[^>]*>', page).group(0)
    assert "switch_language" not in first and 'type="submit"' in first
    # A pupil reads the list as before: their own language's name, not the others'.
    school = make.school("elm", languages=["en", "cy", "nl", "fr", "sv", "es"])
    busy = client.get(f"/tell/{school.slug}?lang=sv", **PUPIL).get_data(as_text=True)
    assert count_words(re.search(r'<nav class="languages".*?</nav>', busy, re.S).group(0)) == 1
    # Pages without a form keep plain links.
    start = client.get("/?lang=cy", **PUPIL).get_data(as_text=True)
    assert "switch_language" not in start and len(switch_links(start)) == 6


def test_switching_keeps_everything_typed_saves_nothing_and_the_send_still_counts(client, make):
    make.school("oak", **WELSH_SCHOOL)
    form = client.get("/tell/oak", **PUPIL).get_data(as_text=True)
    typed = {**hidden(form), "about": "friend", "choices": ["rumours"], "narrative": WORDS,
             "place1-platform": "instagram", "place1-text": "@oak_year9_rates",
             "reporter_name": "y" * 5000}
    switched = client.post("/tell/oak?lang=en", data={**typed, "switch_language": "en"},
                           **PUPIL)
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200
    assert lang_of(html) == "en" and all("lang=en" in a for a in form_actions(html))
    assert f"{WORDS}</textarea>" in html and 'value="@oak_year9_rates"' in html
    assert re.search(r'value="friend"[^>]*checked|checked[^>]*value="friend"', html)
    assert re.search(r'checked[^>]*value="rumours"|value="rumours"[^>]*checked', html)
    assert '<option selected value="instagram">' in html
    # Nothing was checked (the name is too long) and nothing was saved.
    assert "There is a problem" not in html and 'class="field-error"' not in html
    assert reports() == 0
    # The same form, sent from the new language's page: one report, with what was typed.
    again = hidden(html)
    assert again["form_secret"] == hidden(form)["form_secret"]
    sent = client.post("/tell/oak?lang=en", data={**typed, **again, "reporter_name": "Sam"},
                       **PUPIL)
    assert sent.status_code == 200 and 'id="code"' in sent.get_data(as_text=True)
    report = db.session.scalar(select(Report))
    assert (reports(), report.narrative) == (1, WORDS)


def test_switching_on_the_follow_up_pages_keeps_the_code_and_the_message(client, make):
    school = make.school("oak", **WELSH_SCHOOL)
    code = make.report(school).code
    asked = client.get("/follow-up?lang=cy", **PUPIL).get_data(as_text=True)
    assert 'form="code-form" name="switch_language" value="en"' in asked
    switched = client.post("/follow-up?lang=en", data={
        **hidden(asked), "code": code, "switch_language": "en"}, **PUPIL)
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and lang_of(html) == "en"
    assert f'value="{code}"' in html and "Show my messages" in html
    # The switch did not use the page up: the code form as first shown still opens the thread.
    thread = client.post("/follow-up?lang=cy", data={**hidden(asked), "code": code}, **PUPIL)
    page = thread.get_data(as_text=True)
    assert thread.status_code == 200 and 'id="message-form"' in page
    # On the thread, a message typed and not yet sent comes with the switch; none is saved.
    moved = client.post("/follow-up?lang=en", data={
        **hidden(page), "body": "I will come at break.", "switch_language": "en"}, **PUPIL)
    html = moved.get_data(as_text=True)
    assert moved.status_code == 200 and lang_of(html) == "en"
    assert "I will come at break.</textarea>" in html and "Your messages" in html
    assert db.session.scalar(select(func.count()).select_from(ReportMessage)) == 0
    # And it is sent from there as any message is.
    client.post("/follow-up?lang=en", data={**hidden(html), "body": "I will come at break."},
                **PUPIL)
    assert db.session.scalar(select(ReportMessage.body)) == "I will come at break."
