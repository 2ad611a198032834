"""After Send: the code once, when staff will read it, and help that fits what was said."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from schoolsafe.report import views

# A Wednesday in term time, in London (UTC+1 in June): 11:00 local is school hours.
SCHOOL_DAY = datetime(2025, 6, 11, 10, 0)
# The same Wednesday at 21:00 local; staff are back on Thursday at 8:00am.
EVENING = datetime(2025, 6, 11, 20, 0)
# Saturday 10:00 local; staff are back on Monday.
WEEKEND = datetime(2025, 6, 14, 9, 0)


@pytest.fixture
def at(monkeypatch):
    """Set the clock the confirmation page reads."""

    def set_clock(moment: datetime) -> None:
        monkeypatch.setattr(views, "utcnow", lambda: moment)

    return set_clock


def confirmation(client, **answers) -> str:
    response = client.post("/tell/oak", data={"about": "self", **answers})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def headings(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", page)]


def test_in_school_hours_the_pupil_is_told_staff_are_there_and_given_the_24_hour_line(
        client, make, at):
    make.school("oak", name="Oak Academy")
    at(SCHOOL_DAY)
    page = confirmation(client, choices=["rumours"])
    assert "They are at school now and read these during the school day." in page
    assert "When staff will see this" not in page
    assert re.search(r'class="crisis-line">.*Childline.*0800 1111.*any time, day or night',
                     page, re.S)
    assert headings(page)[0] == "Sent. Thank you."


@pytest.mark.parametrize(("moment", "back"), [
    pytest.param(EVENING, "They will read what you told us tomorrow at 8:00am.", id="evening"),
    pytest.param(WEEKEND, "They will read what you told us on Monday at 8:00am.", id="weekend"),
])
def test_out_of_hours_the_pupil_gets_the_code_first_then_when_staff_will_read_it(
        client, make, at, moment, back):
    make.school("oak")
    at(moment)
    page = confirmation(client, choices=["rumours"])
    assert back in page
    assert "They are at school now" not in page
    # At 360 px the night help fills the first screen: the code words must come before it.
    night = page.index("When staff will see this")
    assert page.index('<p class="code" id="code">') < night
    assert "0800 1111" in page[night:]
    assert 'class="help help-urgent" aria-labelledby="help-out_of_hours"' in page


def test_danger_now_puts_the_emergency_number_and_helpline_before_anything_else(
        client, make, at):
    make.school("oak")
    at(EVENING)
    page = confirmation(client, choices=["nude_shared"], danger_now="y")
    assert headings(page)[:2] == ["If someone is in danger right now", "We have your message"]
    main = page[page.index("<main"):]
    first_section = main[:main.index("</section>")]
    assert "999" in first_section and "0800 1111" in first_section
    # Then the code, then when staff are back, then the rest of the help.
    order = [page.index(t) for t in ("If someone is in danger right now",
                                     "Your code words", "When staff will see this",
                                     "If a nude or private picture is being shared",
                                     "What happens next")]
    assert order == sorted(order)


@pytest.mark.parametrize(("answers", "shown", "not_shown"), [
    pytest.param({"choices": ["nude_shared"]}, ["Report Remove", "Take It Down"],
                 ["CEOP", "in danger right now"], id="nude shared"),
    pytest.param({"choices": ["threats"]}, ["Do not pay, and do not send any more pictures",
                                            "CEOP", "Report Remove", "Take It Down"],
                 ["If a nude or private picture is being shared"], id="threat choice"),
    pytest.param({"threats": "y", "choices": ["rumours"]},
                 ["Do not pay", "Tell an adult you trust", "Report Remove"],
                 ["If a nude or private picture is being shared"], id="threat question"),
    pytest.param({"adult_involved": "y", "choices": ["unwanted_messages"]},
                 ["If an adult is involved", "CEOP"],
                 ["True Vision", "threatening you"], id="messages from an adult"),
    pytest.param({"choices": ["fake_profile"]}, ["Report the account or page on the app",
                                                 "Report Harmful Content"],
                 ["Do not pay", "Report Remove"], id="fake profile"),
    pytest.param({"choices": ["bait_out_page"]}, ["Report the account or page on the app"],
                 ["Do not pay"], id="bait-out page"),
    pytest.param({"narrative": "something else happened"}, ["What happens next"],
                 ["Report Remove", "Do not pay", "Report the account"], id="only own words"),
])
def test_the_help_fits_what_the_pupil_said(client, make, at, answers, shown, not_shown):
    make.school("oak")
    at(SCHOOL_DAY)
    page = confirmation(client, **answers)
    for text in shown:
        assert text in page, text
    for text in not_shown:
        assert text not in page, text
    assert "What happens next" in page


def test_help_links_are_real_links_to_the_services_and_phone_numbers_can_be_tapped(
        client, make, at):
    make.school("oak")
    at(SCHOOL_DAY)
    page = confirmation(client, choices=["nude_shared"])
    assert '<a href="https://www.childline.org.uk/remove" rel="noreferrer noopener">' in page
    assert '<a href="tel:08001111">0800 1111</a>' in page


def test_the_confirmation_links_to_the_page_for_coming_back_with_the_code(client, make, at):
    make.school("oak")
    at(EVENING)
    page = confirmation(client, choices=["rumours"])
    box = page[page.index('class="code-box"'):page.index("</section>", page.index("code-box"))]
    assert re.search(r'<a href="/follow-up">[^<]*code words[^<]*</a>', box)


def test_the_code_is_shown_once_with_a_prompt_to_write_it_down(client, make, at):
    make.school("oak")
    at(SCHOOL_DAY)
    page = confirmation(client, choices=["rumours"])
    code = re.search(r'<p class="code" id="code">([^<]+)</p>', page).group(1)
    assert len(code.split()) == 6
    assert "Write them down. Keep them safe." in page
    assert "we can't look them up for you later" in page
    assert page.count(code) == 1


# ---- who it is about, chosen on the real form ----------------------------------------------------

def sent_through_the_form(client, who: str, what: list[str]) -> str:
    """Tick on the school's form the answers whose labels say who and what, as a pupil does."""
    form = client.get("/tell/oak").get_data(as_text=True)

    def value_for(name: str, label: str) -> str:
        found = re.search(rf'<input id="([^"]+)" name="{name}"[^>]*value="([^"]+)">\s*'
                          rf'<label for="\1">{re.escape(label)}', form)
        assert found, label
        return found.group(2)

    secret = re.search(r'name="form_secret" value="([^"]+)"', form).group(1)
    response = client.post("/tell/oak", data={
        "form_secret": secret, "about": value_for("about", who),
        "choices": [value_for("choices", label) for label in what]})
    assert response.status_code == 200
    return response.get_data(as_text=True)


