"""The pupil's report form and the follow-up forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Form,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from schoolsafe.models.report import LIMITS
from schoolsafe.services.accounts import PLATFORMS
from schoolsafe.services.categories import PUPIL_CHOICES

PLACE_ROWS = 3


def options(pairs) -> list[SelectChoice]:
    """Choices for a select, radio or checkbox group."""
    return [SelectChoice(value, label) for value, label in pairs]
NO_AUTOFILL = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=f"Please keep this under {limit} characters.")


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form: Form) -> None:
        # Unknown values are reported by the service in plain words, not WTForms' message.
        return None


class PlaceForm(Form):
    """One online place: the app or site, and the account name, link or group name."""

    platform = SelectField("App or website", choices=options([("", "Choose one"), *PLATFORMS.items()]),
                           validators=[Optional()], validate_choice=False)
    text = StringField("Account name, link or group name",
                       validators=[Optional(), _too_long(LIMITS["place"])], render_kw=NO_AUTOFILL)


class ReportForm(FlaskForm):
    """Tell someone: what happened, where, when, and whether anyone is in danger."""

    about = RadioField("Who is this about?", choices=options([
        ("self", "Me"), ("friend", "A friend or someone I know"),
        ("witnessed", "Something I saw happen to someone"),
    ]), validators=[InputRequired(message="Please choose who this is about.")])
    choices = CheckboxesField("What happened? Tick all that fit.",
                              choices=options((c.code, c.label) for c in PUPIL_CHOICES))
    place1 = FormField(PlaceForm, label="Where did it happen?")
    place2 = FormField(PlaceForm, label="Another place (if there is one)")
    place3 = FormField(PlaceForm, label="Another place (if there is one)")
    started = StringField("When did it start? A rough guess is fine.",
                          validators=[Optional(), _too_long(LIMITS["when"])], render_kw=NO_AUTOFILL)
    last_happened = StringField("When did it last happen?",
                                validators=[Optional(), _too_long(LIMITS["when"])],
                                render_kw=NO_AUTOFILL)
    danger_now = BooleanField("Someone is in danger right now")
    self_harm = BooleanField("Someone is thinking about hurting themselves")
    threats = BooleanField("Someone is threatening you or them, or asking for money or more "
                           "pictures")
    adult_involved = BooleanField("An adult (someone 18 or older) is involved")
    under_13 = BooleanField("Someone involved is under 13")
    assault_recording = BooleanField("There is a video or photo of someone being hurt")
    narrative = TextAreaField("Anything else you want to tell us",
                              validators=[Optional(), _too_long(LIMITS["narrative"])],
                              render_kw={"rows": 6, **NO_AUTOFILL})
    reporter_name = StringField("Your name (you can leave this empty)",
                                validators=[Optional(), _too_long(LIMITS["name"])],
                                render_kw=NO_AUTOFILL)
    reporter_year = StringField("Your year or form (you can leave this empty)",
                                validators=[Optional(), _too_long(LIMITS["year_group"])],
                                render_kw=NO_AUTOFILL)
    friend_name = StringField("Your friend's name, if it's about a friend (you can leave this "
                              "empty)", validators=[Optional(), _too_long(LIMITS["name"])],
                              render_kw=NO_AUTOFILL)

    FACTOR_FIELDS = ("danger_now", "self_harm", "threats", "adult_involved", "under_13",
                     "assault_recording")

    def place_forms(self) -> list[FormField]:
        """The place rows, in order."""
        return [self.place1, self.place2, self.place3]


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
        DataRequired(message="Please type a message first."), _too_long(LIMITS["message"])],
        render_kw={"rows": 5, **NO_AUTOFILL})
