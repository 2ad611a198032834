"""Words marked for translation that are read later than they are written: form labels,
validator messages and messages kept in module constants.

`_l("...")` translates when the words are shown, into that page's language, and `_nl(...)`
does the same for words that name a number, in that number's plural form. Unlike
Flask-Babel's own lazy strings, which a template prints as trusted HTML, these are escaped like
any other text, so an apostrophe or a pupil's own words in a placeholder stay plain text.
"""

from __future__ import annotations

from flask_babel import gettext, ngettext
from flask_babel.speaklater import LazyString
from markupsafe import escape

from schoolsafe.services.errors import WordedError


class Words(LazyString):
    """Translated when read; printed as text, never as HTML."""

    def __html__(self) -> str:
        return str(escape(str(self)))


def _l(string: str, **variables: object) -> Words:
    """Mark `string` for translation, translated each time it is shown."""
    return Words(gettext, string, **variables)


def _nl(singular: str, plural: str, num: int, **variables: object) -> Words:
    """Mark words that name a number for translation, in the plural form of that number in the
    page's language (Welsh has six); `%(num)d` in them is the number."""
    return Words(ngettext, singular, plural, num, **variables)


def later(english: str) -> Words:
    """English words already marked for translation where they were written (a vocabulary
    label, `N_(...)`), translated when shown - for choices built once, at import."""
    return Words(gettext, english)


def error_text(error: Exception) -> str:
    """A service's error message in the page's language: a FieldError's (any WordedError's)
    with its values filled in; any other error's when it is one marked N_ with no values."""
    if isinstance(error, WordedError):
        return gettext(error.template, **error.params)
    message = str(error)
    # gettext("") would be the catalogue's own header.
    return gettext(message) if message else message
