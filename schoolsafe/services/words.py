"""Words a service writes for a person to read, in a language it is told (no Flask here).

Where a service builds text at run time - a referral note, a chronology line, a CSV header, a
chart label - the caller says which language: the school's for what is sent or stored (a
referral note, an email), the page's (flask_babel.get_locale()) for what a page shows. The
catalogues are the web app's own (schoolsafe/translations), read with Babel; a language with no
catalogue reads as English, so English text is exactly the msgid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

from schoolsafe.services.local_time import month_name
from schoolsafe.vocab import Term

# The compiled catalogues; the app points this at its BABEL_TRANSLATION_DIRECTORIES.
CATALOGUES = Path(__file__).resolve().parent.parent / "translations"
_directories: list[Path] = [CATALOGUES]


@dataclass(frozen=True)
class Words:
    """gettext and ngettext for one language, with named placeholders filled in."""

    language: str
    catalogue: NullTranslations

    def gettext(self, message: str, **params: object) -> str:
        """`message` in this language, `%(name)s` placeholders filled from `params` (a
        vocabulary term among them reads as its label in this language)."""
        # gettext("") would be the catalogue's own header.
        text = self.catalogue.ugettext(message) if message else message
        return text % self._said(params) if params else text

    def ngettext(self, singular: str, plural: str, num: int, **params: object) -> str:
        """Words that name a number, in that number's plural form here; `%(num)d` is it."""
        text = self.catalogue.ungettext(singular, plural, num)
        return text % {"num": num, **self._said(params)}

    def day(self, day: date) -> str:
        """A date as the chronology writes it: "05 Mar 2026" in English, the same shape in this
        language's month names."""
        return f"{day.day:02d} {month_name(day.month, self.language)} {day.year}"

    def _said(self, params: dict[str, object]) -> dict[str, object]:
        return {name: self.gettext(value.english) if isinstance(value, Term) and value.english
                else value for name, value in params.items()}




def read_catalogues_from(*directories: str | Path) -> None:
    """Read catalogues from these directories from now on (the app's configured ones)."""
    _directories[:] = [Path(directory) for directory in directories]
    words_in.cache_clear()


@cache
def words_in(language: str | None) -> Words:
    """The words of `language` (English when it is unknown or has no catalogue yet)."""
    code = language or "en"
    catalogue: NullTranslations = NullTranslations()
    for directory in _directories:  # the first directory's words win, as in Flask-Babel
        found = Translations.load(str(directory), [code])
        if not isinstance(found, Translations):
            continue
        if isinstance(catalogue, Translations):
            catalogue.merge(found)
        else:
            catalogue = found
    return Words(code, catalogue)


ENGLISH = Words("en", NullTranslations())
