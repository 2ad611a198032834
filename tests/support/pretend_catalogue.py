"""A throwaway compiled catalogue for tests of words in other languages, before anyone has
translated them: every string the code marks, read in `language` as `prefix` + the English."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo

ROOT = Path(__file__).resolve().parents[2]
# As `make translations` reads them (babel.cfg and the Makefile's keywords).
METHODS = [("**.py", "python"), ("**.txt", "jinja2"), ("**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "_l": None,
            "_nl": (1, 2), "lazy_gettext": None}


def marked_strings() -> set[str | tuple[str, str]]:
    """Every string marked in schoolsafe/ and in the email templates (plurals as pairs)."""
    found: set[str | tuple[str, str]] = set()
    for folder in (ROOT / "schoolsafe", ROOT / "templates" / "emails"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                str(folder), METHODS, keywords=KEYWORDS):
            found.add(message)
    return found


def write_pretend_catalogue(directory: Path, language: str, prefix: str) -> Path:
    """Compile <directory>/<language>/LC_MESSAGES/messages.mo with each marked string given
    `prefix` (plural forms each prefixed too), and return the directory."""
    catalogue = Catalog(locale=language)
    for message in marked_strings():
        if isinstance(message, tuple):
            catalogue.add(message, tuple(prefix + part for part in message))
        else:
            catalogue.add(message, prefix + message)
    folder = directory / language / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "messages.mo").open("wb") as out:
        write_mo(out, catalogue)
    return directory


def pretend_app(database_url: str, tmp_path: Path, **catalogues: str):
    """An app (inside its app context) whose pages and services read pretend catalogues, one
    per language given (`sv="SV:"`); the real catalogues and empty tables again afterwards."""
    from schoolsafe.extensions import babel, db
    from schoolsafe.services import words
    from tests.conftest import empty_tables, make_app

    directory = tmp_path / "translations"
    for language, prefix in catalogues.items():
        write_pretend_catalogue(directory, language, prefix)
    application = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=False,
                           BABEL_TRANSLATION_DIRECTORIES=str(directory))
    with application.app_context():
        # Flask-Babel keeps catalogues once read, by language, for every app in the process.
        babel.domain_instance.cache.clear()
        try:
            yield application
        finally:
            db.session.rollback()
            empty_tables()
            db.engine.dispose()
            babel.domain_instance.cache.clear()
            words.read_catalogues_from(words.CATALOGUES)
