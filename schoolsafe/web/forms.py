"""Form fields and validators that forms of several blueprints use."""

from __future__ import annotations

from flask_babel import gettext
from wtforms import Field, Form, SelectChoice, SelectMultipleField, ValidationError, widgets
from wtforms.validators import Length, Optional

from schoolsafe.services.reports.submit import IMAGE_REFUSED
from schoolsafe.services.sanitize import contains_image_data
from schoolsafe.vocab import Term
from schoolsafe.web.words import _nl, later

# Shared devices: the browser must not offer what the last person typed.
NO_AUTOFILL = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}


def options(pairs) -> list[SelectChoice]:
    """Choices for a select, radio or checkbox group."""
    return [SelectChoice(value, label) for value, label in pairs]


def translated_options(pairs) -> list[SelectChoice]:
    """Choices whose labels are English marked for translation where they were written (N_),
    shown in the page's language each time the form is drawn."""
    return [SelectChoice(value, later(label)) for value, label in pairs]


def term_options(vocabulary: type[Term]) -> list[SelectChoice]:
    """Every code of a vocabulary as choices, each label in the page's language."""
    return translated_options((member.value, member.english) for member in vocabulary)


def too_long(limit: int) -> Length:
    """A length limit with a plain message."""
    rule = Length(max=limit, message=_nl("Please keep this under %(num)d character.",
                                           "Please keep this under %(num)d characters.", limit))
    # No maxlength attribute: the browser would cut pasted text short without saying so.
    rule.field_flags = {}
    return rule


def no_pictures(form: Form, field: Field) -> None:
    """Refuse a pasted picture or encoded file."""
    if contains_image_data(field.data):
        raise ValidationError(gettext(IMAGE_REFUSED))


def typed(limit: int) -> list:
    """Validators for an optional typed answer: a length limit and no pasted pictures."""
    return [Optional(), too_long(limit), no_pictures]


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form: Form) -> None:
        # Unknown values are reported by the service in plain words, not WTForms' message.
        return None
