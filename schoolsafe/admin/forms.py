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
from schoolsafe.vocab import URGENCY_THRESHOLD_LABELS, Language
from schoolsafe.web.forms import options

URGENCY_CHOICES = list(URGENCY_THRESHOLD_LABELS.items())


DAY_NAMES = [(1, "Monday"), (2, "Tuesday"), (3, "Wednesday"), (4, "Thursday"), (5, "Friday"),
             (6, "Saturday"), (7, "Sunday")]


class Checkboxes(SelectMultipleField):
    """Several choices shown as checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RouteForm(FlaskForm):
    """One new entry on the routing list."""

    user = SelectField("Member of staff", choices=[], validate_choice=False)
    email = EmailField("Or an email address", validators=[Optional(), Length(max=254)])
    tier = SelectField("When they are told", coerce=int, choices=options([
        (1, "Tier 1: straight away"),
        *[(n, f"Tier {n}: if tier {n - 1} has not acknowledged in time")
          for n in range(2, MAX_TIER + 1)],
    ]))
    min_urgency = SelectField("Which reports", choices=options(URGENCY_CHOICES))
    categories = Checkboxes("Only these kinds (leave all empty for every kind)",
                            choices=options(CATEGORY_LABELS.items()))
    on_call = BooleanField("On call: also told at once about immediate reports sent out of "
                           "school hours")


class FallbackForm(FlaskForm):
    """The shared inbox told when nobody else is."""

    fallback = EmailField("Fallback address", validators=[Optional(), Length(max=254)])


class HoursForm(FlaskForm):
    """When staff read reports, and how long urgent ones may wait."""

    timezone = SelectField("Time zone", choices=[])
    start = StringField("Staff start reading at", validators=[InputRequired("Type a time."),
                                                              Length(max=5)],
                        render_kw={"inputmode": "numeric", "placeholder": "08:00"})
    end = StringField("and stop at", validators=[InputRequired("Type a time."), Length(max=5)],
                      render_kw={"inputmode": "numeric", "placeholder": "16:30"})
    days = Checkboxes("Days staff read reports", coerce=int, choices=options(DAY_NAMES))
    ack_minutes_immediate = IntegerField(
        "Minutes an immediate report may wait before the next people are told",
        validators=[InputRequired("Type a number of minutes."), NumberRange(min=1)])
    ack_minutes_high = IntegerField(
        "Minutes a high report may wait (school hours only)",
        validators=[InputRequired("Type a number of minutes."), NumberRange(min=1)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = options((zone, zone) for zone in sorted(available_timezones()))


class LanguagesForm(FlaskForm):
    """The languages the school's pupils can use, and the one their pages open in."""

    language = SelectField("Pupil pages open in", choices=options(Language.labels().items()))
    languages = Checkboxes("Languages pupils can switch to",
                           choices=options(Language.labels().items()))
