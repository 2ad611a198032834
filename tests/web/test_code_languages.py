"""A pupil's code words are in their page's language, and work on the follow-up page whatever
language that page is shown in, typed however a pupil types them."""

from __future__ import annotations

import re
from html import unescape

import pytest
from markupsafe import escape

from schoolsafe.services.reports import codes
from schoolsafe.services.words import words_in

PUPIL = {"environ_base": {"REMOTE_ADDR": "192.0.2.10"}}
NOT_FOUND = ("We couldn't find a report with those words. Please check them and try again. If "
             "you've lost your code, you can always tell us again.")


@pytest.fixture
def oak(make):
    return make.school("oak", name="Oak Academy", code="OAK", languages=["en", "cy", "sv"])


def send(client, language: str) -> str:
    """Send a report from the form shown in `language`; the code words the pupil is shown."""
    response = client.post("/tell/oak", query_string={"lang": language},
                           data={"about": "self", "choices": ["rumours"]}, **PUPIL)
    page = response.get_data(as_text=True)
    assert f'<html lang="{language}"' in page
    return unescape(re.search(r'<p class="code" id="code">([^<]+)</p>', page).group(1))


def follow_up(client, typed: str, language: str):
    return client.post("/follow-up", query_string={"lang": language}, data={"code": typed},
                       **PUPIL)


def test_a_code_made_on_a_welsh_page_is_in_welsh_words(client, oak):
    code = send(client, "cy")
    assert len(code.split()) == codes.words_per_code("cy")
    assert set(code.split()) <= set(codes.wordlist("cy"))
    assert [language for language, _ in codes.candidates(code)] == ["cy"]


def test_a_welsh_code_typed_in_capitals_without_accents_run_together_works_on_sv_and_en_pages(
        client, oak):
    code = send(client, "cy")
    assert set(code.split()) <= set(codes.wordlist("cy"))
    plain = codes.fold(code).upper()
    for typed, language in ((plain.replace(" ", ""), "sv"), (plain, "en"),
                            ("-".join(word[:4] for word in plain.split()), "sv"), (code, "en")):
        response = follow_up(client, typed, language)
        assert response.status_code == 200, (typed, language)
        page = response.get_data(as_text=True)
        assert f'<html lang="{language}"' in page
        assert 'id="message-form"' in page, (typed, language)  # the thread, in any language


@pytest.mark.parametrize("made_in", ["sv", "en"])
def test_a_code_made_in_swedish_or_english_opens_the_thread_on_a_welsh_page(client, oak,
                                                                             made_in):
    code = send(client, made_in)
    while made_in == "sv" and codes.fold(code) == code.lower():
        code = send(client, made_in)  # one with å, ä or ö in it (most are)
    assert set(code.split()) <= set(codes.wordlist(made_in))
    for typed in (codes.fold(code).replace(" ", ", "), codes.fold(code).upper()):
        response = follow_up(client, typed, "cy")
        assert response.status_code == 200, typed
        assert 'id="message-form"' in response.get_data(as_text=True)


def test_a_welsh_code_with_one_unknown_word_is_refused_with_the_plain_message(client, oak):
    words = send(client, "cy").split()
    assert set(words) <= set(codes.wordlist("cy"))
    wrong = " ".join([*words[:3], "xyzzyq", *words[4:]])
    response = follow_up(client, wrong, "sv")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert escape(words_in("sv").gettext(NOT_FOUND)) in page and f'value="{wrong}"' in page


def test_wrong_codes_in_any_language_use_up_the_same_limit(client, oak, app):
    code = send(client, "cy")
    assert set(code.split()) <= set(codes.wordlist("cy"))
    wrong = codes.new_code("sv")
    for _ in range(app.config["FOLLOWUP_LIMIT"]):
        assert follow_up(client, wrong, "cy").status_code == 400
    blocked = follow_up(client, code, "cy")
    assert blocked.status_code == 429
    assert 'id="message-form"' not in blocked.get_data(as_text=True)
