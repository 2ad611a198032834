"""The pupil's two minutes: how long the default path to Send takes to read and do.

    .venv/bin/python bench/pupil_time.py

For each language the app ships (schoolsafe.vocab.Language), a pupil goes through the real app
(its test client, on a fresh SQLite database with one school offering every language), asking
for the language with `?lang=` and Accept-Language: the start page, where they type their
school's code; the report form as first shown; and the confirmation page down to and
including their code words (in that language's word list: six words, seven in Welsh). It
counts the words a pupil meets on the way and the actions they take to Send, and estimates
the time at 120 words a minute (a 12-year-old reading carefully, under stress or in a second
language) plus 3 seconds per action. The target is under two minutes in every language. The
minutes the start page promises ("It takes about two minutes", its number in the element's
`data-minutes`) must be this estimate rounded up to the minute (Journey.minutes_claimable):
tests/web/test_pupil_time.py fails when they differ. Exits 1 when a language misses the
target, or a shipped language's pages are not in it.

A page is in the language asked for when its `<html lang>` says so and it is not the English
page shown in its place: where a catalogue lacks strings the English comes through, and
counting English words as, say, Welsh would pass by accident. So a page whose words are more
than a quarter in blocks word for word as on the English page of the same step stops the walk
(RuntimeError) - names of services, numbers and the school's name are the few blocks a
translated page shares with the English. A language still being translated
(scripts/check_translations.py LANGUAGES_NOT_YET_SHIPPED) is therefore reported as not
measured, not timed, and does not fail the run until it is shipped.

What counts as a word a pupil meets: every word of visible text in the page's body, with
- a closed <details> counted by its <summary> alone (it opens on request);
- a <select> counted by the one option it shows while closed;
- the button texts, and the text of <input type=submit> buttons;
- nothing in <script>, <style>, <template>, `hidden` or aria-hidden elements, text kept for
  screen readers only (`visually-hidden`) or the skip link, which shows only on focus;
- the language links (`nav.languages`) by the name of the page's own language alone: a pupil
  scans the list for their language's name, they don't read the others.
A word is a run of characters between spaces with at least one letter or digit in it.

Text read once is not read again: the page is cut into blocks (the text of each paragraph,
heading, list item, label, legend, summary, button, link outside a paragraph, ...), and a block
whose exact text, word for word, the pupil already met on an earlier page of the path (the
crisis line, the quick-exit link, the site name, "How it works") is not counted on the later
page. The same text twice on one page counts twice; a block that differs by one word counts
in full. The output says how many words each page repeats.
"""

from __future__ import annotations

import math
import re
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from schoolsafe.vocab import Language  # noqa: E402
from scripts.check_translations import LANGUAGES_NOT_YET_SHIPPED  # noqa: E402

WORDS_PER_MINUTE = 120
SECONDS_PER_ACTION = 3
TARGET_SECONDS = 120
# Every language the pupil pages are offered in: the bench asks for each by `?lang=` and
# Accept-Language and checks the pages came back in it (see the module docstring).
PUPIL_LANGUAGES = tuple(Language.values())
# More of a page's words than this in blocks as on the English page: the English came through.
MOST_AS_ENGLISH = 0.25
ENGLISH = "en"

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
_NEVER_READ = frozenset({"head", "script", "style", "template", "title"})
_SCREEN_READER_ONLY = frozenset({"visually-hidden", "skip-link"})
_WORD = re.compile(r"\w")
# Elements whose start and end cut the text into blocks (see the module docstring).
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "body", "br", "button", "dd",
                     "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
                     "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
                     "input", "label", "legend", "li", "main", "nav", "ol", "option", "p", "pre",
                     "section", "select", "summary", "table", "td", "textarea", "th", "tr",
                     "ul"})


