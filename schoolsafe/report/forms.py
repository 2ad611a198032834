"""The pupil's report form and the follow-up forms.

Every text field has a length limit with a plain message, refuses pasted pictures, and asks
the browser not to remember what was typed (shared devices).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    Form,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from schoolsafe.models.report import LIMITS
from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.services.reports.categories import PUPIL_CHOICES
from schoolsafe.services.reports.submit import IMAGE_REFUSED, MAX_PLACES
from schoolsafe.services.sanitize import contains_image_data
from schoolsafe.vocab import ABOUT_PUPIL_CHOICES

NO_AUTOFILL = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}
_PLACE_KEY = re.compile(r"^place(\d{1,3})-(?:platform|text)$")


def options(pairs) -> list[SelectChoice]:
    """Choices for a select, radio or checkbox group."""
    return [SelectChoice(value, label) for value, label in pairs]


def _too_long(limit: int) -> Length:
    rule = Length(max=limit, message=f"Please keep this under {limit} characters.")
    # No maxlength attribute: the browser would cut pasted text short without saying so.
    rule.field_flags = {}
    return rule


def _no_pictures(form: Form, field: Field) -> None:
    if contains_image_data(field.data):
        raise ValidationError(IMAGE_REFUSED)


def typed(limit: int) -> list:
    """Validators for an optional typed answer: a length limit and no pasted pictures."""
    return [Optional(), _too_long(limit), _no_pictures]


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form: Form) -> None:
        # Unknown values are reported by the service in plain words, not WTForms' message.
        return None


class PlaceForm(Form):
    """One online place: the app or site, and the account name, link or group name."""

    platform = SelectField("App or website",
                           choices=options([("", "Choose one"), *PLATFORMS.items()]),
                           validators=[Optional()], validate_choice=False)
    text = StringField("Account name, link or group name", validators=typed(LIMITS["place"]),
                       render_kw=NO_AUTOFILL)


class ReportForm(FlaskForm):
    """Tell someone: what happened, where, when, and whether anyone is in danger.

    The place rows (place1, place2, ...) are added per request by `report_form()`, so a
    pupil can list as many places as they need without JavaScript.
    """

    place_rows = 1

    about = RadioField("Who is this about?", choices=options(ABOUT_PUPIL_CHOICES.items()),
                       validators=[InputRequired(message="Please choose who this is about.")],
                       validate_choice=False)
    choices = CheckboxesField("What happened? Tick all that fit.",
                              choices=options((c.code, c.label) for c in PUPIL_CHOICES))
    danger_now = BooleanField("Someone is in danger right now")
    self_harm = BooleanField("Someone is thinking about hurting themselves")
    threats = BooleanField("Someone is threatening you or them, or asking for money or more "
                           "pictures")
    adult_involved = BooleanField("An adult (someone 18 or older) is involved")
    under_13 = BooleanField("Someone involved is under 13")
    assault_recording = BooleanField("There is a video or photo of someone being hurt")
    narrative = TextAreaField("Tell us in your own words (if you want to)",
                              validators=typed(LIMITS["narrative"]),
                              render_kw={"rows": 5, **NO_AUTOFILL})
    started = StringField("When did it start?", validators=typed(LIMITS["when"]),
                          render_kw=NO_AUTOFILL)
    last_happened = StringField("When did it last happen?", validators=typed(LIMITS["when"]),
                                render_kw=NO_AUTOFILL)
    reporter_name = StringField("Your name", validators=typed(LIMITS["name"]),
                                render_kw=NO_AUTOFILL)
    reporter_year = StringField("Your year group or form", validators=typed(LIMITS["year_group"]),
                                render_kw=NO_AUTOFILL)
    friend_name = StringField("Your friend's name, if this is about a friend",
                              validators=typed(LIMITS["name"]), render_kw=NO_AUTOFILL)

    FACTOR_FIELDS = ("danger_now", "self_harm", "threats", "adult_involved", "under_13",
                     "assault_recording")
    WHEN_FIELDS = ("started", "last_happened")
    IDENTITY_FIELDS = ("reporter_name", "reporter_year", "friend_name")

    def place_forms(self) -> list[FormField]:
        """The place rows, in order."""
        return [self[f"place{n}"] for n in range(1, self.place_rows + 1)]

    def can_add_place(self) -> bool:
        """Whether another place row may be added."""
        return self.place_rows < MAX_PLACES

    def error_links(self) -> list[tuple[str, str]]:
        """(element id, message) for every problem, in the order the page shows the fields."""
        fields = [self.about, self.choices, *self.factor_fields(), *self._place_fields(),
                  self.narrative, *(self[name] for name in self.WHEN_FIELDS + self.IDENTITY_FIELDS)]
        return [(self._target(field), message) for field in fields for message in field.errors]

    def factor_fields(self) -> list[Field]:
        """The urgency questions, in the order they are asked."""
        return [self[name] for name in self.FACTOR_FIELDS]

    def _place_fields(self) -> list[Field]:
        return [field for row in self.place_forms() for field in (row.platform, row.text)]

    @staticmethod
    def _target(field: Field) -> str:
        # A group of radios or checkboxes is reached through its first option.
        return f"{field.id}-0" if isinstance(field, RadioField | CheckboxesField) else field.id

    def any_typed(self, names: tuple[str, ...]) -> bool:
        """Whether any of these fields has text or an error, so its section is shown open."""
        return any(self[name].data or self[name].errors for name in names)


@cache
def _form_with_rows(rows: int) -> type[ReportForm]:
    fields = {f"place{n}": FormField(PlaceForm, label=f"Place {n}")
              for n in range(1, rows + 1)}
    return type("ReportForm", (ReportForm,), {"place_rows": rows, **fields})


def rows_wanted(formdata: Mapping[str, str], add: bool = False) -> int:
    """How many place rows to show: those the pupil already has, plus one if they asked."""
    numbers = [int(m.group(1)) for key in formdata if (m := _PLACE_KEY.match(key))]
    rows = max([1, *numbers]) + (1 if add else 0)
    return min(rows, MAX_PLACES)


def report_form(formdata: Mapping[str, str], add_place: bool = False) -> ReportForm:
    """The report form with enough place rows for what was posted (and one more if asked)."""
    return _form_with_rows(rows_wanted(formdata, add_place))()


class SchoolCodeForm(FlaskForm):
    """The short code a pupil types to find their school's form."""

    code = StringField("Your school's code", validators=[
        DataRequired(message="Please type your school's code."), _too_long(12)],
        render_kw=NO_AUTOFILL)


class FollowUpForm(FlaskForm):
    """Enter a follow-up code."""

    code = StringField("Your code words", validators=[
        DataRequired(message="Please type your code words."), _too_long(200)],
        render_kw=NO_AUTOFILL)


class AddMessageForm(FlaskForm):
    """Add to a report: the code comes back in a hidden field (never in the URL)."""

    code = StringField(validators=[DataRequired(), _too_long(200)],
                       widget=widgets.HiddenInput())
    body = TextAreaField("Add something or reply", validators=[
        DataRequired(message="Please type a message first."), _too_long(LIMITS["message"]),
        _no_pictures], render_kw={"rows": 5, **NO_AUTOFILL})
