"""The pupil's path to Send: what the first view asks, what waits, and how long the page says it
takes - the figure bench/pupil_time.py measures on the same pages."""

from __future__ import annotations

import re
from html import unescape

from bench.pupil_time import PUPIL_LANGUAGES, walk, words_read

NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10}


def claimed_minutes(page: str) -> int:
    """The minutes the start page promises ("It takes about two minutes")."""
    said = re.search(r"takes about (\w+) minutes?", page)
    assert said, "the start page no longer says how long it takes"
    return NUMBERS.get(said.group(1)) or int(said.group(1))


def test_the_start_page_promises_the_time_the_default_path_is_measured_to_take(client, make):
    make.school("oak", name="Oak Academy", code="OAK")
    for language in PUPIL_LANGUAGES:
        start = client.get("/", headers={"Accept-Language": language}).get_data(as_text=True)
        journey = walk(client, "OAK", language)
        assert claimed_minutes(start) == journey.minutes_claimable, (
            f"{language}: the page says {claimed_minutes(start)} minutes, the path takes "
            f"{journey.seconds:.0f} s ({journey.words} words, {journey.actions} actions)")


def _outside_closed_details(page: str) -> str:
    """The form page's HTML with every closed <details> cut down to its summary."""
    return re.sub(r"(<details(?![^>]*\bopen\b)[^>]*>\s*<summary>.*?</summary>).*?</details>",
                  r"\1</details>", page, flags=re.S)


def test_the_form_first_shows_only_what_is_needed_to_send_and_says_once_what_is_optional(
        client, make):
    make.school("oak", name="Oak Academy")
    page = client.get("/tell/oak").get_data(as_text=True)
    first_view = _outside_closed_details(page)
    for needed in ('name="about"', 'name="choices"', 'name="danger_now"', 'name="self_harm"',
                   'name="threats"', 'name="adult_involved"', 'name="under_13"',
                   'name="assault_recording"', 'name="place1-platform"', 'name="place1-text"',
                   "Send to Oak Academy"):
        assert needed in first_view, needed
    for waiting in ('name="narrative"', 'name="started"', 'name="last_happened"',
                    'name="reporter_name"', 'name="reporter_year"', 'name="friend_name"'):
        assert waiting in page and waiting not in first_view, waiting
    read = " ".join(words_read(page))
    assert read.count("Only question 1 has to be answered.") == 1
    assert "skip this" not in read and "if you want to" not in read


def test_the_start_page_answers_the_five_worries_in_one_short_sentence_each(client):
    page = client.get("/").get_data(as_text=True)
    promises = re.search(r'<ul class="promises">(.*?)</ul>', page, re.S).group(1)
    sentences = [unescape(re.sub(r"<[^>]+>", "", item)).strip()
                 for item in re.findall(r"<li>(.*?)</li>", promises, re.S)]
    for worry in ("won't be in trouble", "stay anonymous, but if someone is in danger we will act",
                  "Nothing is too small", "won't contact your family without talking to you first",
                  "tick what happened and press Send"):
        assert any(worry in sentence for sentence in sentences), worry
    assert len(sentences) == 5
    assert all(s.count(".") == 1 and s.endswith(".") and len(s.split()) <= 15
               for s in sentences), sentences


def test_every_longer_reassurance_waits_behind_how_it_works_on_the_start_page_and_the_form(
        client, make):
    make.school("oak", name="Oak Academy")
    for path, school in (("/", "your school"), ("/tell/oak", "Oak Academy")):
        page = client.get(path).get_data(as_text=True)
        folded = re.search(r'<details class="more how-it-works">\s*<summary>How it works</summary>'
                           r"(.*?)</details>", page, re.S)
        assert folded, path
        for promise in ("won't be in trouble for telling us", "You can stay anonymous",
                        "can't see who you are unless you tell us",
                        "if someone is in danger, we will act to keep them safe",
                        "Nothing is too small", "If it bothers you, it matters",
                        "won't contact your family without talking to you first",
                        "Only the first question has to be answered",
                        "help us know how fast to act. If you're not sure, leave them",
                        "You get some code words. Write them down.",
                        f"A member of staff at {school} whose job is to keep pupils safe reads it",
                        "Come back with your code words to read their reply"):
            assert promise in unescape(folded.group(1)), (path, promise)
    form = client.get("/tell/oak").get_data(as_text=True)
    who = re.search(r"<summary>Tell us who you are</summary>(.*?)</details>", form, re.S)
    assert "Staying anonymous doesn't mean secret if someone is in danger" in unescape(who.group(1))