class _Reader(HTMLParser):
    """Collects the text a sighted pupil reads, as the module docstring describes."""

    def __init__(self, stop_after_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.stop_after_id = stop_after_id
        self.blocks: list[list[str]] = [[]]
        # Open elements: (tag, whether text inside it is unread, whether it is a closed
        # <details>, whose children other than <summary> are unread).
        self.stack: list[tuple[str, bool, bool]] = []
        self.selects: list[list[str | None]] = []  # per open <select>: [shown option text]
        self.option: list[str] | None = None
        self.option_selected = False
        self.stopped = False
        self.stop_depth: int | None = None
        self.in_language_links = False

    def hiding(self) -> bool:
        """Whether text here is not read."""
        return self.stopped or any(hidden for _, hidden, _ in self.stack)

    @property
    def text(self) -> list[str]:
        """The current block's text so far."""
        return self.blocks[-1]

    def _cut(self, tag: str) -> None:
        if tag in _BLOCKS and self.blocks[-1]:
            self.blocks.append([])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self._cut(tag)
        if tag in _VOID:
            if tag == "input" and attributes.get("type") in ("submit", "button") \
                    and not self.hiding() and not _unread(attributes):
                self.text.append(attributes.get("value") or "")
                self._cut(tag)
            return
        hidden = tag in _NEVER_READ or _unread(attributes)
        if tag == "nav" and "languages" in (attributes.get("class") or "").split():
            self.in_language_links = True
        elif tag in ("a", "button") and self.in_language_links \
                and "aria-current" not in attributes:
            # Only the page's own language is read (module docstring); on a page with a form
            # the other languages are the form's buttons, read no more than links were.
            hidden = True
        if self.stack and self.stack[-1][2] and tag != "summary":
            hidden = True
        self.stack.append((tag, hidden, tag == "details" and "open" not in attributes))
        if self.stop_after_id and attributes.get("id") == self.stop_after_id:
            self.stop_depth = len(self.stack)
        if tag == "select":
            self.selects.append([None])
        elif tag == "option" and self.selects:
            self.option, self.option_selected = [], "selected" in attributes

    def handle_endtag(self, tag: str) -> None:
        self._cut(tag)
        if tag == "nav":
            self.in_language_links = False
        if tag in _VOID or not any(name == tag for name, _, _ in self.stack):
            return
        while self.stack:
            name, _, _ = self.stack.pop()
            self._closed(name)
            if name == tag:
                break
        if self.stop_depth is not None and len(self.stack) < self.stop_depth:
            self.stopped = True

    def _closed(self, name: str) -> None:
        if name == "option" and self.option is not None and self.selects:
            shown = self.selects[-1]
            if shown[0] is None or self.option_selected:
                shown[0] = " ".join(self.option)
            self.option = None
        elif name == "select" and self.selects:
            shown = self.selects.pop()[0]
            if shown and not self.hiding():
                self.text.append(shown)
                self._cut(name)

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option.append(data)
        elif not self.hiding():
            self.text.append(data)


def _unread(attributes: Mapping[str, str | None]) -> bool:
    classes = set((attributes.get("class") or "").split())
    return ("hidden" in attributes or attributes.get("aria-hidden") == "true"
            or bool(classes & _SCREEN_READER_ONLY))


def blocks_read(html: str, stop_after_id: str | None = None) -> list[str]:
    """The blocks of text a pupil reads on this page, in order, each as its words joined by
    one space (up to the element `stop_after_id`)."""
    reader = _Reader(stop_after_id)
    reader.feed(html)
    reader.close()
    blocks = (" ".join(word for word in " ".join(block).split() if _WORD.search(word))
              for block in reader.blocks)
    return [block for block in blocks if block]


def words_read(html: str, stop_after_id: str | None = None) -> list[str]:
    """The words a pupil reads on this page, in order (up to the element `stop_after_id`)."""
    return [word for block in blocks_read(html, stop_after_id) for word in block.split()]


def count_words(html: str, stop_after_id: str | None = None) -> int:
    """How many words a pupil reads on this page (see words_read)."""
    return len(words_read(html, stop_after_id))


def read_once(pages: Iterable[list[str]]) -> list[tuple[int, int]]:
    """For pages read one after another (each as its blocks_read), the words each page counts
    and the words it repeats: a block already met, word for word, on an earlier page is not
    read again. Repeats within one page count."""
    met: set[str] = set()
    counts = []
    for blocks in pages:
        repeated = [block for block in blocks if block in met]
        counts.append((sum(len(block.split()) for block in blocks if block not in met),
                       sum(len(block.split()) for block in repeated)))
        met.update(blocks)
    return counts


@dataclass(frozen=True)
class Screen:
    """One page on the default path: its name, words read, actions taken on it, and the words
    it shows again from an earlier page (not counted)."""

    name: str
    words: int
    actions: tuple[str, ...]
    repeated: int = 0


@dataclass(frozen=True)
class Journey:
    """The default path to Send in one language."""

    language: str
    screens: tuple[Screen, ...]

    @property
    def words(self) -> int:
        """Words read on the whole path."""
        return sum(screen.words for screen in self.screens)

    @property
    def actions(self) -> int:
        """Actions taken on the whole path."""
        return sum(len(screen.actions) for screen in self.screens)

    @property
    def seconds(self) -> float:
        """The estimate: reading at WORDS_PER_MINUTE plus SECONDS_PER_ACTION per action."""
        return self.words * 60 / WORDS_PER_MINUTE + self.actions * SECONDS_PER_ACTION

    @property
    def minutes_claimable(self) -> int:
        """The whole minutes a page may promise: the estimate rounded up."""
        return max(1, math.ceil(self.seconds / 60))


def walk(client, code: str, language: str) -> Journey:
    """Go the default path with a Flask test client: start page, form, confirmation."""
    pages = _path(client, code, language)
    if language != ENGLISH:
        for html, english in zip(pages, _path(client, code, ENGLISH), strict=True):
            _not_english(html, english, language)
    start, form_page, received = pages
    counts = read_once([blocks_read(start), blocks_read(form_page),
                        blocks_read(received, stop_after_id="code")])
    steps = (("start page", ("type the school's code", "press Next")),
             ("form as first shown",
              ("choose who it is about", "tick one thing that happened", "press Send")),
             ("confirmation, down to the code words", ()))
    return Journey(language, tuple(Screen(name, words, actions, repeated)
                                   for (name, actions), (words, repeated) in zip(steps, counts,
                                                                                 strict=True)))


def _path(client, code: str, language: str) -> tuple[str, str, str]:
    """The three pages of the path in this language: start, form, confirmation."""
    headers = {"Accept-Language": language}
    asked = {"lang": language}
    start = _page(client.get("/", query_string=asked, headers=headers), language)
    moved = client.post("/", query_string=asked, headers=headers,
                        data={"code": code, "csrf_token": _token(start)})
    form_page = _page(client.get(moved.headers["Location"], headers=headers), language)
    sent = client.post(moved.headers["Location"], headers=headers, data={
        "csrf_token": _token(form_page), "form_secret": _field(form_page, "form_secret"),
        "about": "self", "choices": "rumours"})
    return start, form_page, _page(sent, language)


def _page(response, language: str) -> str:
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.path} answered {response.status_code}")
    html = response.get_data(as_text=True)
    shown = re.search(r'<html lang="([^"]+)"', html)
    if shown is None or shown.group(1) != language:
        raise RuntimeError(f"asked for {language!r}, the page is in "
                           f"{shown.group(1) if shown else 'no stated language'}")
    return html


