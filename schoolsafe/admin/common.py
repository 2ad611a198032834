"""What the admin pages share: the school the administrator is working on."""

from __future__ import annotations

from schoolsafe.extensions import db
from schoolsafe.models import School
from schoolsafe.security.access import current_school_id
from schoolsafe.vocab import Role


def current_school() -> School:
    """The school this administrator is working on."""
    return db.session.get(School, current_school_id(Role.ADMIN))
