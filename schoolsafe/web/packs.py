"""A school's jurisdiction pack in the language it is read in.

Pupil help, contacts, the crisis line, checklist steps and recipient labels on a page are in
that page's language (the pupil's or the member of staff's); what is kept or sent - checklist
steps written into a case, referral notes, emails - is in the school's own language.
"""

from __future__ import annotations

from flask import current_app

from schoolsafe.extensions import db
from schoolsafe.models import School
from schoolsafe.services.jurisdictions.packs import Jurisdiction

from .language import page_language


def packs() -> dict[str, Jurisdiction]:
    """Every loaded pack, keyed by code, with its texts in English."""
    return current_app.extensions["jurisdictions"]


def page_pack(code: str) -> Jurisdiction:
    """The pack `code` with its texts in this page's language (English if it has not them)."""
    return packs()[code].in_language(page_language())


def page_packs() -> dict[str, Jurisdiction]:
    """Every pack with its texts in this page's language."""
    language = page_language()
    return {code: pack.in_language(language) for code, pack in packs().items()}


def school_pack(school: School) -> Jurisdiction:
    """The school's pack with its texts in the school's language, for what is kept or sent."""
    return packs()[school.jurisdiction].in_language(school.language)


def school_pack_for(school_id: int) -> Jurisdiction:
    """school_pack for a school id."""
    return school_pack(db.session.get(School, school_id))
