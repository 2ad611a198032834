"""No English left on a pupil page once its language's catalogue is complete.

The pages are shown in Swedish from a throwaway catalogue made here, in which every string the
code marks for translation reads "⟦...⟧" around its English: whatever a page shows outside the
markers was never marked, so no translator could ever have translated it. Names of services,
the school's name, code words, what was typed, numbers and Babel's own day and month names may
stay as they are. This proves "no English left" whatever the real catalogues hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import datetime

import pytest
from babel.dates import get_day_names, get_month_names
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from flask import abort, g
from flask_wtf.csrf import CSRFError

from schoolsafe.extensions import babel, db
from schoolsafe.models import Report
from schoolsafe.report import views
from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.services.reports import followup
from schoolsafe.vocab import Language
from schoolsafe.web.report_form import PLATFORM_WORDS
from scripts.check_translations import KEYWORDS, ROOT
from tests.conftest import empty_tables, make_app
from tests.factories import Factory
from tests.visible_text import NotWords, text_blocks

LANGUAGE = "sv"
OPEN, CLOSE = "\u27e6", "\u27e7"
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
PUPIL = {"environ_base": {"REMOTE_ADDR": "192.0.2.10"}}
SCHOOL = "Ekskolan"
# Wednesday evening in London: staff are back "tomorrow at" 8:00, in the page's words.
EVENING = datetime(2025, 6, 11, 20, 0)
TYPED = "They post about girls in our year."
REPLY = "Thank you for telling us."
PICTURE = "data:image/png;base64," + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4" * 4


def marker_catalogue(folder) -> None:
    """A catalogue for LANGUAGE in which every marked string is its English in markers."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalogue = Catalog(locale=LANGUAGE)
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, KEYWORDS):
        if isinstance(message, tuple):
            catalogue.add(message[:2], tuple(OPEN + message[min(n, 1)] + CLOSE
                                             for n in range(catalogue.num_plurals)))
        else:
            catalogue.add(message, OPEN + message + CLOSE)
    (folder / LANGUAGE / "LC_MESSAGES").mkdir(parents=True)
    with (folder / LANGUAGE / "LC_MESSAGES" / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)


@pytest.fixture
def marked_app(database_url, tmp_path):
    marker_catalogue(tmp_path / "translations")
    application = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True,
                           BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))
    # Each error page, reached as a pupil reaches it.
    application.add_url_rule("/fail/<int:status>", "fail", lambda status: abort(status))

    def expired():
        raise CSRFError()

    application.add_url_rule("/fail/csrf", "fail_csrf", expired)
    with application.app_context():
        babel.domain_instance.cache.clear()  # catalogues are kept once read, by language
        try:
            yield application
        finally:
            db.session.rollback()
            empty_tables()
            babel.domain_instance.cache.clear()
            db.engine.dispose()


def not_marked(html: str, not_words: NotWords) -> list[str]:
    """The pieces of text on the page outside every marker that are words to translate."""
    left = []
    for block in text_blocks(html):
        while MARKED.search(block):
            block = MARKED.sub("\n", block)
        left += [piece for piece in block.split("\n") if not not_words.allows(piece)]
    return left


def strings_of(value, seen: set[int] | None = None) -> list[str]:
    """Every string held in a jurisdiction pack (its help and contacts are not ours to
    translate here: packs carry their own texts per language). A pack holds its versions in
    other languages, which hold it: each is read once."""
    seen = set() if seen is None else seen
    if isinstance(value, str):
        # A link is shown without its https://.
        return [value, value.removeprefix("https://")]
    if id(value) in seen:
        return []
    seen.add(id(value))
    if is_dataclass(value):
        return [s for f in fields(value) for s in strings_of(getattr(value, f.name), seen)]
    if isinstance(value, Mapping):
        return [s for pair in value.items() for item in pair for s in strings_of(item, seen)]
    if isinstance(value, list | tuple | set | frozenset):
        return [s for item in value for s in strings_of(item, seen)]
    return []


def hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"',
                           html)
                + re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"',
                             html)
                + re.findall(r'<input id="csrf_token" name="(csrf_token)" type="hidden" '
                             r'value="([^"]*)"', html))


def code_of(html: str) -> str:
    return re.search(r'<p class="code" id="code">([^<]+)</p>', html).group(1)


