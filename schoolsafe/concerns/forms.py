"""The staff concern form: the pupil's report form, with the questions put to an adult."""

from __future__ import annotations

from wtforms import FormField, SelectField

from schoolsafe.services.reports.categories import PUPIL_CHOICES
from schoolsafe.vocab import ABOUT_STAFF_CHOICES
from schoolsafe.web.forms import options, translated_options
from schoolsafe.web.report_form import PlaceForm, ReportForm
from schoolsafe.web.words import _l

# The same facts as a pupil report; only the wording changes, so the checks stay in one place.
STAFF_WORDING = {
    "about": _l("Who is this about?"),
    "choices": _l("What happened? Tick all that fit."),
    "narrative": _l("What you know, in your own words"),
    "started": _l("When did it start, as far as you know?"),
    "last_happened": _l("When did it last happen?"),
    "reporter_name": _l("Pupil's name (if known)"),
    "reporter_year": _l("Their year group or form"),
    "friend_name": _l("Name of anyone else it is about (if known)"),
    "danger_now": _l("Someone is in danger right now"),
    "self_harm": _l("Someone is thinking about hurting themselves"),
    "threats": _l("Someone is being threatened, or asked for money or more pictures"),
    "adult_involved": _l("An adult (18 or older) is involved"),
    "about_staff": _l("The adult works at this school (an allegation about a member of staff)"),
    "under_13": _l("Someone involved is under 13"),
    "assault_recording": _l("There is a video or photo of someone being hurt"),
}
STAFF_ABOUT = translated_options(ABOUT_STAFF_CHOICES.english_items())
# The choices in full: the pupil's form shows the short words of each.
STAFF_CHOICES = translated_options((c.code, c.label) for c in PUPIL_CHOICES)


class ConcernForm(ReportForm):
    """A member of staff logging a concern; who they are comes from their sign-in."""

    place_rows = 3
    place1 = FormField(PlaceForm, label=_l("Place 1"))
    place2 = FormField(PlaceForm, label=_l("Place 2"))
    place3 = FormField(PlaceForm, label=_l("Place 3"))
    # The member of staff it is about; its choices are the school's staff (set by the view).
    accused_staff = SelectField(_l("Which member of staff?"),
                                choices=options([("", _l("Nobody chosen"))]),
                                validate_choice=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.about.choices = STAFF_ABOUT
        self.choices.choices = STAFF_CHOICES
        for name, text in STAFF_WORDING.items():
            self[name].label.text = text
