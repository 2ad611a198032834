"""The children of a case as a referral note knows them, from the pupil directory: who they
are for the recipients that get names, and every name to leave out for those that don't."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from schoolsafe.models import Case
from schoolsafe.services.pupils import linking as pupil_links
from schoolsafe.services.pupils import minimise
from schoolsafe.services.referrals.rules import HiddenName, PersonFact


def people(session: Session, case: Case) -> tuple[PersonFact, ...]:
    """The case's people; a linked pupil as the directory knows them."""
    # A person linked to the directory is written as the directory knows them: full legal
    # name, and the date of birth and year group it holds where the case has none.
    linked = pupil_links.linked_pupils(session, case)
    facts = []
    for person in case.people:
        pupil = linked.get(person.id)
        if pupil is None:
            facts.append(PersonFact(person.label, person.year_group, person.role,
                                    person.date_of_birth))
            continue
        known = (f" (known as {pupil.preferred_first})"
                 if pupil.preferred_first and pupil.preferred_first != pupil.legal_first else "")
        facts.append(PersonFact(f"{pupil.full_name}{known}",
                                person.year_group or pupil.year_group, person.role,
                                person.date_of_birth or pupil.date_of_birth))
    return tuple(facts)


def names_to_hide(session: Session, case: Case, free_text: Iterable[str]
                  ) -> tuple[HiddenName, ...]:
    """Every name variant a minimised note about this case leaves out."""
    return tuple(HiddenName(n.name, n.capitalised_only)
                 for n in minimise.for_case(session, case, free_text))
