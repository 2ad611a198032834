"""The languages a school offers its pupils, and the one a member of staff reads pages in."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from schoolsafe.models import School, User
from schoolsafe.services.errors import FieldError
from schoolsafe.vocab import N_, Language


def set_school_languages(session: Session, school: School, default: str,
                         offered: Sequence[str]) -> None:
    """Offer these languages to the school's pupils (in our order), opening in `default`."""
    chosen = [code for code in Language.values() if code in set(offered)]
    if not chosen:
        raise FieldError("languages", N_("Choose at least one language."))
    if default not in Language.values():
        raise FieldError("language", N_("Choose a language from the list."))
    if default not in chosen:
        raise FieldError("languages", N_("The language pages open in must be one pupils can use."))
    school.language, school.languages = default, chosen
    session.flush()


def set_staff_language(session: Session, user: User, language: str | None) -> None:
    """Show this member of staff their pages in `language`; None follows their school's."""
    if language is not None and language not in Language.values():
        raise FieldError("language", N_("Choose a language from the list."))
    user.language = language
    session.flush()
