"""The staff concern form: the pupil's report form, with the questions put to an adult."""

from __future__ import annotations

from wtforms import FormField, SelectField

from schoolsafe.services.reports.categories import PUPIL_CHOICES
from schoolsafe.vocab import ABOUT_STAFF_CHOICES
from schoolsafe.web.forms import options
from schoolsafe.web.report_form import PlaceForm, ReportForm

# The same facts as a pupil report; only the wording changes, so the checks stay in one place.
STAFF_WORDING = {
    "about": "Who is this about?",
    "choices": "What happened? Tick all that fit.",
    "narrative": "What you know, in your own words",
    "started": "When did it start, as far as you know?",
    "last_happened": "When did it last happen?",
    "reporter_name": "Pupil's name (if known)",
    "reporter_year": "Their year group or form",
    "friend_name": "Name of anyone else it is about (if known)",
    "danger_now": "Someone is in danger right now",
    "self_harm": "Someone is thinking about hurting themselves",
    "threats": "Someone is being threatened, or asked for money or more pictures",
    "adult_involved": "An adult (18 or older) is involved",
    "about_staff": "The adult works at this school (an allegation about a member of staff)",
    "under_13": "Someone involved is under 13",
    "assault_recording": "There is a video or photo of someone being hurt",
}
STAFF_ABOUT = options(ABOUT_STAFF_CHOICES.items())
# The choices in full: the pupil's form shows the short words of each.
STAFF_CHOICES = options((c.code, c.label) for c in PUPIL_CHOICES)


class ConcernForm(ReportForm):
    """A member of staff logging a concern; who they are comes from their sign-in."""

    place_rows = 3
    place1 = FormField(PlaceForm, label="Place 1")
    place2 = FormField(PlaceForm, label="Place 2")
    place3 = FormField(PlaceForm, label="Place 3")
    # The member of staff it is about; its choices are the school's staff (set by the view).
    accused_staff = SelectField("Which member of staff?", choices=options([("", "Nobody chosen")]),
                                validate_choice=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.about.choices = STAFF_ABOUT
        self.choices.choices = STAFF_CHOICES
        for name, text in STAFF_WORDING.items():
            self[name].label.text = text
