"""Staff sign-in, two-factor and password forms."""

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from schoolsafe.security.passwords import MIN_LENGTH
from schoolsafe.vocab import Language
from schoolsafe.web.forms import options
from schoolsafe.web.words import _l


class SignInForm(FlaskForm):
    """Email and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address.")),
                                            Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                     Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class TwoFactorForm(FlaskForm):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = StringField(_l("Code from your authenticator app, or a recovery code"),
                       validators=[DataRequired(_l("Enter a code.")), Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "spellcheck": "false",
                                  "autocapitalize": "none"})


class ForgotPasswordForm(FlaskForm):
    """The email to send a reset link to."""

    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address.")),
                                            Length(max=254)],
                       render_kw={"autocomplete": "username"})


class NewPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(
        _l("New password"), validators=[
            DataRequired(_l("Enter a new password.")),
            Length(min=MIN_LENGTH, max=200,
                   message=_l("Use at least %(min)d characters. A few words together work "
                              "well.")),
        ],
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("New password again"), validators=[
            DataRequired(_l("Type the new password again.")),
            EqualTo("password", message=_l("The two passwords are different. Type them again.")),
        ],
        render_kw={"autocomplete": "new-password"})


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token."""


class LanguageForm(FlaskForm):
    """The language a member of staff reads their pages in; none follows their school's."""

    language = SelectField(_l("Show my pages in"), choices=[])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = options([("", gettext("My school's language")),
                                         *Language.labels().items()])


class ResetCodeForm(FlaskForm):
    """The email and the reset code sent to it, typed so that no secret is ever in a URL."""

    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address.")),
                                            Length(max=254)],
                       render_kw={"autocomplete": "username"})
    code = StringField(_l("Code from the email"), validators=[DataRequired(_l("Enter the code.")),
                                                          Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "spellcheck": "false",
                                  "autocapitalize": "characters"})