def _not_english(html: str, english: str, language: str) -> None:
    """Raise if the page is (mostly) the English one shown in place of `language`."""
    blocks, known = blocks_read(html, stop_after_id="code"), \
        set(blocks_read(english, stop_after_id="code"))
    words = sum(len(block.split()) for block in blocks)
    same = sum(len(block.split()) for block in blocks if block in known)
    if words and same / words > MOST_AS_ENGLISH:
        raise RuntimeError(f"asked for {language!r}, {same} of {words} words on the page are "
                           "as on the English page: its translation is not there yet")


def _field(html: str, name: str) -> str:
    """The value of a hidden field on the page ("" when there is none)."""
    found = re.search(rf'<input\b[^>]*\bname="{name}"[^>]*>', html)
    value = re.search(r'\bvalue="([^"]*)"', found.group(0)) if found else None
    return value.group(1) if value else ""


def _token(html: str) -> str:
    return _field(html, "csrf_token")  # none when an app runs with CSRF checks off (tests)


def report(journeys: Iterable[Journey]) -> tuple[list[str], bool]:
    """The printed lines, and whether every language is under the target."""
    lines, met = [], True
    for journey in journeys:
        passed = journey.seconds < TARGET_SECONDS
        met = met and passed
        lines.append(f"{journey.language}: {journey.words} words, {journey.actions} actions "
                     f"-> {journey.seconds:.0f} s ({journey.seconds / 60:.1f} min); target "
                     f"under {TARGET_SECONDS} s: {'PASS' if passed else 'FAIL'}")
        for screen in journey.screens:
            actions = f" + {', '.join(screen.actions)}" if screen.actions else ""
            again = f" ({screen.repeated} more already read, not counted)" \
                if screen.repeated else ""
            lines.append(f"    {screen.name:38} {screen.words:4} words{again}{actions}")
    return lines, met


def fresh_school_app(folder: Path):
    """The real app on a new SQLite database in `folder`, with one school; and its code."""
    from flask_migrate import upgrade

    from schoolsafe import create_app
    from schoolsafe.extensions import db
    from schoolsafe.models import School

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'pupil_time.db'}",
                      "INSTANCE_PATH": str(folder / "instance"),
                      "OUTBOX_DIR": str(folder / "outbox"), "SERVER_NAME": "localhost",
                      "BASE_URL": "http://localhost"})
    with app.app_context():
        upgrade(revision="heads")
        db.session.add(School(slug="oak", name="Oak Academy", code="OAK",
                              jurisdiction="england-wales", language=ENGLISH,
                              languages=list(PUPIL_LANGUAGES)))
        db.session.commit()
    return app, "OAK"


def main() -> int:
    """Measure every pupil language and print the estimate against the target."""
    import os

    os.environ.setdefault("SCHOOLSAFE_ENV", "development")
    with tempfile.TemporaryDirectory(prefix="pupil-time-") as folder:
        app, code = fresh_school_app(Path(folder))
        # Each request brings its own app context (one held open here would keep the first
        # request's CSRF token in `g` for every later one).
        journeys, untranslated = [], []
        for language in PUPIL_LANGUAGES:
            try:
                journeys.append(walk(app.test_client(), code, language))
            except RuntimeError as problem:
                shipped = language not in LANGUAGES_NOT_YET_SHIPPED
                untranslated.append((shipped, f"{language}: not measured - {problem}"
                                     + ("" if shipped else " (not yet shipped)")))
        lines, met = report(journeys)
        lines += [line for _, line in untranslated]
        from schoolsafe.extensions import db

        with app.app_context():
            db.engine.dispose()
    print(f"pupil's time to Send, at {WORDS_PER_MINUTE} words a minute + "
          f"{SECONDS_PER_ACTION} s per action; text already read on an earlier page "
          "(same block, word for word) counted once")
    print("\n".join(lines))
    return 0 if met and not any(shipped for shipped, _ in untranslated) else 1


if __name__ == "__main__":
    sys.exit(main())
