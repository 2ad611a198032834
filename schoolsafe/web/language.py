"""Which language a page is shown in, and the links that switch it.

Pupils carry their choice in the address (`?lang=cy`), never in a cookie or the session, so a
shared device keeps no trace of it; every address the pupil pages build keeps it
(`keep_pupil_language`, on the report blueprint). Staff choose theirs on their account page.

For this request, the first of these that says:
1. a pupil's `?lang=`, when the school offers that language (or, before any school is known,
   when we have it at all); for staff, the language on their account;
2. the school's default language (the school the pupil page is about, or the one staff work in);
3. the browser's Accept-Language, among the languages on offer;
4. English.
"""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import get_locale, gettext, refresh
from flask_login import current_user
from sqlalchemy import select

from schoolsafe.extensions import babel, db
from schoolsafe.models import School
from schoolsafe.security.access import working_school_id
from schoolsafe.services.words import read_catalogues_from
from schoolsafe.vocab import Language, translate_labels_with

PARAMETER = "lang"
DEFAULT = Language.EN
# Staff addresses start here; every other page is a pupil's (as errors.py reads it).
STAFF_PREFIX = "/staff/"


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our selector, and give templates the page's language and links."""
    babel.init_app(app, locale_selector=select_language)
    # Services write notes and emails from the same catalogues the pages are read from.
    read_catalogues_from(*app.extensions["babel"].translation_directories)
    translate_labels_with(gettext)  # vocabulary labels, read in the page's language
    app.before_request(_start_afresh)
    app.add_template_global(page_language, "page_language")
    app.add_template_global(language_links, "language_links")
    app.add_template_global(alternate_url, "alternate_url")


def use_school_languages(school: School) -> None:
    """Let this pupil page offer the school's languages, opening in the school's own."""
    g.pupil_school_languages = (school.language, tuple(school.languages))
    refresh()  # anything read before the school was known was in the other language


def _start_afresh() -> None:
    # Each request chooses again: nothing of the last one's language may carry over where an
    # app context outlives a request (the CLI, tests).
    g.pop("pupil_school_languages", None)
    refresh()


def keep_pupil_language(_endpoint: str, values: dict[str, object]) -> None:
    """Keep a pupil's chosen language in every address a pupil page builds (a url_defaults
    hook): links, form actions and redirects all carry `?lang=`."""
    chosen = chosen_pupil_language()
    if chosen and PARAMETER not in values:
        values[PARAMETER] = chosen


def select_language() -> str:
    """The language of this request (the order in the module docstring); English outside a
    request (jobs and commands, unless they say otherwise with flask_babel.force_locale)."""
    if not has_request_context():
        return DEFAULT
    if _is_staff_page():
        return _staff_language()
    school_default, offered = _pupil_offer()
    return chosen_pupil_language() or school_default or _from_browser(offered)


def chosen_pupil_language() -> str | None:
    """The language a pupil picked with `?lang=`, when it is one on offer here."""
    asked = request.args.get(PARAMETER, "")
    return asked if asked in _pupil_offer()[1] else None


def page_language() -> str:
    """The page's language code, for `<html lang>`."""
    return str(get_locale() or DEFAULT)


def page_variant() -> tuple[str, str | None, tuple[str, ...]]:
    """What a pupil page's words, addresses and language links depend on, for pages kept once
    made: its language, whether the address carries it, and the languages on offer."""
    return page_language(), chosen_pupil_language(), _pupil_offer()[1]


def language_links() -> list[tuple[Language, str]]:
    """Each language a pupil may switch to on this page, with this page's address in it (for
    the switch links; `alternate_url` makes it whole for hreflang); none on staff pages."""
    if _is_staff_page() or request.endpoint is None or request.endpoint == "static":
        return []
    offered = _pupil_offer()[1]
    if len(offered) < 2:
        return []
    args = {**request.args.to_dict(), **(request.view_args or {})}
    return [(Language(code), url_for(request.endpoint, **{**args, PARAMETER: code}))
            for code in offered]


def alternate_url(path: str) -> str:
    """A page's whole address for an hreflang alternate, on our configured BASE_URL - never
    the Host header a request brought, which a kept page would show to everyone after."""
    return current_app.config["BASE_URL"] + path


def _pupil_offer() -> tuple[str | None, tuple[str, ...]]:
    # Before a school is known (the home page, follow-up before the code): every language.
    return g.get("pupil_school_languages") or (None, Language.values())


def _staff_language() -> str:
    chosen = getattr(current_user, "language", None)
    if chosen:
        return chosen
    school_id = working_school_id() if current_user.is_authenticated else None
    # One small query, whatever the page has loaded or a commit has expired by then.
    language = db.session.scalar(select(School.language).where(School.id == school_id)) \
        if school_id else None
    return language or _from_browser(Language.values())


def _from_browser(offered: tuple[str, ...]) -> str:
    return request.accept_languages.best_match(offered) or DEFAULT.value


def _is_staff_page() -> bool:
    return (request.path + "/").startswith(STAFF_PREFIX)
