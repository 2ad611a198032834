"""Which language a page is shown in."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import get_locale

from schoolsafe.extensions import babel
from schoolsafe.vocab import Language

DEFAULT = Language.EN


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our selector, and give templates the page's language."""
    babel.init_app(app, locale_selector=select_language)
    app.add_template_global(page_language, "page_language")


def select_language() -> str:
    """The language of this request: the browser's choice among ours, else English."""
    return request.accept_languages.best_match(Language.values()) or DEFAULT.value


def page_language() -> str:
    """The page's language code, for `<html lang>`."""
    return str(get_locale() or DEFAULT)
