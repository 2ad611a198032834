"""The translation check: every offered language has every string, with the English's
placeholders and its own number of plural forms. A language still being translated is listed in
LANGUAGES_NOT_YET_SHIPPED, and is expected to be incomplete until it is taken off that list."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from schoolsafe.vocab import Language
from scripts.check_translations import (
    LANGUAGES,
    LANGUAGES_NOT_YET_SHIPPED,
    check,
    check_all,
    in_template,
    marked_in_code,
)
from scripts.unmarked_text import unmarked_everywhere

REPORTS = {report.language: report for report in check_all()}


def _shipping(code: str):
    if code in LANGUAGES_NOT_YET_SHIPPED:
        return pytest.param(code, marks=pytest.mark.xfail(
            strict=True, reason=f"{code} is not yet shipped (LANGUAGES_NOT_YET_SHIPPED); when "
                                "this passes, take it off that list"))
    return code


def test_every_language_has_a_catalogue_and_english_is_shipped():
    assert set(LANGUAGES) == set(Language.values())
    assert "en" not in LANGUAGES_NOT_YET_SHIPPED
    assert set(LANGUAGES_NOT_YET_SHIPPED) < set(LANGUAGES)


@pytest.mark.parametrize("code", [_shipping(code) for code in LANGUAGES])
def test_a_shipped_language_has_every_string(code):
    report = REPORTS[code]
    print(report.summary())
    assert report.total > 0
    assert report.missing == [], report.summary()


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_language_changes_a_placeholder_or_lacks_a_plural_form(code):
    # Even a language still being translated: a wrong placeholder breaks the page it is on.
    report = REPORTS[code]
    assert (report.placeholder_problems, report.plural_problems) == ([], []), report.summary()


def test_no_template_has_a_word_left_unmarked():
    # scripts/unmarked_text.py lists them: wrap each in {{ _("...") }}.
    assert unmarked_everywhere() == []


def test_messages_pot_holds_every_string_the_code_marks():
    # Run `make translations` after marking or changing a string.
    assert marked_in_code() - in_template() == set()
    assert in_template() - marked_in_code() == set()


# The checker itself, on small catalogues.

def template(*messages: tuple[object, ...]) -> Catalog:
    english = Catalog(locale="en")
    for message in messages:
        english.add(*message)
    return english


TEMPLATE = template(("Language",), ("Hello %(name)s",),
                    (("One message", "%(num)d messages"),))


def test_a_complete_catalogue_passes():
    dutch = Catalog(locale="nl")
    dutch.add("Language", "Taal")
    dutch.add("Hello %(name)s", "Hallo %(name)s")
    dutch.add(("One message", "%(num)d messages"), ("Eén bericht", "%(num)d berichten"))
    report = check(TEMPLATE, dutch, "nl")
    assert report.complete and report.summary() == "nl: 3 of 3 strings translated"


def test_a_missing_string_is_named_and_counted():
    dutch = Catalog(locale="nl")
    dutch.add("Language", "Taal")
    dutch.add("Hello %(name)s", "")
    report = check(TEMPLATE, dutch, "nl")
    assert not report.complete
    assert report.missing == ["Hello %(name)s", "One message"]
    assert report.summary() == "nl: 1 of 3 strings translated"


def test_a_placeholder_different_from_the_english_is_named():
    french = Catalog(locale="fr")
    french.add("Language", "Langue")
    french.add("Hello %(name)s", "Bonjour %(nom)s")
    french.add(("One message", "%(num)d messages"), ("Un message", "%(num)d messages", "%(n)d"))
    report = check(TEMPLATE, french, "fr")
    assert report.missing == []
    assert report.placeholder_problems == [
        "Hello %(name)s: ['nom'] instead of ['name']",
        "One message: ['n'] instead of ['num']"]


def test_welsh_needs_six_plural_forms():
    complete = Catalog(locale="cy")
    complete.add("Language", "Iaith")
    complete.add("Hello %(name)s", "Helo %(name)s")
    forms = ("%(num)d neges", "Un neges", "Dwy neges", "Tair neges", "Chwe neges",
             "%(num)d neges")
    complete.add(("One message", "%(num)d messages"), forms)
    assert complete.num_plurals == 6
    assert check(TEMPLATE, complete, "cy").complete

    short = Catalog(locale="cy")
    short.add("Language", "Iaith")
    short.add("Hello %(name)s", "Helo %(name)s")
    short.add(("One message", "%(num)d messages"), ("Un neges", "%(num)d neges"))
    assert check(TEMPLATE, short, "cy").plural_problems == ["One message: 2 forms, cy has 6"]


def test_the_check_reads_catalogues_from_files(tmp_path: Path):
    with (tmp_path / "messages.pot").open("wb") as handle:
        write_po(handle, TEMPLATE)
    folder = tmp_path / "sv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    swedish = Catalog(locale="sv")
    swedish.add("Language", "Språk")
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, swedish)
    [report] = check_all(tmp_path / "messages.pot", tmp_path, ("sv",))
    assert report.summary() == "sv: 1 of 3 strings translated"
