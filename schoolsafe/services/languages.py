"""The languages a school offers its pupils, and the one a member of staff reads pages in."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from schoolsafe.models import School, User
from schoolsafe.services.errors import FieldError
from schoolsafe.vocab import N_, Language


def set_school_languages(session: Session, school: School, default: str,
                         offered: Sequence[str], shipped: Sequence[str]) -> None:
    """Offer these languages to the school's pupils (in our order), opening in `default`;
    `shipped` are the languages the school's jurisdiction pack has its help written in."""
    chosen = [code for code in Language.values() if code in set(offered)]
    if not chosen:
        raise FieldError("languages", N_("Choose at least one language."))
    if default not in Language.values():
        raise FieldError("language", N_("Choose a language from the list."))
    if default not in chosen:
        raise FieldError("languages",
                         N_("The language pages open in must be one pupils can use."))
    # Pupil help comes from the pack: a language it lacks would leave the help in English.
    missing = [code for code in chosen if code not in shipped]
    if missing:
        raise FieldError("languages", N_("Help for pupils at this school is not written in "
                                         "%(language)s yet. Choose from: %(shipped)s."),
                         language=Language(missing[0]).label,
                         shipped=", ".join(Language(code).label for code in shipped))
    school.language, school.languages = default, chosen
    session.flush()


def set_staff_language(session: Session, user: User, language: str | None) -> None:
    """Show this member of staff their pages in `language`; None follows their school's."""
    if language is not None and language not in Language.values():
        raise FieldError("language", N_("Choose a language from the list."))
    user.language = language
    session.flush()
