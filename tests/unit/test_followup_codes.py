"""Follow-up codes: enough randomness, forgiving typing, a keyed hash, wrong codes find none."""

from __future__ import annotations

import math

import pytest

from schoolsafe.extensions import db
from schoolsafe.services.reports import codes as followup_codes
from schoolsafe.services.reports import followup
from schoolsafe.services.reports.codes import (
    UNSUITABLE,
    WORDS_PER_CODE,
    code_hash,
    entropy_bits,
    looks_like_code,
    new_code,
    normalise,
    wordlist,
)

KEY = "k" * 40


def test_a_code_carries_at_least_64_bits_of_randomness():
    assert entropy_bits() == pytest.approx(WORDS_PER_CODE * math.log2(len(set(wordlist()))))
    assert entropy_bits() >= 64


def test_codes_are_six_words_from_the_list_and_never_repeat():
    codes = [new_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    words = set(wordlist())
    assert all(len(c.split()) == WORDS_PER_CODE and set(c.split()) <= words for c in codes)
    # Every word gets used: the choice is spread over the whole list, not a corner of it.
    used = {w for c in codes for w in c.split()}
    assert len(used) > len(words) * 0.9


def test_codes_come_from_the_operating_systems_random_source(monkeypatch):
    picks = iter(range(WORDS_PER_CODE))
    monkeypatch.setattr(followup_codes.secrets, "choice", lambda seq: seq[next(picks)])
    assert new_code() == " ".join(wordlist()[:WORDS_PER_CODE])


def test_no_upsetting_words_and_every_word_is_known_by_its_first_four_letters():
    words = wordlist()
    assert not set(words) & UNSUITABLE
    assert {"naked", "police", "trouble", "blame"} <= UNSUITABLE
    assert len({w[:4] for w in words}) == len(words)


@pytest.mark.parametrize("typed", [
    "Gauge Pizza Fortune Fix Round Unlock",
    "  gauge   pizza\nfortune\tfix round unlock  ",
    "gauge-pizza-fortune-fix-round-unlock",
    "gauge.pizza.fortune, fix, round, unlock.",
    "gaug pizz fort fix roun unlo",
    "ｇａｕｇｅ pizza fortune fix round unlock",  # full-width letters from a phone keyboard
])
def test_typing_is_forgiven(typed):
    assert normalise(typed) == "gauge pizza fortune fix round unlock"
    assert code_hash(typed, KEY) == code_hash("gauge pizza fortune fix round unlock", KEY)


@pytest.mark.parametrize("typed", [
    "gaugepizzafortunefixroundunlock",
    "GaugePizzaFortune FixRoundUnlock",
    "gauge pizzafortune fix round-unlock",
])
def test_code_words_run_together_without_spaces_are_split(typed):
    assert normalise(typed) == "gauge pizza fortune fix round unlock"


def test_a_code_run_together_is_split_into_list_words_that_spell_it():
    # A few pairs of three-letter and longer words can join up two ways; they still split.
    words = set(wordlist())
    for _ in range(500):
        joined = new_code().replace(" ", "")
        split = normalise(joined).split()
        assert set(split) <= words and "".join(split) == joined


def test_the_stored_hash_is_keyed_and_does_not_contain_the_code():
    code = new_code()
    digest = code_hash(code, KEY)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert all(word not in digest for word in code.split())
    assert code_hash(code, "another key " * 4) != digest
    assert code_hash(new_code(), KEY) != digest


@pytest.mark.parametrize(("typed", "expected"), [
    ("one two three four five six", True), ("one two three four five", False),
    # Seven: a Welsh code (its list is shorter, so it takes one word more).
    ("one two three four five six seven", True),
    ("one two three four five six seven eight", False), ("", False), ("123 456", False),
])
def test_only_six_words_or_seven_in_welsh_can_be_a_code(typed, expected):
    assert looks_like_code(typed) is expected


def test_lookup_finds_the_report_and_every_wrong_code_finds_nothing(app, make):
    school = make.school()
    mine = make.report(school)
    other = make.report(school)
    key = app.config["SECRET_KEY"]
    assert followup.find_report(db.session, mine.code.upper(), key).id == mine.report.id
    assert followup.find_report(db.session, other.code, key).id == other.report.id
    words = mine.code.split()
    changed = " ".join([*words[:5], next(w for w in wordlist() if w != words[5])])
    for wrong in (changed, " ".join(words[:5]), " ".join(reversed(words)), "", "x" * 300):
        assert followup.find_report(db.session, wrong, key) is None, wrong
    assert followup.find_report(db.session, mine.code, "a different key " * 3) is None
