"""The pupil's school-code and follow-up forms.

The report form itself is shared with staff concerns (web/report_form.py). Every text field
has a length limit with a plain message, refuses pasted pictures, and asks the browser not to
remember what was typed (shared devices).
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField, widgets
from wtforms.validators import DataRequired

from schoolsafe.models.report import LIMITS
from schoolsafe.web.forms import NO_AUTOFILL, no_pictures, too_long
from schoolsafe.web.words import _l


class SchoolCodeForm(FlaskForm):
    """The short code a pupil types to find their school's form."""

    code = StringField(_l("School code"), validators=[
        DataRequired(message=_l("Please type your school's code.")), too_long(12)],
        render_kw=NO_AUTOFILL)


class FollowUpForm(FlaskForm):
    """Enter a follow-up code."""

    code = StringField(_l("Your code words"), validators=[
        DataRequired(message=_l("Please type your code words.")), too_long(200)],
        render_kw=NO_AUTOFILL)


class AddMessageForm(FlaskForm):
    """Add to a report: the code comes back in a hidden field (never in the URL)."""

    code = StringField(validators=[DataRequired(), too_long(200)],
                       widget=widgets.HiddenInput())
    body = TextAreaField(_l("Add something or reply"), validators=[
        DataRequired(message=_l("Please type a message first.")), too_long(LIMITS["message"]),
        no_pictures], render_kw={"rows": 5, **NO_AUTOFILL})