def test_every_pupil_page_shows_only_marked_words_in_another_language(marked_app, monkeypatch):
    school = Factory(marked_app).school("oak", name=SCHOOL, language=LANGUAGE,
                                        languages=["en", LANGUAGE])
    pack = marked_app.extensions["jurisdictions"][school.jurisdiction]
    pupil = marked_app.test_client()
    pages: dict[str, str] = {}

    def keep(name: str, response, status: int) -> str:
        html = response.get_data(as_text=True)
        assert response.status_code == status, (name, html)
        assert f'<html lang="{LANGUAGE}">' in html, name
        pages[name] = html
        return html

    keep("landing", pupil.get("/", headers={"Accept-Language": LANGUAGE}, **PUPIL), 200)
    keep("landing, no code", pupil.post(f"/?lang={LANGUAGE}", data=hidden_fields(
        pages["landing"]), **PUPIL), 400)
    keep("landing, wrong code", pupil.post(f"/?lang={LANGUAGE}", data={
        **hidden_fields(pages["landing"]), "code": "NOPE"}, **PUPIL), 400)
    form = keep("form", pupil.get("/tell/oak", **PUPIL), 200)
    keep("form, expired", pupil.post("/tell/oak", data={"about": "self"}, **PUPIL), 400)
    keep("form, nothing ticked", pupil.post("/tell/oak", data={
        **hidden_fields(form), "about": "self", "accused_who": "Mr X",
        "reporter_name": "y" * 500, "narrative": PICTURE}, **PUPIL), 400)
    keep("form, refused", pupil.post("/tell/oak", data={
        **hidden_fields(form), "about": "self", "accused_who": "Mr X"}, **PUPIL), 400)
    keep("form, two places", pupil.post("/tell/oak", data={
        **hidden_fields(form), "add_place": "1", "place1-platform": "xbox",
        "place1-text": "oak.rates"}, **PUPIL), 200)
    monkeypatch.setattr(views, "utcnow", lambda: EVENING)
    sent = keep("confirmation", pupil.post("/tell/oak", data={
        **hidden_fields(form), "about": "friend", "choices": ["nude_shared", "threats"],
        "danger_now": "y", "narrative": TYPED}, **PUPIL), 200)
    code = code_of(sent)
    keep("confirmation again", pupil.post("/tell/oak", data={
        **hidden_fields(form), "about": "friend", "choices": ["nude_shared"]}, **PUPIL), 200)
    keep("already sent", pupil.post("/tell/oak", data={
        **hidden_fields(form), "about": "friend", "choices": ["nude_shared"]}, **PUPIL), 200)
    marked_app.config["SUBMIT_LIMIT"] = 0
    # Sent, the pupil's session was dropped; this test's app context (and g) outlives requests,
    # so let the next page make a new CSRF token as a new request would.
    g.pop("csrf_token", None)
    fresh = pupil.get("/tell/oak", **PUPIL).get_data(as_text=True)
    keep("form, too many", pupil.post("/tell/oak", data={
        **hidden_fields(fresh), "about": "self", "choices": ["rumours"]}, **PUPIL), 429)

    report = db.session.query(Report).one()
    followup.add_staff_reply(db.session, report, None, REPLY)
    db.session.commit()
    asked = keep("follow-up", pupil.get(f"/follow-up?lang={LANGUAGE}", **PUPIL), 200)
    keep("follow-up, wrong code", pupil.post(f"/follow-up?lang={LANGUAGE}", data={
        **hidden_fields(asked), "code": "not these words"}, **PUPIL), 400)
    asked = pupil.get(f"/follow-up?lang={LANGUAGE}", **PUPIL).get_data(as_text=True)
    thread = keep("thread", pupil.post(f"/follow-up?lang={LANGUAGE}", data={
        **hidden_fields(asked), "code": code}, **PUPIL), 200)
    keep("thread, nothing typed", pupil.post(f"/follow-up?lang={LANGUAGE}", data={
        **hidden_fields(thread), "body": ""}, **PUPIL), 400)
    keep("page gone", pupil.post(f"/follow-up?lang={LANGUAGE}", data={
        **hidden_fields(thread), "body": "again"}, **PUPIL), 200)
    asked = pupil.get(f"/follow-up?lang={LANGUAGE}", **PUPIL).get_data(as_text=True)
    thread = pupil.post(f"/follow-up?lang={LANGUAGE}", data={**hidden_fields(asked), "code": code},
                        **PUPIL).get_data(as_text=True)
    keep("thread, added", pupil.post(f"/follow-up?lang={LANGUAGE}", data={
        **hidden_fields(thread), "body": "OK."}, **PUPIL), 200)
    marked_app.config["FOLLOWUP_LIMIT"] = 0
    asked = pupil.get(f"/follow-up?lang={LANGUAGE}", **PUPIL).get_data(as_text=True)
    keep("follow-up, too many", pupil.post(f"/follow-up?lang={LANGUAGE}", data={
        **hidden_fields(asked), "code": code}, **PUPIL), 429)
    for status in (400, 404, 405, 413, 429, 500, 503):
        keep(f"error {status}", pupil.get(f"/fail/{status}?lang={LANGUAGE}", **PUPIL), status)
    keep("error, expired", pupil.get(f"/fail/csrf?lang={LANGUAGE}", **PUPIL), 400)

    services = [name for name in PLATFORMS.values() if name not in PLATFORM_WORDS]
    calendar = [*get_month_names(locale=LANGUAGE).values(),
                *get_day_names(locale=LANGUAGE).values()]
    not_words = NotWords.of([SCHOOL, code, TYPED, REPLY, "OK.", "Mr X", "oak.rates"],
                            Language.labels().values(), services, strings_of(pack),
                            words=calendar)
    left = {name: not_marked(html, not_words) for name, html in pages.items()}
    assert {name: words for name, words in left.items() if words} == {}
    # The page really was read through the catalogue: its words are in markers.
    assert f"{OPEN}Sent. Thank you.{CLOSE}" in sent or f"{OPEN}We have your message{CLOSE}" in sent