NUDE_SHARED = "Someone shared a nude"
THREATS = "Threats to share a picture"
# Said only to the pupil in the picture.
THEIRS = ["This is not your fault", "If the picture is on your phone",
          "Ask for a nude of you to be taken down", "nudes taken before you were 18"]


def test_a_bystander_who_was_sent_a_nude_is_told_what_to_do_with_it(client, make, at):
    make.school("oak")
    at(SCHOOL_DAY)
    page = sent_through_the_form(client, "Someone else", [NUDE_SHARED])
    assert "If you saw or were sent a nude or private picture" in headings(page)
    for said in ["It is not your fault that you were sent it or saw it.",
                 "Do not send it on to anyone, not even to show an adult.",
                 "Do not delete it yet.", "Tell us where it is",
                 "Report Remove and Take It Down are for the person in the picture.",
                 "If you know them, you can help them to."]:
        assert said in page, said
    assert not [said for said in THEIRS if said in page]


def test_a_pupil_telling_about_a_friend_reads_about_helping_the_friend(client, make, at):
    make.school("oak")
    at(SCHOOL_DAY)
    own = sent_through_the_form(client, "Me", [NUDE_SHARED, THREATS])
    assert [said for said in THEIRS if said in own] == THEIRS  # the pupil in the picture
    page = sent_through_the_form(client, "A friend", [NUDE_SHARED, THREATS])
    titles = headings(page)
    assert "If someone is threatening your friend or asking them for pictures or money" in titles
    assert "If a nude or private picture of your friend is being shared" in titles
    assert "It is not your friend&#39;s fault" in page
    assert "they can ask for it to be taken down" in page
    assert not [said for said in THEIRS if said in page]

