"""The register, insight, concerns and file-receipt pages and the staff menu, read by staff at a
school that works in Swedish: every word on them is marked, so the school's catalogue reaches all
of it - headings, labels, buttons, hidden screen-reader words and counts in their plural form.

The real Swedish catalogue is still being written, so the tests build a stand-in from every
string the code marks: "SV" and the string's values, no English word of it left."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo

from schoolsafe.extensions import babel, db
from schoolsafe.models import OnlineAccount
from scripts.check_translations import KEYWORDS, PLACEHOLDER, ROOT
from scripts.unmarked_text import unmarked_everywhere
from tests.conftest import empty_tables, make_app
from tests.factories import Factory, sign_in

# The templates these tests cover (the staff pages the register, insight, concerns and file
# receipt blueprints show, the staff menu around every staff page, and the emails).
MARKED = ["templates/register", "templates/insight", "templates/concerns", "templates/receipt",
          "templates/emails", "templates/errors/staff.html", "templates/errors/staff_plain.html",
          "templates/macros", "templates/staff_base.html"]
SWEDISH_SCHOOL = {"name": "Ekskolan", "language": "sv", "languages": ["sv", "en"]}
PUPIL_PLACES = {"about": "friend", "choices": ["bait_out_page"],
                "place1-platform": "instagram", "place1-text": "@ekskolan_rykten"}


def test_no_word_in_these_templates_is_left_unmarked():
    assert unmarked_everywhere([ROOT / path for path in MARKED]) == []


def stand_in(english: str) -> str:
    """"SV" and the English's values in brackets: "Case %(reference)s" -> "SV[%(reference)s]"."""
    return "SV" + "".join(f"[{found.group()}]" for found in PLACEHOLDER.finditer(english))


def stand_in_swedish(folder) -> None:
    """A Swedish catalogue of every string the code marks, each in its stand-in."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalogue = Catalog(locale="sv")
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, KEYWORDS):
        if isinstance(message, tuple):
            catalogue.add(message[:2], (stand_in(message[0]), stand_in(message[1])))
        else:
            catalogue.add(message, stand_in(message))
    (folder / "sv" / "LC_MESSAGES").mkdir(parents=True)
    with (folder / "sv" / "LC_MESSAGES" / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)


@pytest.fixture
def swedish(database_url, tmp_path):
    """An app with the stand-in Swedish catalogue, a Swedish school and its DSL signed in."""
    stand_in_swedish(tmp_path / "translations")
    application = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=False,
                           BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))
    with application.app_context():
        babel.domain_instance.cache.clear()  # catalogues are kept once read, by language
        try:
            make = Factory(application)
            school = make.school("ek", **SWEDISH_SCHOOL)
            client = application.test_client()
            client.post("/tell/ek", data=PUPIL_PLACES)
            sign_in(client, make.user(school, "dsl"))
            yield client
        finally:
            db.session.rollback()
            empty_tables()
            babel.domain_instance.cache.clear()
            db.engine.dispose()


class _Words(HTMLParser):
    """Each bit of text a person reads on a page: text between tags, and read attributes."""

    READ = ("title", "alt", "placeholder", "aria-label", "data-label")

    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found |= {value.strip() for name, value in attrs if name in self.READ and value}

    def handle_data(self, data: str) -> None:
        self.found.add(data.strip())


def words(page: str) -> set[str]:
    reader = _Words()
    reader.feed(page)
    return reader.found


def sentences_of_these_templates() -> set[str]:
    """Every string these templates mark that a page shows as it is (no values, no tags)."""
    found = set()
    for path in MARKED:
        for _line, message, _comments, _context in extract_from_file(
                "jinja2", ROOT / path, KEYWORDS) if (ROOT / path).is_file() else []:
            found |= set(message if isinstance(message, tuple) else [message])
        for _file, _line, message, _comments, _context in (
                extract_from_dir(str(ROOT / path), [("**.html", "jinja2"), ("**.txt", "jinja2")],
                                 keywords=KEYWORDS) if (ROOT / path).is_dir() else []):
            found |= set(message if isinstance(message, tuple) else [message])
    return {text for text in found if text and "%" not in text and "<" not in text}


def english_and_swedish(client, address: str) -> tuple[str, str]:
    """The page as the DSL reads it in English (their own choice) and in the school's Swedish."""
    client.post("/staff/account/language", data={"language": "en"})
    english = client.get(address).get_data(as_text=True)
    client.post("/staff/account/language", data={"language": ""})
    return english, client.get(address).get_data(as_text=True)


def untranslated(client, address: str, expected: set[str]) -> set[str]:
    """The sentences of these templates the English page shows that the Swedish one still does
    (after checking the English page shows the expected ones)."""
    english, swedish = english_and_swedish(client, address)
    assert '<html lang="en">' in english and '<html lang="sv">' in swedish
    shown = words(english) & sentences_of_these_templates()
    assert expected <= shown, expected - shown
    return shown & words(swedish)


def test_a_swedish_dsl_reads_the_register_and_an_entry_in_swedish(swedish):
    assert untranslated(swedish, "/staff/register/", {
        "Register of online accounts", "Find entries", "Any platform", "Last named", "Sign out",
        "Menu", "Staff"}) == set()
    entry = db.session.scalars(db.select(OnlineAccount)).one()
    address = f"/staff/register/entries/{entry.public_id}"
    # "First named" is also the history's label for the first event, a vocabulary label the
    # register blueprint reads once at import (schoolsafe/register/common.py), not these words.
    assert untranslated(swedish, address, {
        "Back to the register", "Named in", "Reports to the platform and escalations",
        "Mark as taken down", "History"}) - {"First named"} == set()
    # One sentence around its two counts, each count in its own plural form.
    assert "<dd>SV[SV[1]][SV[0]]</dd>" in swedish.get(address).get_data(as_text=True)


def test_a_swedish_dsl_reads_insight_and_concerns_in_swedish(swedish):
    # The figures' own headings and rows ("Platform", "Status", "First named") are made in
    # services/insight, which marks its words itself; the same words in these templates are
    # checked on the register pages.
    assert untranslated(swedish, "/staff/insight/", {
        "Choose what to show", "Download these figures", "Time to acknowledge", "Median time",
        "Share that came back"}) - {"Platform", "Status", "First named"} == set()
    assert untranslated(swedish, "/staff/concerns/new", {
        "Log a concern", "Are any of these true?", "When?", "Send to the safeguarding leads"}
    ) == set()


def test_a_job_with_no_request_renders_a_marked_email_and_labels_in_english(app):
    # A worker or the CLI has an app context and no request: nothing chooses a language for it
    # (the mail builders may force one), so it writes English rather than failing.
    from flask import render_template

    from schoolsafe.vocab import Urgency

    text = render_template("emails/task_reminder.txt", overdue=True, link="https://x.test/t")
    assert text.startswith("Subject: schoolsafe: a task is overdue\n\nA task set for you on")
    assert Urgency.HIGH.label == "High"
