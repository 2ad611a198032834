"""Template helpers: the `local` filter shows a stored UTC time in the school's own time, and
its `strftime` names days and months in the page's language (PageTime).

Which school's time, for this request:
1. the school the page is about, when the view or the record lookup says so
   (`show_times_for` or `g.display_school_id`, set by get_for_school_or_404);
2. else, for signed-in staff, the school they are working in (`working_school_id`, which
   does not refuse people with no school, such as trust leads);
3. else Europe/London.
The answer is kept on `g`, so a page costs at most one lookup however many times it shows.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask import Flask, g
from flask_babel import get_locale, gettext
from flask_login import current_user
from markupsafe import Markup, escape

from schoolsafe.extensions import db
from schoolsafe.security.access import working_school_id
from schoolsafe.services import local_time
from schoolsafe.services.cases.chronology import segments
from schoolsafe.vocab import Urgency
from schoolsafe.web.once import form_token
from schoolsafe.web.words import error_text


def init_app(app: Flask) -> None:
    """Register the `local` filter, `display_timezone()` for pages that name the zone, and
    `form_token()`, which makes each staff form's submission count once."""
    app.add_template_filter(local, "local")
    app.add_template_filter(inert, "inert")
    app.add_template_filter(urgency_label, "urgency_label")
    app.add_template_filter(said, "said")
    app.add_template_filter(count_text, "count_text")
    app.add_template_global(display_timezone, "display_timezone")
    app.add_template_global(form_token, "form_token")
    app.add_template_global(error_text, "error_text")


def said(english: str) -> str:
    """Words a service gave in English, marked N_ where it wrote them, in the page's
    language (data such as a school's name comes back as it is)."""
    return gettext(english) if english else english


def count_text(cell: object) -> str:
    """An insight count as the page shows it ("fewer than 5" in the page's language)."""
    return cell.said_in(gettext)


def urgency_label(code: str) -> str:
    """A stored urgency in words, in the page's language ("high" -> "High")."""
    return Urgency(code).label if code in Urgency.values() else code


def inert(text: str) -> Markup:
    """Typed text as HTML: escaped, and each thing that looks like a link in a
    <span class="inert-url">, never an <a> - staff read it, nothing fetches or opens it."""
    return Markup("").join(Markup('<span class="inert-url">%s</span>') % part if is_link
                           else escape(part) for part, is_link in segments(text))


def local(moment: datetime | None) -> datetime | None:
    """A stored time as an aware time in this request's display zone (None stays None)."""
    shown = local_time.to_zone(moment, display_timezone())
    return None if shown is None else PageTime.combine(shown.date(), shown.timetz())


_NAMES = re.compile(r"%[aAbB]")


class PageTime(datetime):
    """A time shown on a page: `strftime`'s day and month names (%a %A %b %B) are the page
    language's, from Babel's locale data; in English they are exactly strftime's own."""

    def strftime(self, pattern: str) -> str:
        locale = get_locale()
        if locale is None or locale.language == "en":
            return super().strftime(pattern)
        names = {"%a": locale.days["format"]["abbreviated"][self.weekday()],
                 "%A": locale.days["format"]["wide"][self.weekday()],
                 "%b": local_time.month_name(self.month, str(locale)),
                 "%B": local_time.month_name(self.month, str(locale), "wide")}
        return super().strftime(_NAMES.sub(lambda found: names[found.group(0)].replace(
            "%", "%%"), pattern))


def page_time(moment: datetime) -> PageTime:
    """Any time, as a PageTime (its own zone kept)."""
    return PageTime.combine(moment.date(), moment.timetz())


def show_times_for(school: object) -> None:
    """Show this page's times in the given school's zone (a School row already loaded)."""
    g.display_timezone = getattr(school, "timezone", None) or local_time.DEFAULT_TIMEZONE


def display_timezone() -> str:
    """The IANA zone this request shows times in (looked up once, then kept on g)."""
    if "display_timezone" not in g:
        g.display_timezone = _school_timezone(_display_school_id())
    return g.display_timezone


def _display_school_id() -> int | None:
    if g.get("display_school_id"):
        return g.display_school_id
    if not current_user or not current_user.is_authenticated:
        return None
    return working_school_id()


def _school_timezone(school_id: int | None) -> str:
    from schoolsafe.models import School

    # get() reads the row the view has usually loaded already, so this is rarely a query.
    school = db.session.get(School, school_id) if school_id else None
    return (school.timezone if school else None) or local_time.DEFAULT_TIMEZONE
