"""Administration forms: routing entries, the fallback address, school hours and wait times,
languages."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from schoolsafe.services.alerts.routing import MAX_TIER
from schoolsafe.services.reports.categories import CATEGORY_LABELS
from schoolsafe.vocab import N_, URGENCY_THRESHOLD_LABELS, Language
from schoolsafe.web.forms import options, translated_options
from schoolsafe.web.words import _l

URGENCY_CHOICES = URGENCY_THRESHOLD_LABELS.english_items()


DAY_NAMES = [(1, N_("Monday")), (2, N_("Tuesday")), (3, N_("Wednesday")), (4, N_("Thursday")),
             (5, N_("Friday")), (6, N_("Saturday")), (7, N_("Sunday"))]


class Checkboxes(SelectMultipleField):
    """Several choices shown as checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RouteForm(FlaskForm):
    """One new entry on the routing list."""

    user = SelectField(_l("Member of staff"), choices=[], validate_choice=False)
    email = EmailField(_l("Or an email address"), validators=[Optional(), Length(max=254)])
    tier = SelectField(_l("When they are told"), coerce=int, choices=options([
        (1, _l("Tier 1: straight away")),
        *[(n, _l("Tier %(tier)d: if tier %(before)d has not acknowledged in time", tier=n,
                 before=n - 1)) for n in range(2, MAX_TIER + 1)],
    ]))
    min_urgency = SelectField(_l("Which reports"), choices=translated_options(URGENCY_CHOICES))
    categories = Checkboxes(_l("Only these kinds (leave all empty for every kind)"),
                            choices=translated_options(dict.items(CATEGORY_LABELS)))
    on_call = BooleanField(_l("On call: also told at once about immediate reports sent out of "
                           "school hours"))


class FallbackForm(FlaskForm):
    """The shared inbox told when nobody else is."""

    fallback = EmailField(_l("Fallback address"), validators=[Optional(), Length(max=254)])


class HoursForm(FlaskForm):
    """When staff read reports, and how long urgent ones may wait."""

    timezone = SelectField(_l("Time zone"), choices=[])
    start = StringField(_l("Staff start reading at"), validators=[InputRequired(_l("Type a time.")),
                                                              Length(max=5)],
                        render_kw={"inputmode": "numeric", "placeholder": "08:00"})
    end = StringField(_l("and stop at"),
                      validators=[InputRequired(_l("Type a time.")), Length(max=5)],
                      render_kw={"inputmode": "numeric", "placeholder": "16:30"})
    days = Checkboxes(_l("Days staff read reports"), coerce=int,
                      choices=translated_options(DAY_NAMES))
    ack_minutes_immediate = IntegerField(
        _l("Minutes an immediate report may wait before the next people are told"),
        validators=[InputRequired(_l("Type a number of minutes.")), NumberRange(min=1)])
    ack_minutes_high = IntegerField(
        _l("Minutes a high report may wait (school hours only)"),
        validators=[InputRequired(_l("Type a number of minutes.")), NumberRange(min=1)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = options((zone, zone) for zone in sorted(available_timezones()))


class LanguagesForm(FlaskForm):
    """The languages the school's pupils can use, and the one their pages open in."""

    language = SelectField(_l("Pupil pages open in"), choices=options(Language.labels().items()))
    languages = Checkboxes(_l("Languages pupils can switch to"),
                           choices=options(Language.labels().items()))
