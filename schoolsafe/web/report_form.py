"""The report form: what happened, where, when, and whether anyone is in danger.

Pupils answer it on the report blueprint; staff logging a concern answer the same questions,
reworded for an adult (concerns/forms.py), so the checks stay in one place. Every text field
has a length limit with a plain message, refuses pasted pictures, and asks the browser not to
remember what was typed (shared devices).
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
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional

from schoolsafe.models.report import LIMITS
from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.services.reports.categories import PUPIL_CHOICES
from schoolsafe.services.reports.submit import MAX_PLACES
from schoolsafe.vocab import ABOUT_PUPIL_CHOICES, N_, EarlierWhen
from schoolsafe.web.forms import (
    NO_AUTOFILL,
    CheckboxesField,
    options,
    term_options,
    translated_options,
    typed,
)
from schoolsafe.web.words import _l

# The places in config/platforms.toml that are words, not a service's name: marked here so
# they are extracted for translation (every platform's name is looked up when shown).
PLATFORM_WORDS = (N_("Xbox gamertag"), N_("PlayStation ID"), N_("Email address"),
                  N_("Phone number"), N_("Another website"), N_("Somewhere else"))


_PLACE_KEY = re.compile(r"^place(\d{1,3})-(?:platform|text)$")


class PlaceForm(Form):
    """One online place: the app or site, and the account name, link or group name."""

    platform = SelectField(_l("App or website"),
                           choices=[*options([("", _l("Choose one"))]),
                                    *translated_options(PLATFORMS.items())],
                           validators=[Optional()], validate_choice=False)
    text = StringField(_l("Account name or link"), validators=typed(LIMITS["place"]),
                       render_kw=NO_AUTOFILL)


class ReportForm(FlaskForm):
    """Tell someone: what happened, where, when, and whether anyone is in danger.

    The place rows (place1, place2, ...) are added per request by `report_form()`, so a
    pupil can list as many places as they need without JavaScript.
    """

    place_rows = 1

    about = RadioField(_l("Who is this about?"),
                       choices=translated_options(ABOUT_PUPIL_CHOICES.english_items()),
                       validators=[InputRequired(message=_l("Please choose who this is about."))],
                       validate_choice=False)
    choices = CheckboxesField(_l("What happened? Tick any."),
                              choices=translated_options((c.code, c.pupil_label)
                                                         for c in PUPIL_CHOICES))
    danger_now = BooleanField(_l("Someone's in danger now"))
    self_harm = BooleanField(_l("Someone may hurt themselves"))
    threats = BooleanField(_l("Threats, or asking for money or pictures"))
    adult_involved = BooleanField(_l("An adult is involved"))
    under_13 = BooleanField(_l("Someone's under 13"))
    assault_recording = BooleanField(_l("Someone hurt on video or photo"))
    about_staff = BooleanField(_l("The adult works at my school"))
    accused_who = StringField(_l("Who is it? (if you want to say)"),
                              validators=typed(LIMITS["accused_who"]), render_kw=NO_AUTOFILL)
    narrative = TextAreaField(_l("Tell us in your own words (if you want to)"),
                              validators=typed(LIMITS["narrative"]),
                              render_kw={"rows": 5, **NO_AUTOFILL})
    started = StringField(_l("When did it start?"), validators=typed(LIMITS["when"]),
                          render_kw=NO_AUTOFILL)
    last_happened = StringField(_l("When did it last happen?"), validators=typed(LIMITS["when"]),
                                render_kw=NO_AUTOFILL)
    reporter_name = StringField(_l("Your name"), validators=typed(LIMITS["name"]),
                                render_kw=NO_AUTOFILL)
    reporter_year = StringField(_l("Your year group or form"),
                                validators=typed(LIMITS["year_group"]), render_kw=NO_AUTOFILL)
    friend_name = StringField(_l("Your friend's name, if this is about a friend"),
                              validators=typed(LIMITS["name"]), render_kw=NO_AUTOFILL)
    # A pupil who lost their code words says this follows what they told us before.
    told_before = BooleanField(_l("I told you about this before, but I lost my code words"))
    earlier_when = RadioField(_l("Roughly when did you tell us?"),
                              choices=term_options(EarlierWhen),
                              validators=[Optional()], validate_choice=False)
    earlier_about = StringField(_l("What was it about? A few words are enough."),
                                validators=typed(LIMITS["earlier_about"]),
                                render_kw=NO_AUTOFILL)

    FACTOR_FIELDS = ("danger_now", "self_harm", "threats", "adult_involved", "about_staff",
                     "under_13", "assault_recording")
    WHEN_FIELDS = ("started", "last_happened")
    IDENTITY_FIELDS = ("reporter_name", "reporter_year", "friend_name")
    EARLIER_FIELDS = ("told_before", "earlier_when", "earlier_about")
    # The adult working at the school is asked under the pupil's own words, folded: the first
    # view stays short (bench/pupil_time.py), and a pupil saying who did it is describing it.
    STAFF_FIELDS = ("about_staff", "accused_who")
    OWN_WORDS_FIELDS = ("narrative", *STAFF_FIELDS)

    def place_forms(self) -> list[FormField]:
        """The place rows, in order."""
        return [self[f"place{n}"] for n in range(1, self.place_rows + 1)]

    def can_add_place(self) -> bool:
        """Whether another place row may be added."""
        return self.place_rows < MAX_PLACES

    def error_links(self) -> list[tuple[str, str]]:
        """(element id, message) for every problem, in the order the page shows the fields."""
        fields = [self.about, self.choices, *self.factor_fields(), *self._place_fields(),
                  *(self[name] for name in self.OWN_WORDS_FIELDS + self.WHEN_FIELDS
                    + self.IDENTITY_FIELDS + self.EARLIER_FIELDS)]
        return [(self._target(field), message) for field in fields for message in field.errors]

    def factor_fields(self) -> list[Field]:
        """The urgency questions shown together, in the order they are asked (the adult
        working at the school is asked with the pupil's own words)."""
        return [self[name] for name in self.FACTOR_FIELDS if name not in self.STAFF_FIELDS]

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
    fields = {f"place{n}": FormField(PlaceForm, label=_l("Place %(number)s", number=n))
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
