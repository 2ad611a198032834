"""Turn the submitted report form into the plain ReportInput the service takes, and put the
service's refusal next to the answer it is about."""

from __future__ import annotations

from wtforms import Form

from schoolsafe.services.register.linking import Place
from schoolsafe.services.reports.submit import ReportError, ReportInput
from schoolsafe.services.sanitize import clean_text
from schoolsafe.web.report_form import ReportForm
from schoolsafe.web.words import error_text


def _line(value: str | None) -> str:
    return clean_text(value, keep_newlines=False)


def filled_place_rows(form: ReportForm) -> list[Form]:
    """The place rows with something typed in them; empty rows are not places."""
    return [row.form for row in form.place_forms() if _line(row.form.text.data)]


def report_input(form: ReportForm) -> ReportInput:
    """Cleaned values from the form, with the urgency answers as factor codes."""
    places = tuple(Place(platform=row.platform.data or "", text=_line(row.text.data))
                   for row in filled_place_rows(form))
    factors = frozenset(name for name in form.FACTOR_FIELDS if form[name].data)
    return ReportInput(
        about=form.about.data or "", choices=tuple(dict.fromkeys(form.choices.data or ())),
        places=places,
        started=_line(form.started.data), last_happened=_line(form.last_happened.data),
        factors=factors, narrative=clean_text(form.narrative.data),
        reporter_name=_line(form.reporter_name.data),
        reporter_year=_line(form.reporter_year.data), friend_name=_line(form.friend_name.data),
        accused_who=_line(form.accused_who.data), accused_staff_id=_staff_id(form),
        follows_earlier=bool(form.told_before.data), earlier_when=form.earlier_when.data or "",
        earlier_about=_line(form.earlier_about.data),
    )


def _staff_id(form: ReportForm) -> int | None:
    # Only the staff concern form has the staff list; a value that is no number is nobody.
    value = form["accused_staff"].data if "accused_staff" in form else ""
    return int(value) if value and str(value).isdigit() else None


def mark_report_error(form: ReportForm, error: ReportError) -> None:
    """Put the service's message next to the answer it is about."""
    field = None
    if error.field in ("places", "place_platform"):
        # The service counts only the rows with something typed in them, as report_input().
        row = filled_place_rows(form)[error.position or 0]
        field = row.platform if error.field == "place_platform" else row.text
    elif error.field in form:
        field = form[error.field]
    if field is not None:
        field.errors = [*field.errors, error_text(error)]
