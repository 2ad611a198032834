"""What the pupil pages share: showing a page as the pupil's school's country would."""

from __future__ import annotations

from flask import g

from schoolsafe.models import School
from schoolsafe.templating import show_times_for


def use_school_country(school: School) -> None:
    """Let this page's quick-exit link go to a neutral site of the school's own country, and
    show its times in the school's own time."""
    g.pupil_jurisdiction = school.jurisdiction
    show_times_for(school)
