"""Follow-up codes in every language: the lists, their randomness, forgiving typing across
languages, and English codes handed out before there were other languages still working."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from schoolsafe.extensions import db
from schoolsafe.services.reports import codes, followup, submit
from schoolsafe.services.reports.submit import ReportInput
from schoolsafe.vocab import Language

KEY = "k" * 40
ROOT = Path(__file__).resolve().parents[2]
FILE_LANGUAGES = ("cy", "nl", "sv")


def _file_words(language: str) -> list[str]:
    lines = (codes.WORDLISTS / f"{language}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("language", Language.values())
def test_a_code_in_every_language_carries_at_least_64_bits(language):
    words = codes.wordlist(language)
    assert len(set(words)) == len(words)
    assert codes.entropy_bits(language) == pytest.approx(
        codes.words_per_code(language) * math.log2(len(words)))
    assert codes.entropy_bits(language) >= 64
    code = codes.new_code(language)
    assert len(code.split()) == codes.words_per_code(language)
    assert set(code.split()) <= set(words)


def test_codes_are_six_words_wherever_the_list_is_long_enough():
    for language in Language.values():
        long_enough = len(codes.wordlist(language)) >= 2 ** (64 / 6)
        assert (codes.words_per_code(language) == 6) == long_enough, language
    assert codes.words_per_code("en") == 6
    assert codes.words_per_code("fr") == codes.words_per_code("es") == 6


def test_french_and_spanish_codes_come_from_the_bip39_lists_in_the_mnemonic_package():
    from mnemonic import Mnemonic

    for language, name in (("fr", "french"), ("es", "spanish")):
        # Read from the package's files (no network), accents as separate marks there.
        bip39 = [unicodedata.normalize("NFC", word) for word in Mnemonic(name).wordlist]
        assert len(bip39) == 2048
        assert set(codes.wordlist(language)) < set(bip39)
    assert "abeille" in codes.wordlist("fr") and "ábaco" in codes.wordlist("es")
    assert "attaque" not in codes.wordlist("fr") and "miedo" not in codes.wordlist("es")


@pytest.mark.parametrize("language", FILE_LANGUAGES)
def test_the_committed_lists_are_plain_child_readable_words_known_by_their_first_four_letters(
        language):
    words = _file_words(language)
    assert len(words) >= 566  # seven words of 64 bits; six need 1626 (Welsh: seven)
    assert all(re.fullmatch(r"[^\W\d_]{3,8}", word) and word == word.lower()
               for word in words)
    starts = [codes.fold(word)[:4] for word in words]
    assert len(set(starts)) == len(words)
    assert not set(words) & codes.UNSUITABLE_BY_LANGUAGE[language]
    assert list(codes.wordlist(language)) == words


def test_the_list_check_script_passes_on_the_committed_lists():
    checked = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_wordlists.py")],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "PROBLEMS" not in checked.stdout


@pytest.mark.parametrize(("language", "typed", "words"), [
    ("cy", "ŵy", ["wy"]), ("cy", "wy", ["wy"]),
    ("sv", "ÄPPLE", ["apple"]), ("sv", "apple", ["apple"]), ("sv", "äppl", ["apple"]),
    ("fr", "ABEILLE", ["abeille"]), ("fr", "académie", ["academie"]),
    ("fr", "academie", ["academie"]), ("es", "ábaco", ["abaco"]), ("es", "ABACO", ["abaco"]),
    ("nl", "maïs", ["mais"]), ("nl", "mais", ["mais"]),
])
def test_accents_and_case_are_forgiven_either_way(language, typed, words):
    assert codes.normalise(typed, language).split() == words


@pytest.mark.parametrize("language", Language.values())
def test_every_languages_code_is_found_however_it_is_typed(language):
    for _ in range(50):
        code = codes.new_code(language)
        canonical = codes.fold(code)
        assert canonical == " ".join(codes.fold(word) for word in code.split())
        words = canonical.split()
        for typed in (code, code.upper(), canonical.upper(), "-".join(words),
                      ".".join(words), ", ".join(words), "".join(words),
                      " ".join(word[:4] for word in words), canonical.upper().replace(" ", ""),
                      "  " + "\n".join(code.split()) + " "):
            assert (language, canonical) in codes.candidates(typed), (language, typed)


def test_the_hash_of_a_code_in_another_language_is_of_its_lower_case_words_without_accents():
    code = "Ábaco Acción Ágil Águila Añejo Año"
    canonical = "abaco accion agil aguila anejo ano"
    expected = hmac.new(KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()
    assert codes.code_hash(code, KEY, "es") == expected
    assert expected in codes.code_hashes("ABACO-ACCION-AGIL-AGUILA-ANEJO-ANO", KEY)


def test_a_code_with_one_unknown_word_is_no_code_in_any_language():
    code = codes.new_code("cy").split()
    code[3] = "xyzzyq"
    assert codes.candidates(" ".join(code)) == []
    assert codes.code_hashes(" ".join(code), KEY) == []


def test_codes_derived_from_a_form_secret_are_in_the_pages_language():
    secret = codes.new_form_secret()
    made = {language: codes.derived_code(secret, KEY, None, language)
            for language in Language.values()}
    for language, code in made.items():
        assert set(code.split()) <= set(codes.wordlist(language))
        assert codes.derived_code(secret, KEY, None, language) == code
    assert len(set(made.values())) == len(made)


# Made by the code before follow-up codes came in other languages: the form secret, the server
# key, the six English words it gave and the hash stored for them.
OLD_SECRET = "Oak-form-secret-for-a-code-made-last-term_"
OLD_CODE = "ancient magnet fancy rug soldier spike"
OLD_HASH = "c4649c18654b793fe741bef34aef3bf457c81fc655bb4f0401e26a42c23231f3"


def test_an_english_code_made_before_other_languages_still_opens_its_thread(app, make):
    assert codes.derived_code(OLD_SECRET, KEY) == OLD_CODE
    assert codes.code_hash(OLD_CODE, KEY) == OLD_HASH
    school = make.school()
    report = make.report(school).report
    report.followup_hash = OLD_HASH
    db.session.commit()
    for typed in (OLD_CODE, OLD_CODE.upper().replace(" ", ""), "anci-magn-fanc-rug-sold-spik"):
        assert followup.find_report(db.session, typed, KEY).id == report.id, typed


def test_a_resent_form_is_shown_its_code_again_in_the_language_it_was_made_in(app, make):
    school = make.school()
    secret = codes.new_form_secret()
    submission = submit.submission_hash(secret, KEY)
    sent = submit.submit(db.session, school, ReportInput(about="self", choices=("rumours",)),
                         KEY, submission=submission, form_secret=secret, language="cy")
    db.session.commit()
    assert set(sent.code.split()) <= set(codes.wordlist("cy"))
    # The copy comes back from a page shown in English (the pupil switched, or the resend
    # lost its ?lang=): the Welsh words are shown again, not English ones that open nothing.
    again = submit.code_again(db.session, school.id, submission, secret, KEY, None, "en")
    assert again is not None and again.code == sent.code


def test_words_run_together_that_split_two_ways_are_tried_both_ways():
    # "caerhedyn" is "cae rhedyn" or "caer hedyn": a code holding either is found.
    for code in ("cludo awr dafn cae rhedyn athro llwy", "cludo awr dafn caer hedyn athro llwy"):
        assert ("cy", code) in codes.candidates(code.replace(" ", "")), code
        assert codes.code_hash(code, KEY, "cy") in codes.code_hashes(code.replace(" ", ""), KEY)
