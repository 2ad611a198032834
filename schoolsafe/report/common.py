"""What the pupil pages share: showing a page as the pupil's school's country would, cutting
typed answers to their limits, and switching a form's language."""

from __future__ import annotations

from flask import g, request
from wtforms import Field, Form, FormField
from wtforms.validators import Length

from schoolsafe.models import School
from schoolsafe.templating import show_times_for
from schoolsafe.web.language import use_school_languages


def use_school_country(school: School) -> None:
    """Let this page's quick-exit link go to a neutral site of the school's own country, show
    its times in the school's own time, and offer the school's languages."""
    g.pupil_jurisdiction = school.jurisdiction
    show_times_for(school)
    use_school_languages(school)


# The name of the language buttons a page with a form shows (templates/pupil_base.html): the
# form comes with them to the new language's address, to be shown again there, never sent.
SWITCH_LANGUAGE = "switch_language"


def switching_language() -> bool:
    """Whether this post is a pupil switching language mid-form: save nothing, check
    nothing, show the same form again with what was typed."""
    return SWITCH_LANGUAGE in request.form


def cut_to_limits(form: Form) -> None:
    """Cut every typed answer to its own length limit, so what is shown can be sent."""
    for field in form:
        if isinstance(field, FormField):
            cut_to_limits(field.form)
            continue
        limit = _limit(field)
        if limit is not None and isinstance(field.data, str) and len(field.data) > limit:
            field.data = field.data[:limit]


def _limit(field: Field) -> int | None:
    limits = [rule.max for rule in field.validators if isinstance(rule, Length) and rule.max > 0]
    return min(limits) if limits else None
